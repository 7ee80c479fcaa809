/** Names of the bee-queue queues between the API (producer) and the workers (consumers). */
export const QueueNames = {
  exportVideo: 'export_video',
  probeVideo: 'probe_video',
} as const;

/** Payload of an `export_video` job; the job id is the export id, so a job is queued once per export. */
export interface ExportVideoJobData {
  export_id: string;
}

/** Payload of a `probe_video` job; the job id is the video id. */
export interface ProbeVideoJobData {
  video_id: string;
}
