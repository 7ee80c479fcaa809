/** Names of the bee-queue queues between the API (producer) and the workers (consumers). */
export const QueueNames = {
  exportVideo: 'export_video',
  probeVideo: 'probe_video',
  exportChunk: 'export_chunk',
} as const;

/** Payload of an `export_video` job; the job id is the export id, so a job is queued once per export. */
export interface ExportVideoJobData {
  export_id: string;
}

/** Payload of a `probe_video` job; the job id is the video id. */
export interface ProbeVideoJobData {
  video_id: string;
}

/**
 * One piece of a chunked export: a video chunk by its position in the output (`chunk-0`, `chunk-1`…), the
 * whole output's audio, or the join that assembles and delivers them.
 */
export type ExportChunkPiece = `chunk-${number}` | 'audio' | 'join';

/** Payload of an `export_chunk` job; the job id is `{export_id}:{piece}`, so a piece is queued once. */
export interface ExportChunkJobData {
  export_id: string;
  piece: ExportChunkPiece;
}
