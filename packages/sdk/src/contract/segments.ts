import { z } from 'zod';

/** The most segments one export may hold. */
export const MAX_SEGMENTS = 50;

/** A time range of the source video, in seconds. */
export const ExportSegmentInput = z
  .object({
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

/** Length of a segment in seconds. */
export function segmentDuration(segment: Pick<ExportSegmentInput, 'start_time' | 'end_time'>): number {
  return segment.end_time - segment.start_time;
}

/** Sum of the segments' lengths in seconds. */
export function totalSegmentDuration(
  segments: readonly Pick<ExportSegmentInput, 'start_time' | 'end_time'>[],
): number {
  return segments.reduce((total, segment) => total + segmentDuration(segment), 0);
}

/**
 * The index of the first segment that does not fit inside a video of `durationSeconds`, or -1 when all fit.
 * A small tolerance absorbs the rounding of players' currentTime against the probed duration.
 */
export function findSegmentOutsideVideo(
  segments: readonly Pick<ExportSegmentInput, 'start_time' | 'end_time'>[],
  durationSeconds: number,
  toleranceSeconds = 0.05,
): number {
  return segments.findIndex((segment) => segment.end_time > durationSeconds + toleranceSeconds);
}
