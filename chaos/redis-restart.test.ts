import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportCreateRequest, ExportProgress } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript test support without type declarations
import { findFreePort } from '../scripts/lib/ports.mjs';
// @ts-expect-error: as above
import { startRedis } from '../scripts/lib/redis.mjs';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, type Stack } from './support/stack.js';

interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The stack gets a Redis of its own (persistent, as `npm start` runs it), which the test restarts. The
 * workers' reconciliation runs every 2 s, so an export whose job went missing while Redis was away is
 * queued again.
 */
describe('Redis restarted during a run', () => {
  const persistent = true;
  const dir = mkdtempSync(join(tmpdir(), 'vexport-chaos-redis-'));
  let port: number;
  let redis: RedisServer;
  let stack: Stack;

  const startOwnRedis = async () => {
    redis = await startRedis({ dir, port, persistent });
  };

  beforeAll(async () => {
    port = await findFreePort();
    await startOwnRedis();
    // one export at a time for the user, so the others wait in the queue while Redis is away
    stack = await startStack({
      env: { REDIS_URL: redis.url, MAX_EXPORTS_PER_USER: '1', QUEUE_RECONCILE_SECONDS: '2' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (resolution: ExportCreateRequest['resolution']): ExportCreateRequest => ({
    export_type: 'single',
    resolution,
    format: 'mp4',
    quality_preset: 'medium',
    segment_selections: [{ start_time: 0, end_time: 4 }],
  });

  it('loses no queued export, serves progress from the database meanwhile, and everyone reconnects', async () => {
    const running = await stack.client.createExport(stack.video.id, request('4k'));
    const queued = [
      await stack.client.createExport(stack.video.id, request('720p')),
      await stack.client.createExport(stack.video.id, request('1080p')),
    ];
    await waitFor(async () => (await stack.client.getExport(running.id)).status === 'processing', {
      timeoutMs: 30_000,
      message: 'the first export did not start',
    });
    const watched: ExportProgress[] = [];
    const watching = (async () => {
      for await (const progress of stack.client.watchExport(queued[1]!.id)) watched.push(progress);
    })();

    await redis.stop();
    for (const created of [running, ...queued]) {
      const progress = await stack.client.getExportProgress(created.id);
      expect(['pending', 'processing']).toContain(progress.status);
    }
    const ready = await fetch(`${stack.urls.api}/readyz`);
    expect(ready.status).toBe(503);
    const refused = await fetch(`${stack.urls.api}/api/videos/${stack.video.id}/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(request('720p')),
    });
    expect(refused.status).toBe(503);
    expect((await refused.json()).code).toBe('service_unavailable');
    expect((await stack.client.listExports()).total).toBe(3);

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await startOwnRedis();

    for (const created of [running, ...queued]) {
      await waitFor(async () => (await stack.client.getExport(created.id)).status === 'completed', {
        timeoutMs: 150_000,
        intervalMs: 500,
        message: `export ${created.id} did not complete after Redis came back`,
      });
    }
    expect((await fetch(`${stack.urls.api}/readyz`)).status).toBe(200);
    await watching;
    expect(watched.at(-1)?.status).toBe('completed');
    await expectNothingLost(stack);
  });
});
