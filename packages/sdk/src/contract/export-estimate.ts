/**
 * What an export will take before it is made: the query of `GET /api/exports/estimate`, its answer, and the
 * speeds the workers measure for each kind of export (kept in Redis, read by the API).
 */

import { z } from 'zod';
import { Format, Framing, FramingFit, QualityPreset, Resolution } from './enums.js';
import { MAX_SEGMENTS } from './segment-rules.js';
import { EntityId } from './timestamps.js';

export { formatSegmentList } from './segment-list.js';

/** How the worker produces an export's media: stream copy, copy with the cuts re-encoded, or re-encoding. */
export const EXPORT_MODES = ['copy', 'smart-cut', 'reencode'] as const;
export const ExportMode = z.enum(EXPORT_MODES);
export type ExportMode = z.infer<typeof ExportMode>;

/** A kind of export whose speed the workers measure: its mode, format and resolution. */
export interface ExportSpeedKind {
  mode: ExportMode;
  format: Format;
  resolution: Resolution;
}

/**
 * Media seconds per wall-clock second an export of each mode and resolution is assumed to run at before any
 * has been measured, from the start of its job to its stored file: a re-encode on two cores at 720p runs at
 * about 1.5× real time, 1080p has 2.25× the pixels, 4K 9×; a copy only reads and writes.
 */
export const DEFAULT_EXPORT_SPEEDS: Readonly<Record<ExportMode, Readonly<Record<Resolution, number>>>> =
  Object.freeze({
    copy: { '720p': 10, '1080p': 10, '4k': 6 },
    'smart-cut': { '720p': 4, '1080p': 3, '4k': 1.5 },
    reencode: { '720p': 1.5, '1080p': 0.7, '4k': 0.2 },
  });

/**
 * Weight of each new measurement in a kind's moving mean of speeds: the last few exports count most, so the
 * estimate follows a change of machines or load within about five exports.
 */
export const EXPORT_SPEED_SMOOTHING = 0.3;

/** The same segments as the create request's, written `start-end` with commas between: `0-4.5,10-12.25`. */
const SEGMENT_LIST = /^\d+(\.\d+)?-\d+(\.\d+)?(,\d+(\.\d+)?-\d+(\.\d+)?)*$/;
const SEGMENTS_MESSAGE =
  'segments must list the time ranges in seconds as start-end, separated by commas (0-4.5,10-12)';

/** Query of `GET /api/exports/estimate`; every value arrives as a string and is coerced here. */
export const ExportEstimateQuery = z.strictObject({
  video_id: EntityId,
  format: Format,
  resolution: Resolution,
  quality_preset: QualityPreset,
  framing: Framing.optional(),
  framing_fit: FramingFit.optional(),
  segments: z
    .string()
    .max(MAX_SEGMENTS * 40, `at most ${MAX_SEGMENTS} segments per export`)
    .regex(SEGMENT_LIST, SEGMENTS_MESSAGE)
    .transform((list) =>
      list.split(',').map((range) => {
        const [start_time, end_time] = range.split('-').map(Number) as [number, number];
        return { start_time, end_time };
      }),
    )
    .refine((segments) => segments.every((segment) => segment.end_time > segment.start_time), {
      message: 'each segment must end after it starts',
    })
    .refine((segments) => segments.length <= MAX_SEGMENTS, {
      message: `at most ${MAX_SEGMENTS} segments per export`,
    })
    .describe('The time ranges to export, in seconds: `start-end`, separated by commas (`0-4.5,10-12`).'),
});
export type ExportEstimateQuery = z.input<typeof ExportEstimateQuery>;

/** The answer of `GET /api/exports/estimate`. */
export const ExportEstimate = z.object({
  /** How the worker will most likely produce it (a copy may turn out a smart cut, or either a re-encode). */
  mode: ExportMode,
  /** Seconds of media to produce: the segments' total. */
  media_seconds: z.number().min(0),
  /** The file's expected size in bytes (see estimateExportBytes). */
  size_bytes: z.number().int().min(0),
  /** Wall-clock seconds from the start of the export to its stored file. */
  seconds: z.number().min(0),
  /**
   * Workers expected to share the encode (see workersSharingExport): more than one for a re-encode long
   * enough for the live workers to split; `seconds` is the time on all of them.
   */
  workers: z.number().int().min(1),
  /** Media seconds per wall-clock second this estimate assumes. */
  media_seconds_per_second: z.number().positive(),
  /**
   * `measured`: the workers' moving mean for this kind of export; `default`: none was measured yet, the
   * speed is {@link DEFAULT_EXPORT_SPEEDS}'s.
   */
  basis: z.enum(['measured', 'default']),
  /** How many exports of this kind were measured. */
  measured_exports: z.number().int().min(0),
});
export type ExportEstimate = z.infer<typeof ExportEstimate>;
