import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('CORS for the pages that embed the widget', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ config: { corsOrigins: ['https://editor.example.com'] } });
  });
  afterAll(() => api.close());

  const preflight = (origin: string) =>
    fetch(`${api.baseUrl}/api/exports`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });

  it('answers the preflight of an allowed origin, with the headers the SDK sends', async () => {
    const response = await preflight('https://editor.example.com');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://editor.example.com');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/i);
  });

  it('gives no CORS grant to any other origin', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes the rate-limit and location headers to the allowed page', async () => {
    const response = await fetch(`${api.baseUrl}/api/me/export-settings`, {
      headers: { origin: 'https://editor.example.com', authorization: `Bearer ${api.tokenFor('cors-user')}` },
    });
    expect(response.headers.get('access-control-expose-headers')).toMatch(/RateLimit-Remaining/);
  });
});
