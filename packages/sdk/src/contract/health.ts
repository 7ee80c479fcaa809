import { z } from 'zod';

/** What one running worker process reports about itself. */
export const WorkerHeartbeat = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  ffmpeg_version: z.string(),
  /**
   * The H.264 encoder its exports use (`libx264` or a hardware one): a chunked export's pieces go only to
   * workers that all have the encoder the pieces need. Absent from workers older than chunked exports.
   */
  h264_encoder: z.string().optional(),
  /**
   * How it splits long re-encodes across the workers (see workersSharingExport): from how many seconds of
   * output, in chunks of at least how many seconds; null when it encodes every export alone. Absent from
   * workers older than chunked exports.
   */
  chunking: z
    .object({ min_output_seconds: z.number().positive(), min_chunk_seconds: z.number().positive() })
    .nullable()
    .optional(),
  started_at: z.iso.datetime({ offset: true }),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;

/** Body of `GET /healthz`: the API is alive, and the versions of what it found. */
export const HealthReport = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  postgres: z.object({ version: z.string().nullable(), error: z.string().optional() }),
  redis: z.object({ version: z.string().nullable(), error: z.string().optional() }),
  ffmpeg: z.object({ version: z.string().nullable() }),
  workers: z.array(WorkerHeartbeat),
});
export type HealthReport = z.infer<typeof HealthReport>;
