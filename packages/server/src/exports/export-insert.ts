import type { ExportAttributes } from '@vexport/db';
import {
  SEGMENT_END_TOLERANCE_SECONDS,
  totalSegmentDuration,
  type ExportSegmentInput,
  type ExportType,
  type Format,
  type Framing,
  type FramingFit,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
import { QueryTypes, type Sequelize } from 'sequelize';

/** What a new export is made of. */
export interface NewExport {
  userId: string;
  videoId: string;
  exportType: ExportType;
  resolution: Resolution;
  format: Format;
  qualityPreset: QualityPreset;
  framing: Framing;
  framingFit: FramingFit;
  /** Integrated loudness target in LUFS; null leaves the audio level untouched. */
  loudnessLufs: number | null;
  segments: ExportSegmentInput[];
  idempotencyKey: string | null;
  requestFingerprint: string | null;
}

/**
 * Stores the export only if its video belongs to the user, has been probed, and is long enough for every
 * segment: the check and the insert are one statement, so a create costs one round trip to PostgreSQL and
 * no model instances. The comparison is the one findSegmentOutsideVideo makes (the last end ≤ duration +
 * SEGMENT_END_TOLERANCE_SECONDS, both in double precision). Resolves to undefined when the video does not qualify; the caller asks why.
 */
export async function insertExportOfReadyVideo(
  sequelize: Sequelize,
  values: NewExport,
): Promise<ExportAttributes | undefined> {
  const rows = await sequelize.query<ExportAttributes & { file_size_bytes: string | number | null }>(
    `INSERT INTO exports (video_id, user_id, export_type, resolution, format, quality_preset,
       segment_selections, total_duration_seconds, idempotency_key, request_fingerprint,
       framing, framing_fit, loudness_lufs)
     SELECT videos.id, videos.user_id, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $13, $14, $15::real
     FROM videos
     WHERE videos.id = $1 AND videos.user_id = $2 AND videos.status = 'completed'
       AND $11::double precision <= videos.duration_seconds + $12::double precision
     RETURNING *`,
    {
      bind: [
        values.videoId,
        values.userId,
        values.exportType,
        values.resolution,
        values.format,
        values.qualityPreset,
        JSON.stringify(values.segments),
        totalSegmentDuration(values.segments),
        values.idempotencyKey,
        values.requestFingerprint,
        Math.max(...values.segments.map((segment) => segment.end_time)),
        SEGMENT_END_TOLERANCE_SECONDS,
        values.framing,
        values.framingFit,
        values.loudnessLufs,
      ],
      type: QueryTypes.SELECT,
    },
  );
  const row = rows[0];
  if (!row) return undefined;
  // bigint arrives as a string (the model converts it on read; a raw row must be converted here)
  return { ...row, file_size_bytes: row.file_size_bytes === null ? null : Number(row.file_size_bytes) };
}
