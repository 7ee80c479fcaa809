import { createClient, type VexportError } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, type TestApi } from './support/test-api.js';

describe('export creation rate limit across two API processes', () => {
  let api: TestApi;
  let peer: Awaited<ReturnType<TestApi['startPeer']>>;

  beforeAll(async () => {
    api = await startTestApi();
    peer = await api.startPeer();
  });
  afterAll(() => api.close());

  it('allows 10 creations per hour per user in total, then answers 429 with Retry-After', async () => {
    const video = await createProbedVideo(api.models, 'limited');
    const token = () => api.tokenFor('limited');
    const clients = [
      createClient({ baseUrl: api.baseUrl, getToken: token, maxRetries: 0 }),
      createClient({ baseUrl: peer.baseUrl, getToken: token, maxRetries: 0 }),
    ];
    const request = { export_type: 'single' as const, segment_selections: [{ start_time: 0, end_time: 1 }] };
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        clients[i % 2]!.createExport(video.id, request).then(
          () => 'created',
          (error: VexportError) => error.status,
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === 429)).toHaveLength(2);

    const response = await fetch(`${peer.baseUrl}/api/videos/${video.id}/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(response.headers.get('ratelimit-limit')).toBe('10');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(await response.json()).toMatchObject({ code: 'rate_limited', status: 429 });
  });

  it('counts each user separately, and does not count idempotent replays or invalid requests', async () => {
    const video = await createProbedVideo(api.models, 'other-user');
    const client = api.clientFor('other-user');
    const request = { export_type: 'single' as const, segment_selections: [{ start_time: 0, end_time: 1 }] };
    for (let i = 0; i < 5; i += 1) {
      await client.createExport(video.id, request, { idempotencyKey: 'replayed' });
      await client.createExport(video.id, { ...request, resolution: '16k' as never }).catch(() => undefined);
    }
    const response = await fetch(`${api.baseUrl}/api/videos/${video.id}/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokenFor('other-user')}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('ratelimit-remaining')).toBe('8');
  });
});
