// Segment rules as plain functions, free of zod so that the widget can use them without the schema library.
// The schemas in segments.ts and exports.ts apply the same rules.
import type { ExportType } from './enums.js';

/** The most segments one export may hold. */
export const MAX_SEGMENTS = 50;

interface TimeRange {
  start_time: number;
  end_time: number;
}

/** Length of a segment in seconds. */
export function segmentDuration(segment: TimeRange): number {
  return segment.end_time - segment.start_time;
}

/** Sum of the segments' lengths in seconds. */
export function totalSegmentDuration(segments: readonly TimeRange[]): number {
  return segments.reduce((total, segment) => total + segmentDuration(segment), 0);
}

/** How far past a video's probed duration a segment may end: players round currentTime against it. */
export const SEGMENT_END_TOLERANCE_SECONDS = 0.05;

/**
 * The index of the first segment that does not fit inside a video of `durationSeconds`, or -1 when all fit
 * (a segment fits when it ends at most `toleranceSeconds` after the end).
 */
export function findSegmentOutsideVideo(
  segments: readonly TimeRange[],
  durationSeconds: number,
  toleranceSeconds = SEGMENT_END_TOLERANCE_SECONDS,
): number {
  return segments.findIndex((segment) => segment.end_time > durationSeconds + toleranceSeconds);
}

/**
 * Why `exportType` cannot carry `segmentCount` segments, or undefined when it can:
 * `single` takes exactly one, `combined` two or more, `clips` one or more.
 */
export function exportTypeMismatch(exportType: ExportType, segmentCount: number): string | undefined {
  if (exportType === 'single' && segmentCount !== 1) {
    return `a single export takes exactly one segment (got ${segmentCount}); use combined or clips for several`;
  }
  if (exportType === 'combined' && segmentCount < 2) {
    return 'a combined export joins two or more segments; use single for one segment';
  }
  return undefined;
}
