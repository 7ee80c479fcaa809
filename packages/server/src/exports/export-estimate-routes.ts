import {
  DEFAULT_EXPORT_SPEEDS,
  ExportEstimateQuery,
  RedisKeys,
  estimateExportBytes,
  predictExportMode,
  totalSegmentDuration,
  workersSharingExport,
  type ExportEstimate,
  type ExportSpeedKind,
  type WorkerHeartbeat,
} from '@vexport/sdk';
import { listLiveWorkers } from '@vexport/queue';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { currentUser } from '../http/request-context.js';
import { parseRequest } from '../http/validate.js';
import type { VideoService } from '../videos/video-service.js';

/** How long the estimate relies on one listing of the live workers. */
export const LIVE_WORKERS_TTL_MS = 5_000;

/** A kind of export's speed: the workers' moving mean once one was measured, the default before. */
type ExportSpeed = Pick<ExportEstimate, 'media_seconds_per_second' | 'basis' | 'measured_exports'>;

/** The speed the workers measured for `kind` (see recordExportSpeed in @vexport/worker), or the default. */
export async function readExportSpeed(redis: Redis, kind: ExportSpeedKind): Promise<ExportSpeed> {
  const { mean, count } = await redis.hgetall(RedisKeys.exportSpeed(kind));
  const measured = Number(mean);
  const exports = Number(count);
  if (Number.isFinite(measured) && measured > 0 && Number.isInteger(exports) && exports > 0) {
    return { media_seconds_per_second: measured, basis: 'measured', measured_exports: exports };
  }
  return {
    media_seconds_per_second: DEFAULT_EXPORT_SPEEDS[kind.mode][kind.resolution],
    basis: 'default',
    measured_exports: 0,
  };
}

export interface ExportEstimateRouteOptions {
  videos: VideoService;
  redis: Redis;
}

/**
 * `GET /api/exports/estimate`: the size and time an export of one of the user's videos would take, before
 * it is created. Mounted at `/api/exports/estimate`, ahead of the routes that read `/api/exports/{id}`.
 */
export function exportEstimateRoutes({ videos, redis }: ExportEstimateRouteOptions): Router {
  const router = Router();
  // a dialog asks again on every change: the workers are listed at most once a few seconds
  let listed: { at: number; workers: Promise<WorkerHeartbeat[]> } | undefined;
  const liveWorkersNow = () => {
    if (!listed || Date.now() - listed.at > LIVE_WORKERS_TTL_MS) {
      const workers = listLiveWorkers(redis).catch(() => []);
      listed = { at: Date.now(), workers };
    }
    return listed.workers;
  };
  router.get('/', async (request, response) => {
    const query = parseRequest(ExportEstimateQuery, request.query, 'query');
    const video = await videos.get(currentUser(request).userId, query.video_id);
    const mode = predictExportMode(query, video);
    const mediaSeconds = totalSegmentDuration(query.segments);
    const [speed, liveWorkers] = await Promise.all([
      readExportSpeed(redis, { mode, format: query.format, resolution: query.resolution }),
      liveWorkersNow(),
    ]);
    // the measured speed is one worker's: an export the workers split runs on as many at once
    const workers = workersSharingExport(liveWorkers, { mode, format: query.format, mediaSeconds });
    const estimate: ExportEstimate = {
      mode,
      media_seconds: mediaSeconds,
      size_bytes: estimateExportBytes(query, video),
      seconds: mediaSeconds / (speed.media_seconds_per_second * workers),
      workers,
      ...speed,
    };
    response.json(estimate);
  });
  return router;
}
