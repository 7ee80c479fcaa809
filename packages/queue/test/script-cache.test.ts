import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Queue from 'bee-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript test support without type declarations
import { findFreePort } from '../../../scripts/lib/ports.mjs';
// @ts-expect-error: as above
import { startRedis } from '../../../scripts/lib/redis.mjs';
import { exportJob, keepScriptsLoaded } from '../src/index.js';

interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Its own redis-server, restarted by the test (the shared test Redis must not lose its scripts). */
describe('a queue across a Redis restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-queue-test-'));
  let port: number;
  let redis: RedisServer;

  beforeAll(async () => {
    port = await findFreePort();
    redis = await startRedis({ dir, port, persistent: false });
  });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function restartRedis(queue: Queue) {
    const reconnected = new Promise((resolve) =>
      (queue as unknown as { client: { once(event: string, listener: () => void): void } }).client.once(
        'ready',
        () => setTimeout(resolve, 200),
      ),
    );
    await redis.stop();
    redis = await startRedis({ dir, port, persistent: false });
    await reconnected;
  }

  const newQueue = () => {
    const queue = new Queue('export_video', { redis: { url: redis.url }, isWorker: false, getEvents: false });
    queue.on('error', () => undefined);
    return queue;
  };

  it('fails with NOSCRIPT after the restart when the scripts are not reloaded (the trap)', async () => {
    const queue = newQueue();
    await queue.ready();
    await restartRedis(queue);
    await expect(exportJob(queue, 'before-fix').save()).rejects.toThrow(/NOSCRIPT/);
    await queue.close();
  });

  it('adds jobs again once the connection is back, with keepScriptsLoaded', async () => {
    const queue = newQueue();
    await queue.ready();
    keepScriptsLoaded(queue);
    await restartRedis(queue);
    const job = await exportJob(queue, 'after-restart').save();
    expect(job.id).toBe('after-restart');
    expect((await queue.getJob('after-restart'))?.data).toEqual({ export_id: 'after-restart' });
    await queue.close();
  });
});
