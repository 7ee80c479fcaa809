import type { TimelineSegment } from './timeline-clips.js';

/** `detail` of `segments-change`: every clip after an edit, in time order. */
export interface SegmentsChangeDetail {
  segments: TimelineSegment[];
}

/** `detail` of `seek`: where the user moved the playhead, in seconds (on a frame). */
export interface SeekDetail {
  time: number;
}

/** The events `<vexport-timeline>` fires; both bubble and cross shadow roots (`composed`). */
export interface TimelineEventMap {
  'segments-change': CustomEvent<SegmentsChangeDetail>;
  seek: CustomEvent<SeekDetail>;
}

/** Fires a timeline event from `target`, bubbling and composed. */
export function emitTimeline<Name extends keyof TimelineEventMap>(
  target: EventTarget,
  name: Name,
  detail: TimelineEventMap[Name]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'segments-change': CustomEvent<SegmentsChangeDetail>;
    seek: CustomEvent<SeekDetail>;
  }
}
