// The editor's timeline: a bar the size of the video. Dragging across it selects a range; a click without a
// drag moves the playhead there. Keyboard users have Mark in / Mark out in the toolbar for the same thing.

export interface TimeRange {
  start: number;
  end: number;
}

export interface TimelineCallbacks {
  /** The video's length in seconds (0 while none is loaded: the timeline then ignores the pointer). */
  duration(): number;
  /** A drag ended: the selected range, in seconds, start before end. */
  onSelect(range: TimeRange): void;
  /** A click without a drag: move the playhead here. */
  onSeek(seconds: number): void;
}

/** Drags shorter than this are clicks. */
const MIN_DRAG_SECONDS = 0.1;
/** Selected times snap to tenths of a second, which is what the segment list shows. */
const SNAP_SECONDS = 0.1;

/** The time under a pointer at `clientX` on a bar spanning `left`..`left + width`, clamped and snapped. */
export function timeAt(clientX: number, bar: { left: number; width: number }, duration: number): number {
  const fraction = Math.min(1, Math.max(0, (clientX - bar.left) / bar.width));
  const snapped = Math.round((fraction * duration) / SNAP_SECONDS) * SNAP_SECONDS;
  return Math.min(duration, Number(snapped.toFixed(3)));
}

/** Shows `range` (or nothing) as the timeline's draft selection. */
function drawDraft(draft: HTMLElement, range: TimeRange | undefined, duration: number): void {
  draft.hidden = !range;
  if (!range) return;
  draft.style.left = `${(range.start / duration) * 100}%`;
  draft.style.width = `${((range.end - range.start) / duration) * 100}%`;
}

/** Makes `element` a drag-to-select timeline. Returns a function that detaches it. */
export function attachTimeline(element: HTMLElement, callbacks: TimelineCallbacks): () => void {
  const draft = document.createElement('span');
  draft.className = 'draft';
  draft.hidden = true;
  element.append(draft);
  let anchor: number | undefined;

  const rangeTo = (event: PointerEvent): TimeRange => {
    const here = timeAt(event.clientX, element.getBoundingClientRect(), callbacks.duration());
    return { start: Math.min(anchor!, here), end: Math.max(anchor!, here) };
  };
  const down = (event: PointerEvent) => {
    if (event.button !== 0 || callbacks.duration() <= 0) return;
    anchor = timeAt(event.clientX, element.getBoundingClientRect(), callbacks.duration());
    element.setPointerCapture(event.pointerId);
    event.preventDefault();
  };
  const move = (event: PointerEvent) => {
    if (anchor !== undefined) drawDraft(draft, rangeTo(event), callbacks.duration());
  };
  const up = (event: PointerEvent) => {
    if (anchor === undefined) return;
    const range = rangeTo(event);
    anchor = undefined;
    drawDraft(draft, undefined, 1);
    if (range.end - range.start >= MIN_DRAG_SECONDS) callbacks.onSelect(range);
    else callbacks.onSeek(range.start);
  };
  const cancel = () => {
    anchor = undefined;
    drawDraft(draft, undefined, 1);
  };
  element.addEventListener('pointerdown', down);
  element.addEventListener('pointermove', move);
  element.addEventListener('pointerup', up);
  element.addEventListener('pointercancel', cancel);
  return () => {
    element.removeEventListener('pointerdown', down);
    element.removeEventListener('pointermove', move);
    element.removeEventListener('pointerup', up);
    element.removeEventListener('pointercancel', cancel);
    draft.remove();
  };
}
