import type { ExportSpeedKind } from './export-estimate.js';

/**
 * Redis keys and channels shared by the API and the workers. Their names are part of vexport's operating
 * contract (documented for operators), so they live here once.
 */
export const RedisKeys = {
  /**
   * Furthest {@link ExportProgress} of an export plus its owner's `user_id`, as JSON. Written only by
   * `writeExportProgress` (@vexport/queue), which drops any update that would move it back.
   */
  exportProgress: (exportId: string) => `export_progress:${exportId}`,
  /** Set when a user cancelled an export; the worker stops its ffmpeg. */
  exportCancel: (exportId: string) => `export_cancel:${exportId}`,
  /** Pub/sub channel carrying each progress update of an export. */
  exportProgressChannel: (exportId: string) => `export_progress_channel:${exportId}`,
  /** Pub/sub channel on which cancellations are announced (message: the export id). */
  exportCancelChannel: 'export_cancel_channel',
  /** One key per live worker process, refreshed while it runs and expiring when it dies. */
  workerHeartbeat: (workerId: string) => `vexport:workers:${workerId}`,
  /** Pattern matching every worker heartbeat key. */
  workerHeartbeatPattern: 'vexport:workers:*',
  /** Prefix of the per-user hourly counters of export creations (express-rate-limit appends the user id). */
  exportCreateRatePrefix: 'vexport:rate:export-create:',
  /** Prefix of the per-user hourly counters of video registrations (the user id is appended). */
  videoCreateRatePrefix: 'vexport:rate:video-create:',
  /** Bytes a user uploaded on one UTC day (`YYYY-MM-DD`), including uploads still in progress. */
  uploadBytes: (userId: string, day: string) => `vexport:upload_bytes:${userId}:${day}`,
  /** Sorted set of a user's open SSE streams (`{process}:{stream}`), scored by when each was last seen alive. */
  openStreams: (userId: string) => `vexport:sse_streams:${userId}`,
  /**
   * Hash of the workers' measured speed for one kind of export: `mean` (media seconds per wall-clock second,
   * a moving mean) and `count` (exports measured). Written by the workers, read by the API's estimates.
   */
  exportSpeed: ({ mode, format, resolution }: ExportSpeedKind) =>
    `vexport:export_speed:${mode}:${format}:${resolution}`,
} as const;

/** Seconds a worker heartbeat lives without being refreshed. */
export const WORKER_HEARTBEAT_TTL_SECONDS = 15;
