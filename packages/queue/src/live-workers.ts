import { RedisKeys, WorkerHeartbeat } from '@vexport/sdk';
import type { Redis } from 'ioredis';

/** A heartbeat's stored value, or undefined when it is not one (a key written by something else). */
function parseHeartbeat(value: string | null): WorkerHeartbeat | undefined {
  if (!value) return undefined;
  try {
    const parsed = WorkerHeartbeat.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The workers whose heartbeat is alive, oldest first: the keys found with SCAN (which never blocks Redis,
 * however many keys it holds), then their values in one MGET.
 */
export async function listLiveWorkers(redis: Redis): Promise<WorkerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', RedisKeys.workerHeartbeatPattern, 'COUNT', 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values
    .flatMap((value) => parseHeartbeat(value) ?? [])
    .sort((a, b) => a.started_at.localeCompare(b.started_at));
}
