import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, type TestApi } from './support/test-api.js';

/**
 * Malformed ids, bodies, queries and headers on every endpoint: the answer is never a 5xx, and every error is
 * problem+json without a stack trace.
 */
describe('hostile input on every endpoint', () => {
  let api: TestApi;
  let videoId: string;

  beforeAll(async () => {
    api = await startTestApi({ config: { exportRateLimitPerHour: 10_000 } });
    videoId = (await createProbedVideo(api.models, 'fuzzer')).id;
  });
  afterAll(() => api.close());

  const ids = () => [
    videoId,
    'x',
    '%00',
    '%ff',
    '..%2F..%2Fetc',
    '00000000-0000-0000-0000-000000000000',
    '1'.repeat(300),
    "'; DROP TABLE exports;--",
  ];
  const bodies = [
    '',
    'null',
    '[]',
    '"string"',
    '{"export_type": 5}',
    '{"export_type":"single","segment_selections":[{"start_time":"1e400","end_time":null}]}',
    '{"export_type":"clips","segment_selections":[{"start_time":0,"end_time":1e308}]}',
    `{"__proto__":{"admin":true},"export_type":"single","segment_selections":[{"start_time":0,"end_time":1,"label":"${'ü'.repeat(500)}"}]}`,
    '{"source_url":"javascript:alert(1)"}',
    '{"storage_key":"/etc/passwd"}',
    '{"default_resolution":{"$gt":""}}',
    '{"a":' + '['.repeat(500) + ']'.repeat(500) + '}',
  ];
  const queries = [
    '',
    '?page=-1',
    '?limit=1e9',
    '?sort=password',
    '?status[]=a&status[]=b',
    '?page=%ff',
    '?order=sideways&limit=abc',
  ];

  async function expectNoServerError(method: string, path: string, init: RequestInit = {}) {
    const response = await fetch(`${api.baseUrl}${path}`, { method, ...init });
    const text = await response.text();
    expect(
      response.status,
      `${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`,
    ).toBeLessThan(500);
    if (response.status >= 400) {
      expect(response.headers.get('content-type'), `${method} ${path}`).toMatch(
        /^application\/problem\+json/,
      );
      expect(text).not.toMatch(/at [\w.<>]+ \(|node_modules|\.ts:\d+/);
    }
  }

  it('never fails with a 5xx or leaks internals', async () => {
    const auth = { authorization: `Bearer ${api.tokenFor('fuzzer')}`, 'content-type': 'application/json' };
    const checks: Promise<void>[] = [];
    for (const id of ids()) {
      for (const path of [
        `/api/videos/${id}`,
        `/api/videos/${id}/exports`,
        `/api/exports/${id}`,
        `/api/exports/${id}/progress`,
        `/api/exports/${id}/download`,
        `/api/files/${id}?expires=1&signature=x`,
      ]) {
        checks.push(expectNoServerError('GET', path, { headers: auth }));
      }
      checks.push(expectNoServerError('DELETE', `/api/exports/${id}`, { headers: auth }));
      checks.push(
        expectNoServerError('DELETE', `/api/videos/${id}`, {
          headers: { authorization: auth.authorization },
        }),
      );
      for (const body of bodies)
        checks.push(expectNoServerError('POST', `/api/videos/${id}/export`, { headers: auth, body }));
    }
    for (const body of bodies) {
      checks.push(expectNoServerError('POST', '/api/videos', { headers: auth, body }));
      checks.push(expectNoServerError('PUT', '/api/me/export-settings', { headers: auth, body }));
    }
    for (const query of queries) {
      checks.push(expectNoServerError('GET', `/api/exports${query}`, { headers: auth }));
      checks.push(expectNoServerError('GET', `/api/videos${query}`, { headers: auth }));
    }
    for (const headers of [
      { authorization: 'Bearer' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: `Bearer ${'a'.repeat(10_000)}` },
      { ...auth, 'content-type': 'application/json; charset=latin1' },
      { ...auth, 'content-type': 'multipart/form-data' },
      { ...auth, 'content-type': 'multipart/form-data; boundary=xyz' },
      { ...auth, 'idempotency-key': 'contains spaces and ü' },
    ]) {
      checks.push(expectNoServerError('POST', `/api/videos/${videoId}/export`, { headers, body: bodies[4] }));
      checks.push(expectNoServerError('POST', '/api/videos', { headers, body: '--xyz\r\nbroken' }));
    }
    checks.push(expectNoServerError('PATCH', '/api/exports', { headers: auth }));
    checks.push(expectNoServerError('POST', '/api/exports', { headers: auth, body: '{}' }));
    await Promise.all(checks);
  });
});
