import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportVideoJobData } from '@vexport/sdk';
import Queue from 'bee-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript test support without type declarations
import { findFreePort } from '../../../scripts/lib/ports.mjs';
// @ts-expect-error: as above
import { startRedis } from '../../../scripts/lib/redis.mjs';
import { exportJob, queueSettings } from '../src/index.js';

/** The map in which bee-queue keeps the Job objects it has saved or fetched (not part of its types). */
const keptJobs = (queue: Queue) => (queue as unknown as { jobs: Map<string, unknown> }).jobs;

describe('queueSettings (real Redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-queue-settings-'));
  let redis: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    redis = await startRedis({ dir, port: await findFreePort(), persistent: false });
  });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Queues `count` exports on a fresh producer queue and fetches them back; resolves to the jobs it kept. */
  async function jobsKeptAfterQueueing(settings: Queue.QueueSettings, count: number): Promise<number> {
    const queue = new Queue<ExportVideoJobData>('export_video', settings);
    try {
      await queue.ready();
      const ids = Array.from({ length: count }, (_, index) => `export-${settings.prefix}-${index}`);
      for (const id of ids) await exportJob(queue, id).save();
      const fetched = await Promise.all(ids.map((id) => queue.getJob(id)));
      expect(fetched.map((job) => job.id)).toEqual(ids);
      return keptJobs(queue).size;
    } finally {
      await queue.close();
    }
  }

  it('keeps no job in memory for the exports a producer queues or looks up', async () => {
    const ours = queueSettings({ redisUrl: redis.url, prefix: 'ours', isWorker: false });
    expect(await jobsKeptAfterQueueing(ours, 20)).toBe(0);
    // bee-queue's default, without job events to ever drop them: one object per export, for good
    const { storeJobs: _ours, ...beeQueueDefault } = { ...ours, prefix: 'default' };
    expect(await jobsKeptAfterQueueing(beeQueueDefault, 20)).toBe(20);
  });
});
