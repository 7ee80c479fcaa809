import { EXPORT_SPEED_SMOOTHING, RedisKeys, type ExportSpeedKind } from '@vexport/sdk';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { recordExportSpeed } from '../src/speeds/export-speed-recorder.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('REDIS_URL is not set: run integration tests through `npm test`.');
const redis = new Redis(redisUrl);
const logger = pino({ level: 'silent' });

// a kind no other test's exports make (a 4K WebM copy), so their speeds do not mix with these
const kind: ExportSpeedKind = { mode: 'copy', format: 'webm', resolution: '4k' };
const key = RedisKeys.exportSpeed(kind);

/** A completed export of `mediaSeconds` that started `wallSeconds` before `finishedAt`. */
const completed = (mediaSeconds: number, wallSeconds: number, finishedAt: number) => ({
  format: kind.format,
  resolution: kind.resolution,
  total_duration_seconds: mediaSeconds,
  started_at: new Date(finishedAt - wallSeconds * 1000),
});

beforeEach(() => redis.del(key));
afterAll(async () => {
  await redis.del(key);
  await redis.quit();
});

describe('recordExportSpeed against real Redis', () => {
  it('keeps a moving mean of media seconds per wall-clock second, per kind of export', async () => {
    const now = Date.now();
    await recordExportSpeed(redis, completed(20, 10, now), kind.mode, logger, now);
    expect(await redis.hgetall(key)).toEqual({ mean: '2', count: '1' });

    await recordExportSpeed(redis, completed(40, 10, now), kind.mode, logger, now);
    const { mean, count } = await redis.hgetall(key);
    expect(Number(mean)).toBeCloseTo(2 + EXPORT_SPEED_SMOOTHING * (4 - 2), 9);
    expect(count).toBe('2');
  });

  it('loses no measurement when several workers finish at the same moment', async () => {
    const now = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        recordExportSpeed(redis, completed(30, 10, now), kind.mode, logger, now),
      ),
    );
    expect(await redis.hgetall(key)).toEqual({ mean: '3', count: '20' });
  });

  it('records nothing for an export without a start time or length', async () => {
    const now = Date.now();
    await recordExportSpeed(redis, { ...completed(10, 5, now), started_at: null }, kind.mode, logger, now);
    await recordExportSpeed(redis, completed(0, 5, now), kind.mode, logger, now);
    expect(await redis.exists(key)).toBe(0);
  });

  it('does not fail the export when Redis cannot be reached', async () => {
    const closed = new Redis(redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    const now = Date.now();
    await expect(
      recordExportSpeed(closed, completed(10, 5, now), kind.mode, logger, now),
    ).resolves.toBeUndefined();
    closed.disconnect();
  });
});
