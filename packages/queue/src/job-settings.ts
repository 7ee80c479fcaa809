import type {
  ExportChunkJobData,
  ExportChunkPiece,
  ExportVideoJobData,
  ProbeVideoJobData,
} from '@vexport/sdk';
import type Queue from 'bee-queue';

/**
 * The export job of an export: its id is the export's, so adding it twice is a no-op and the job can be
 * found again from the record; transient failures are retried twice, 5 s then 10 s later.
 */
export function exportJob(queue: Queue<ExportVideoJobData>, exportId: string): Queue.Job<ExportVideoJobData> {
  return queue.createJob({ export_id: exportId }).setId(exportId).retries(2).backoff('exponential', 5_000);
}

/** The probe job of a newly registered video, keyed by the video's id; retried twice, 2 s then 4 s later. */
export function probeJob(queue: Queue<ProbeVideoJobData>, videoId: string): Queue.Job<ProbeVideoJobData> {
  return queue.createJob({ video_id: videoId }).setId(videoId).retries(2).backoff('exponential', 2_000);
}

/**
 * One piece of a chunked export (see ExportChunkPiece): keyed `{export}:{piece}`, so queueing it twice (two
 * pieces that both saw the last one finish, a retried parent) is a no-op; transient failures are retried
 * twice, 2 s then 4 s later, and only that piece runs again.
 */
export function chunkJob(
  queue: Queue<ExportChunkJobData>,
  exportId: string,
  piece: ExportChunkPiece,
): Queue.Job<ExportChunkJobData> {
  return queue
    .createJob({ export_id: exportId, piece })
    .setId(`${exportId}:${piece}`)
    .retries(2)
    .backoff('exponential', 2_000);
}
