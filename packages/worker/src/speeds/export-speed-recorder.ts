import {
  EXPORT_SPEED_SMOOTHING,
  RedisKeys,
  type ExportMode,
  type Format,
  type Resolution,
} from '@vexport/sdk';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Folds one measured speed into a kind's moving mean (the first measurement is taken as it is) and counts
 * it, in one step on the Redis server so that workers finishing at the same moment do not lose each other's
 * measurement.
 */
const FOLD_SPEED = `
local measured = tonumber(ARGV[1])
local mean = tonumber(redis.call('HGET', KEYS[1], 'mean'))
if mean then mean = mean + tonumber(ARGV[2]) * (measured - mean) else mean = measured end
redis.call('HSET', KEYS[1], 'mean', tostring(mean))
return redis.call('HINCRBY', KEYS[1], 'count', 1)
`;

/** A completed export as its record holds it. */
export interface CompletedExport {
  format: Format;
  resolution: Resolution;
  total_duration_seconds: number;
  started_at: Date | null;
}

/**
 * Records how fast a completed export ran, in media seconds per wall-clock second from its start to its
 * stored file, under its kind (mode, format, resolution), for the API's time estimates. Never throws: a
 * speed not recorded costs one measurement, not the export.
 */
export async function recordExportSpeed(
  redis: Redis,
  record: CompletedExport,
  mode: ExportMode,
  logger: Logger,
  finishedAt = Date.now(),
): Promise<void> {
  const wallSeconds = (finishedAt - (record.started_at?.getTime() ?? finishedAt)) / 1000;
  if (wallSeconds <= 0 || record.total_duration_seconds <= 0) return;
  const key = RedisKeys.exportSpeed({ mode, format: record.format, resolution: record.resolution });
  const speed = record.total_duration_seconds / wallSeconds;
  try {
    await redis.eval(FOLD_SPEED, 1, key, String(speed), String(EXPORT_SPEED_SMOOTHING));
  } catch (error) {
    logger.warn({ err: error, key }, 'could not record the export speed');
  }
}
