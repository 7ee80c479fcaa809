import { z } from 'zod';
import { MAX_SEGMENTS } from './segment-rules.js';

export {
  MAX_SEGMENTS,
  SEGMENT_END_TOLERANCE_SECONDS,
  findSegmentOutsideVideo,
  segmentDuration,
  totalSegmentDuration,
} from './segment-rules.js';

/** A time range of the source video, in seconds. */
export const ExportSegmentInput = z
  .strictObject({
    start_time: z.number().min(0, 'start_time must be 0 or more'),
    end_time: z.number().min(0, 'end_time must be 0 or more'),
    clip_id: z.string().trim().min(1).max(128).optional(),
    label: z.string().trim().min(1).max(200).optional(),
  })
  .refine((segment) => segment.start_time < segment.end_time, {
    message: 'start_time must be before end_time',
    path: ['end_time'],
  });
export type ExportSegmentInput = z.infer<typeof ExportSegmentInput>;

/** One to {@link MAX_SEGMENTS} segments. */
export const SegmentSelections = z
  .array(ExportSegmentInput)
  .min(1, 'choose at least one segment')
  .max(MAX_SEGMENTS, `at most ${MAX_SEGMENTS} segments per export`);
