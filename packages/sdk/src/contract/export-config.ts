import type { z } from 'zod';
import type { ExportCreateRequest } from './exports.js';
import type { ExportSegmentInput } from './segments.js';

/**
 * What a caller sends to create an export (`resolution`, `format`, `quality`, `export_type`, `segments`): the
 * input of {@link ExportCreateRequest}, so it accepts exactly what the API accepts.
 */
export type ExportConfig = z.input<typeof ExportCreateRequest>;

/** One time range of the source video in an {@link ExportConfig} (`start_time`, `end_time`, optional `clip_id`). */
export type ExportSegment = z.input<typeof ExportSegmentInput>;
