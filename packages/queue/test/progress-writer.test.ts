import { isDeepStrictEqual } from 'node:util';
import {
  EXPORT_STATUSES,
  RedisKeys,
  STAGES,
  advanceProgress,
  type ExportProgress,
  type ProgressPosition,
} from '@vexport/sdk';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueName } from '../../../testing/services.js';
import { PROGRESS_TTL_SECONDS, writeExportProgress, type OwnedProgress } from '../src/index.js';

const redis = new Redis(serviceEnv('REDIS_URL'));
afterAll(() => redis.quit());

const owned = (position: ProgressPosition, elapsed = 1): OwnedProgress => ({
  ...position,
  estimated_time_remaining: null,
  elapsed_time: elapsed,
  user_id: 'user-1',
});

const stored = async (exportId: string) =>
  JSON.parse((await redis.get(RedisKeys.exportProgress(exportId)))!) as OwnedProgress;

describe('writeExportProgress (real Redis)', () => {
  it('keeps processing 10 when an older downloading 0 lands after it, and publishes only what landed', async () => {
    const exportId = uniqueName('export');
    const subscriber = redis.duplicate();
    const published: ExportProgress[] = [];
    subscriber.on('message', (_channel, message: string) => published.push(JSON.parse(message)));
    await subscriber.subscribe(RedisKeys.exportProgressChannel(exportId));
    try {
      const newer = owned({ status: 'processing', current_stage: 'processing', progress: 10.6 }, 3);
      const older = owned({ status: 'processing', current_stage: 'downloading', progress: 0 }, 2);
      expect(await writeExportProgress(redis, exportId, newer)).toBe(true);
      expect(await writeExportProgress(redis, exportId, older)).toBe(false);
      const final = owned({ status: 'completed', current_stage: 'complete', progress: 100 }, 4);
      expect(await writeExportProgress(redis, exportId, final)).toBe(true);
      await expect.poll(() => published.length).toBe(2);
      expect(published).toEqual([newer, final]);
      expect(await stored(exportId)).toEqual(final);
      expect(await redis.ttl(RedisKeys.exportProgress(exportId))).toBeGreaterThan(PROGRESS_TTL_SECONDS - 60);
    } finally {
      await subscriber.quit();
    }
  });

  it('judges every pair of updates as the contract’s advanceProgress does', async () => {
    const positions = EXPORT_STATUSES.flatMap((status) =>
      STAGES.flatMap((current_stage) =>
        [0, 10, 55.3].map((progress): ProgressPosition => ({ status, current_stage, progress })),
      ),
    );
    const pairs = positions.flatMap((current) => positions.map((incoming) => [current, incoming] as const));
    const mismatches = (
      await Promise.all(
        pairs.map(async ([current, incoming]) => {
          const exportId = uniqueName('export');
          await writeExportProgress(redis, exportId, owned(current, 1));
          const landed = await writeExportProgress(redis, exportId, owned(incoming, 2));
          const expected = advanceProgress(owned(current, 1), owned(incoming, 2));
          const actual = await stored(exportId);
          const agrees =
            landed === (expected !== undefined) && isDeepStrictEqual(actual, expected ?? owned(current, 1));
          return agrees ? [] : [{ current, incoming, landed, actual, expected }];
        }),
      )
    ).flat();
    expect(mismatches).toEqual([]);
  });

  it('replaces a stored entry it cannot read', async () => {
    const exportId = uniqueName('export');
    await redis.set(RedisKeys.exportProgress(exportId), 'not json');
    const update = owned({ status: 'processing', current_stage: 'downloading', progress: 0 });
    expect(await writeExportProgress(redis, exportId, update)).toBe(true);
    expect(await stored(exportId)).toEqual(update);
  });
});
