import { z } from 'zod';
import {
  ExportStatus,
  ExportType,
  Format,
  Framing,
  FramingFit,
  QualityPreset,
  Resolution,
  Stage,
} from './enums.js';
import { exportTypeMismatch } from './segment-rules.js';
import { ExportSegmentInput, SegmentSelections } from './segments.js';
import { DEFAULT_FRAMING, DEFAULT_FRAMING_FIT, MAX_LOUDNESS_LUFS, MIN_LOUDNESS_LUFS } from './values.js';

export { exportTypeMismatch } from './segment-rules.js';
import { EntityId, Timestamp } from './timestamps.js';

/**
 * Names the create request also takes for its fields (alias → the specification's name): the stored
 * record's names, which clients written against the Export model send.
 */
export const EXPORT_CREATE_ALIASES = {
  quality_preset: 'quality',
  segment_selections: 'segments',
} as const;

const LOUDNESS_RANGE_MESSAGE =
  `loudness_lufs must be between ${MIN_LOUDNESS_LUFS} and ${MAX_LOUDNESS_LUFS} LUFS ` +
  '(-14 suits social platforms), or null to leave the audio level as it is';

/**
 * An integrated loudness target in LUFS (EBU R128), from {@link MIN_LOUDNESS_LUFS} to
 * {@link MAX_LOUDNESS_LUFS}; {@link LOUDNESS_TARGETS} holds the usual ones.
 */
export const LoudnessLufs = z
  .number({ error: LOUDNESS_RANGE_MESSAGE })
  .min(MIN_LOUDNESS_LUFS, LOUDNESS_RANGE_MESSAGE)
  .max(MAX_LOUDNESS_LUFS, LOUDNESS_RANGE_MESSAGE);

const ExportCreateFields = z.strictObject({
  export_type: ExportType,
  resolution: Resolution.optional(),
  format: Format.optional(),
  quality: QualityPreset.optional(),
  segments: SegmentSelections.optional(),
  framing: Framing.optional().describe(`The output picture's shape; \`${DEFAULT_FRAMING}\` when left out.`),
  framing_fit: FramingFit.optional().describe(
    `How the picture meets a framing of another shape; \`${DEFAULT_FRAMING_FIT}\` when left out.`,
  ),
  loudness_lufs: LoudnessLufs.nullable()
    .optional()
    .describe('Integrated loudness target in LUFS; null or left out leaves the audio level as it is.'),
  quality_preset: QualityPreset.optional().describe('Alias of `quality`.'),
  segment_selections: SegmentSelections.optional().describe('Alias of `segments`.'),
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Body of `POST /api/videos/{video_id}/export`, in the specification's names (`quality`, `segments`) or
 * their aliases ({@link EXPORT_CREATE_ALIASES}); both names at once must agree. Parsing gives the
 * specification's names only. Resolution, format and quality default to the user's saved export settings
 * when left out; framing to {@link DEFAULT_FRAMING}, framing fit to {@link DEFAULT_FRAMING_FIT}, loudness to
 * none (the audio level untouched).
 */
export const ExportCreateRequest = ExportCreateFields.superRefine(
  (request, context) => {
    // runs even when other fields failed, so that a missing list is reported with them
    if (request.segments === undefined && request.segment_selections === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'segments is required: the time ranges to export',
        path: ['segments'],
      });
    }
  },
  { when: (payload) => isObject(payload.value) },
)
  .superRefine((request, context) => {
    for (const [alias, name] of Object.entries(EXPORT_CREATE_ALIASES)) {
      const primary = request[name];
      const other = request[alias as keyof typeof EXPORT_CREATE_ALIASES];
      if (primary === undefined || other === undefined) continue;
      if (JSON.stringify(primary) === JSON.stringify(other)) continue;
      const message = `\`${name}\` and its alias \`${alias}\` differ; send one of them`;
      context.addIssue({ code: 'custom', message, path: [name] });
      context.addIssue({ code: 'custom', message, path: [alias] });
    }
    const segments = request.segments ?? request.segment_selections;
    const problem = segments && exportTypeMismatch(request.export_type, segments.length);
    if (problem) context.addIssue({ code: 'custom', message: problem, path: ['export_type'] });
  })
  .transform(({ quality_preset, segment_selections, ...request }) => ({
    ...request,
    quality: request.quality ?? quality_preset,
    // the first refinement made sure that one of the two is there
    segments: (request.segments ?? segment_selections)!,
  }))
  // JSON Schema (the OpenAPI document) of the rule the first refinement applies
  .meta({ anyOf: [{ required: ['segments'] }, { required: ['segment_selections'] }] });
/** A create request as a client sends it: the specification's names or their aliases. */
export type ExportCreateRequest = z.input<typeof ExportCreateRequest>;
/** A create request as parsed: the specification's names only, aliases resolved. */
export type ParsedExportCreateRequest = z.output<typeof ExportCreateRequest>;

/** An export record as the API returns it. */
export const Export = z.object({
  id: EntityId,
  video_id: EntityId,
  user_id: EntityId,
  export_type: ExportType,
  resolution: Resolution,
  format: Format,
  quality_preset: QualityPreset,
  /** The output picture's shape. */
  framing: Framing.default(DEFAULT_FRAMING),
  /** How the picture meets the framing: centre crop or black bars (no effect on `original`). */
  framing_fit: FramingFit.default(DEFAULT_FRAMING_FIT),
  /** Integrated loudness target in LUFS (EBU R128); null when the audio level is left as it is. */
  loudness_lufs: LoudnessLufs.nullable().default(null),
  status: ExportStatus,
  progress_percentage: z.number().int().min(0).max(100),
  segment_selections: z.array(ExportSegmentInput),
  /** The segments' total length rounded up to a whole second (the specification's integer). */
  total_duration_seconds: z.number().int().min(0),
  /** The segments' exact total length in seconds. */
  total_duration: z.number().min(0),
  output_s3_key: z.string().nullable(),
  output_url: z.string().nullable(),
  file_size_bytes: z.number().int().min(0).nullable(),
  /**
   * True when the exported picture is larger than the source's (a 480p source exported at 1080p), so a client
   * can warn that it holds no more detail than the source; null until the export completes.
   */
  upscaled: z.boolean().nullable(),
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

/** Other values `sort` takes (alias → field): the specification's `file_size`. */
export const EXPORT_SORT_ALIASES = { file_size: 'file_size_bytes' } as const;

const ExportSortParameter = z
  .enum([...ExportSortField.options, 'file_size'])
  .transform((sort) => (sort === 'file_size' ? EXPORT_SORT_ALIASES.file_size : sort));

/** Query of the export list endpoints; every value arrives as a string and is coerced here. */
export const ExportListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(20),
  status: ExportStatus.optional(),
  export_type: ExportType.optional(),
  sort: ExportSortParameter.default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ExportListQuery = z.infer<typeof ExportListQuery>;
