import { existsSync, readdirSync } from 'node:fs';
import { createClient, RedisKeys, type VexportError } from '@vexport/sdk';
import type { LocalDiskStorage } from '@vexport/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, userIdOf, type TestApi } from './support/test-api.js';

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

describe('per-user limits on videos, upload bytes and progress streams', () => {
  const UPLOAD_BYTES_PER_DAY = 50_000;
  let api: TestApi;
  let peer: Awaited<ReturnType<TestApi['startPeer']>>;

  beforeAll(async () => {
    api = await startTestApi({
      config: {
        exportRateLimitPerHour: 3,
        videoRateLimitPerHour: 4,
        uploadBytesPerDay: UPLOAD_BYTES_PER_DAY,
        sseStreamsPerUser: 2,
      },
    });
    peer = await api.startPeer();
  });
  afterAll(() => api.close());

  const post = (
    baseUrl: string,
    user: string,
    init: { headers?: Record<string, string>; body: RequestInit['body'] },
  ) =>
    fetch(`${baseUrl}/api/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokenFor(user)}`, ...init.headers },
      body: init.body,
    });
  const upload = (baseUrl: string, user: string, bytes: number) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes).fill(7)]), 'clip.mp4');
    return post(baseUrl, user, { body: form });
  };
  // a body that cannot be parsed: refused with 429 rather than 400 proves the limit was checked before reading
  const unreadableUpload = (baseUrl: string, user: string) =>
    post(baseUrl, user, {
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nbroken',
    });

  async function expectRefused(response: Response, limit: number): Promise<void> {
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.headers.get('ratelimit-limit')).toBe(String(limit));
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    const problem = (await response.json()) as { code: string; retry_after_seconds: number };
    expect(problem).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(problem.retry_after_seconds).toBe(Number(response.headers.get('retry-after')));
  }

  async function storedSources(user: string): Promise<string[]> {
    const root = (api.storage as LocalDiskStorage).resolvePath(
      `uploads/${await userIdOf(api.models, user)}/`,
    );
    if (!existsSync(root)) return [];
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  }

  it('counts only accepted export creations: ten refused requests, then one is accepted', async () => {
    const pending = await createProbedVideo(api.models, 'refused-often', { status: 'pending' });
    const short = await createProbedVideo(api.models, 'refused-often', { duration: 5 });
    const create = (videoId: string, endTime: number) =>
      fetch(`${api.baseUrl}/api/videos/${videoId}/export`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${api.tokenFor('refused-often')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          export_type: 'single',
          segment_selections: [{ start_time: 0, end_time: endTime }],
        }),
      });
    for (let i = 0; i < 5; i += 1) {
      expect((await create(short.id, 30)).status).toBe(422);
      expect((await create(pending.id, 1)).status).toBe(409);
    }
    const accepted = await create(short.id, 1);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('allows VIDEO_RATE_LIMIT_PER_HOUR registrations across processes, then 429 before reading the upload', async () => {
    const before = await api.models.Video.count();
    expect((await upload(api.baseUrl, 'registrar', 1_000)).status).toBe(201);
    expect((await upload(peer.baseUrl, 'registrar', 1_000)).status).toBe(201);
    expect((await upload(peer.baseUrl, 'registrar', 1_000)).status).toBe(201);
    const byUrl = await post(api.baseUrl, 'registrar', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source_url: 'https://93.184.216.34/media/trailer.mp4' }),
    });
    expect(byUrl.status).toBe(201);
    expect(await storedSources('registrar')).toHaveLength(3);

    await expectRefused(await upload(peer.baseUrl, 'registrar', 1_000), 4);
    await expectRefused(await unreadableUpload(api.baseUrl, 'registrar'), 4);
    await expectRefused(
      await post(api.baseUrl, 'registrar', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source_url: 'https://93.184.216.34/media/other.mp4' }),
      }),
      4,
    );
    expect(await api.models.Video.count()).toBe(before + 4);
    expect(await storedSources('registrar')).toHaveLength(3);
  });

  it('holds uploads to UPLOAD_BYTES_PER_DAY: cuts off the upload that would cross it and stores nothing', async () => {
    const userId = await userIdOf(api.models, 'uploader');
    const count = () => api.models.Video.count({ where: { user_id: userId } });
    expect((await upload(api.baseUrl, 'uploader', 30_000)).status).toBe(201);

    const crossing = await upload(peer.baseUrl, 'uploader', 30_000);
    expect(crossing.status).toBe(429);
    expect(crossing.headers.get('ratelimit-limit')).toBe(String(UPLOAD_BYTES_PER_DAY));
    expect(crossing.headers.get('ratelimit-remaining')).toBe('20000');
    expect(await crossing.json()).toMatchObject({ code: 'rate_limited' });
    expect(await count()).toBe(1);
    expect(await storedSources('uploader')).toHaveLength(1);

    // the refused upload gave its bytes back: exactly what is left still fits
    expect((await upload(peer.baseUrl, 'uploader', 20_000)).status).toBe(201);
    expect(await api.redis.get(RedisKeys.uploadBytes(userId, new Date().toISOString().slice(0, 10)))).toBe(
      String(UPLOAD_BYTES_PER_DAY),
    );

    const over = await unreadableUpload(api.baseUrl, 'uploader');
    await expectRefused(over, UPLOAD_BYTES_PER_DAY);
    expect(await count()).toBe(2);
    expect(await storedSources('uploader')).toHaveLength(2);
  });

  it('allows SSE_STREAMS_PER_USER open progress streams across processes, then 429 before streaming', async () => {
    const video = await createProbedVideo(api.models, 'watcher');
    const created = await api.clientFor('watcher').createExport(video.id, {
      export_type: 'single',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    const userId = await userIdOf(api.models, 'watcher');
    const key = RedisKeys.openStreams(userId);
    const streams: AbortController[] = [];
    const open = (baseUrl: string) => {
      const controller = new AbortController();
      streams.push(controller);
      return fetch(`${baseUrl}/api/exports/${created.id}/events`, {
        headers: { authorization: `Bearer ${api.tokenFor('watcher')}` },
        signal: controller.signal,
      });
    };
    try {
      // streams left behind by a process that died long ago no longer count
      await api.redis.zadd(
        key,
        Date.now() - 10 * 60_000,
        'dead-process:a',
        Date.now() - 10 * 60_000,
        'dead-process:b',
      );
      const first = await open(api.baseUrl);
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-remaining')).toBe('1');
      expect((await open(peer.baseUrl)).status).toBe(200);

      await expectRefused(await open(api.baseUrl), 2);
      await expectRefused(await open(peer.baseUrl), 2);

      streams[0]!.abort();
      await expect.poll(() => api.redis.zcard(key)).toBe(1);
      expect((await open(api.baseUrl)).status).toBe(200);
    } finally {
      for (const stream of streams) stream.abort();
    }
  });
});
