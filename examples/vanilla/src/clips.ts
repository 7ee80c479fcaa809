// The editor's clips as the demo keeps them: the timeline's segments, each with an id so that the tick
// ("export this clip") survives edits on the timeline.
import type { ExportSegmentInput } from '@vexport/sdk';
import type { TimelineSegment } from '@vexport/widget';

/** A clip with the id the demo gives it. */
export type Clip = TimelineSegment & { clip_id: string };

let made = 0;

/** `segments` from the timeline, each with an id (new clips get a fresh one). */
export function withIds(segments: readonly TimelineSegment[]): Clip[] {
  return segments.map((segment) => {
    if (segment.clip_id) return segment as Clip;
    made += 1;
    return { ...segment, clip_id: `clip-${made}` };
  });
}

/** The clips to export: the ticked ones, as export segments in timeline order. */
export function exportSegments(clips: readonly Clip[], unticked: ReadonlySet<string>): ExportSegmentInput[] {
  return clips
    .filter((clip) => !unticked.has(clip.clip_id))
    .map(({ start_time, end_time, label }) => ({ start_time, end_time, label }))
    .sort((a, b) => a.start_time - b.start_time);
}

/** "1:05.3": the times the timeline shows, rounded to a tenth once, as it rounds them. */
export function time(seconds: number): string {
  const tenths = Math.max(0, Math.round(seconds * 10));
  return `${Math.floor(tenths / 600)}:${((tenths % 600) / 10).toFixed(1).padStart(4, '0')}`;
}
