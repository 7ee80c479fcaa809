import type { Format, WorkerHeartbeat } from '@vexport/sdk';
import { FORMAT_TARGETS, type H264Encoder } from '../media/encoding.js';

/**
 * How many of the live workers can take a chunked export's pieces. A piece goes to whichever worker is
 * free, so each must be able to encode it: VP9 and libx264 every worker's ffmpeg has; a hardware H.264
 * encoder only the workers that announce it (a worker older than the announcement counts as without). When
 * any live worker lacks the hardware encoder the pieces need, none count: that export is made alone, on the
 * hardware, rather than split into pieces some worker would fail.
 */
export function workersForPieces(
  workers: readonly Pick<WorkerHeartbeat, 'h264_encoder'>[],
  format: Format,
  encoder: H264Encoder,
): number {
  if (FORMAT_TARGETS[format].videoCodec !== 'h264' || encoder === 'libx264') return workers.length;
  return workers.every((worker) => worker.h264_encoder === encoder) ? workers.length : 0;
}
