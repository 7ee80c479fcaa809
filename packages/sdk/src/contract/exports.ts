import { z } from 'zod';
import { ExportStatus, ExportType, Format, QualityPreset, Resolution, Stage } from './enums.js';
import { exportTypeMismatch } from './segment-rules.js';
import { ExportSegmentInput, SegmentSelections } from './segments.js';

export { exportTypeMismatch } from './segment-rules.js';
import { EntityId, Timestamp } from './timestamps.js';

/**
 * Body of `POST /api/videos/{video_id}/export`. Resolution, format and quality default to the user's saved
 * export settings when left out.
 */
export const ExportCreateRequest = z
  .object({
    export_type: ExportType,
    resolution: Resolution.optional(),
    format: Format.optional(),
    quality_preset: QualityPreset.optional(),
    segment_selections: SegmentSelections,
  })
  .superRefine((request, context) => {
    const problem = exportTypeMismatch(request.export_type, request.segment_selections.length);
    if (problem) context.addIssue({ code: 'custom', message: problem, path: ['export_type'] });
  });
export type ExportCreateRequest = z.infer<typeof ExportCreateRequest>;

/** An export record as the API returns it. */
export const Export = z.object({
  id: EntityId,
  video_id: EntityId,
  user_id: EntityId,
  export_type: ExportType,
  resolution: Resolution,
  format: Format,
  quality_preset: QualityPreset,
  status: ExportStatus,
  progress_percentage: z.number().int().min(0).max(100),
  segment_selections: z.array(ExportSegmentInput),
  total_duration_seconds: z.number().min(0),
  output_s3_key: z.string().nullable(),
  output_url: z.string().nullable(),
  file_size_bytes: z.number().int().min(0).nullable(),
  error_message: z.string().nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
  started_at: Timestamp.nullable(),
  completed_at: Timestamp.nullable(),
});
export type Export = z.infer<typeof Export>;

/** Live progress of an export (`GET /api/exports/{id}/progress` and each SSE event). */
export const ExportProgress = z.object({
  progress: z.number().min(0).max(100),
  status: ExportStatus,
  current_stage: Stage,
  /** Seconds until done, from the measured speed; null until there is a measurement. */
  estimated_time_remaining: z.number().min(0).nullable(),
  /** Seconds since the worker started the export. */
  elapsed_time: z.number().min(0),
  /** When this was measured (the worker's clock, or the record's last change), so a client can tell its age. */
  updated_at: Timestamp.optional(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

/** A time-limited download link for a completed export. */
export const ExportDownload = z.object({
  url: z.string(),
  expires_at: Timestamp,
});
export type ExportDownload = z.infer<typeof ExportDownload>;

/** The most exports one list page may hold. */
export const MAX_PAGE_LIMIT = 100;

/** One page of exports. */
export const ExportList = z.object({
  exports: z.array(Export),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  limit: z.number().int().min(1).max(MAX_PAGE_LIMIT),
});
export type ExportList = z.infer<typeof ExportList>;

/** Fields an export list can be sorted by. */
export const ExportSortField = z.enum(['created_at', 'file_size_bytes', 'status']);
export type ExportSortField = z.infer<typeof ExportSortField>;

/** Query of the export list endpoints; every value arrives as a string and is coerced here. */
export const ExportListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(20),
  status: ExportStatus.optional(),
  export_type: ExportType.optional(),
  sort: ExportSortField.default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ExportListQuery = z.infer<typeof ExportListQuery>;
