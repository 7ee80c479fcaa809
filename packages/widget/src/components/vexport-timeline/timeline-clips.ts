/** Where a clip may go without overlapping its neighbours, and which clips overlap already. */

/** A clip on the timeline: the export contract's segment (times in seconds, start before end). */
export interface TimelineSegment {
  start_time: number;
  end_time: number;
  label?: string;
  clip_id?: string;
}

/** The range an edge of a clip may move in. */
export interface EdgeBounds {
  min: number;
  max: number;
}

/**
 * The range the start (`edge` = 'start') or end of `segments[index]` may move in: not past the clip's
 * other edge (one frame apart), not into the nearest clip on that side, and within 0..`duration`.
 */
export function edgeBounds(
  segments: readonly TimelineSegment[],
  index: number,
  edge: 'start' | 'end',
  duration: number,
  frame: number,
): EdgeBounds {
  const clip = segments[index]!;
  const others = segments.filter((_other, position) => position !== index);
  if (edge === 'start') {
    const before = others.filter((other) => other.end_time <= clip.start_time);
    return {
      min: Math.max(0, ...before.map((other) => other.end_time)),
      max: clip.end_time - frame,
    };
  }
  const after = others.filter((other) => other.start_time >= clip.end_time);
  return {
    min: clip.start_time + frame,
    max: Math.min(duration, ...after.map((other) => other.start_time)),
  };
}

/** The first clip (other than `except`) that shares time with `start`..`end`, or -1. */
export function overlapping(
  segments: readonly TimelineSegment[],
  start: number,
  end: number,
  except = -1,
): number {
  return segments.findIndex(
    (other, position) => position !== except && other.start_time < end && start < other.end_time,
  );
}

/** For each clip, the index of a clip it overlaps, or -1. */
export function overlaps(segments: readonly TimelineSegment[]): number[] {
  return segments.map((clip, index) => overlapping(segments, clip.start_time, clip.end_time, index));
}

/** Where "mark out" without "mark in" starts a clip ending at `time`: the previous clip's end, or 0. */
export function implicitStart(segments: readonly TimelineSegment[], time: number): number {
  return Math.max(0, ...segments.filter((clip) => clip.end_time <= time).map((clip) => clip.end_time));
}
