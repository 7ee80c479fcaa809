import { RedisKeys, WORKER_HEARTBEAT_TTL_SECONDS, type WorkerHeartbeat } from '@vexport/sdk';
import type { Redis } from 'ioredis';

/** A running heartbeat; `stop()` removes the worker's key at once rather than waiting for it to expire. */
export interface Heartbeat {
  stop(): Promise<void>;
}

/**
 * Announces this worker in Redis and refreshes the announcement every third of its lifetime, so that the
 * API can list live workers and a dead one disappears on its own.
 */
export async function startHeartbeat(
  redis: Redis,
  worker: WorkerHeartbeat,
  { ttlSeconds = WORKER_HEARTBEAT_TTL_SECONDS }: { ttlSeconds?: number } = {},
): Promise<Heartbeat> {
  const key = RedisKeys.workerHeartbeat(worker.id);
  const value = JSON.stringify(worker);
  const beat = () => redis.set(key, value, 'EX', ttlSeconds);
  await beat();
  const timer = setInterval(
    () => {
      beat().catch(() => undefined);
    },
    (ttlSeconds * 1000) / 3,
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await redis.del(key);
    },
  };
}
