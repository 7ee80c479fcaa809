/**
 * Which workers share a long export: the rule a worker applies when it splits an export into pieces, and the
 * one the API's estimate applies to say how many workers an export will run on.
 */

import type { Format } from './enums.js';
import type { ExportMode } from './export-estimate.js';
import type { WorkerHeartbeat } from './health.js';

/** Formats whose video is H.264, which a worker may encode on hardware; WebM's VP9 every worker encodes alike. */
const H264_FORMATS: ReadonlySet<Format> = new Set<Format>(['mp4', 'mov']);

/** What the sharing rules read of a worker's heartbeat. */
export type SharingWorker = Pick<WorkerHeartbeat, 'h264_encoder' | 'chunking'>;

/**
 * How many of the live workers can take a chunked export's pieces. A piece goes to whichever worker is
 * free, so each must be able to encode it: VP9 and libx264 every worker's ffmpeg has; a hardware H.264
 * encoder only the workers that announce it (a worker older than the announcement counts as without). When
 * any live worker lacks the hardware encoder the pieces need, none count: that export is made alone, on the
 * hardware, rather than split into pieces some worker would fail.
 */
export function workersForPieces(
  workers: readonly Pick<SharingWorker, 'h264_encoder'>[],
  format: Format,
  encoder: string,
): number {
  if (!H264_FORMATS.has(format) || encoder === 'libx264') return workers.length;
  return workers.every((worker) => worker.h264_encoder === encoder) ? workers.length : 0;
}

/**
 * How many workers an export is expected to run on: one, unless it is a re-encode that any live worker would
 * split (every one splits exports this long) and whose pieces every one can encode; then as many as its
 * chunks of the shortest length go round, at most every live worker.
 */
export function workersSharingExport(
  workers: readonly SharingWorker[],
  { mode, format, mediaSeconds }: { mode: ExportMode; format: Format; mediaSeconds: number },
): number {
  if (mode !== 'reencode' || workers.length < 2) return 1;
  const rules = workers.map((worker) => worker.chunking);
  if (rules.some((rule) => !rule || mediaSeconds < rule.min_output_seconds)) return 1;
  // whichever worker takes the export encodes with its own encoder: the pieces must suit each one's
  const encoders = new Set(workers.map((worker) => worker.h264_encoder ?? 'libx264'));
  if ([...encoders].some((encoder) => workersForPieces(workers, format, encoder) < workers.length)) return 1;
  const longestMinimum = Math.max(...rules.map((rule) => rule!.min_chunk_seconds));
  return Math.max(1, Math.min(workers.length, Math.floor(mediaSeconds / longestMinimum)));
}
