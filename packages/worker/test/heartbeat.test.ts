import { RedisKeys } from '@vexport/sdk';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startHeartbeat } from '../src/heartbeat/heartbeat.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('REDIS_URL is not set: run integration tests through `npm test`.');
const redis = new Redis(redisUrl);

afterAll(() => redis.quit());

describe('worker heartbeat against real Redis', () => {
  const worker = {
    id: `heartbeat-test-${process.pid}-${Date.now()}`,
    hostname: 'test',
    pid: process.pid,
    ffmpeg_version: '5.1',
    started_at: new Date().toISOString(),
  };
  const key = RedisKeys.workerHeartbeat(worker.id);

  it('announces the worker with an expiry and refreshes it before it lapses', async () => {
    const heartbeat = await startHeartbeat(redis, worker, { ttlSeconds: 1 });
    try {
      expect(JSON.parse((await redis.get(key))!)).toEqual(worker);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await redis.exists(key)).toBe(1);
    } finally {
      await heartbeat.stop();
    }
  });

  it('removes the announcement at once when stopped', async () => {
    const heartbeat = await startHeartbeat(redis, worker, { ttlSeconds: 30 });
    await heartbeat.stop();
    expect(await redis.exists(key)).toBe(0);
  });
});
