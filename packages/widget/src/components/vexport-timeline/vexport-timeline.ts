import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { defineElement } from '../../internal/define.js';
import { defaultStrings, type Strings } from '../../i18n/strings.js';
import { FilmstripController } from './filmstrip-controller.js';
import { edgeBounds, implicitStart, overlapping, overlaps, type TimelineSegment } from './timeline-clips.js';
import { emitTimeline } from './timeline-events.js';
import { formatTime, parseTime, snapToFrame } from './timeline-time.js';
import { TransportController } from './transport-controller.js';
import { timelineStyles } from './vexport-timeline.styles.js';

export type { TimelineSegment } from './timeline-clips.js';
export type { SegmentsChangeDetail, SeekDetail } from './timeline-events.js';

type Edge = 'start' | 'end';

/** The most the strip can be magnified; at 64× a 10-minute video shows about 10 s per screen. */
const MAX_ZOOM = 64;
/** Roughly how wide one thumbnail is on screen, in CSS pixels. */
const THUMBNAIL_SPACING = 96;
/** The most thumbnails extracted for one strip (each costs a seek in the video). */
const MAX_THUMBNAILS = 60;
/** A pointer that moves less than this many pixels taps (seeks) rather than drags. */
const DRAG_SLOP = 4;

/** What a pointer held down is doing: moving a clip's edge, selecting a new clip, or moving the playhead. */
type DragKind =
  { kind: 'edge'; index: number; edge: Edge } | { kind: 'create'; anchor: number } | { kind: 'scrub' };
type Drag = DragKind & { pointerId: number; startX: number; moved: boolean };

/**
 * @summary A timeline for choosing clips of a video: a filmstrip, clips with draggable in and out handles,
 * zoom, a playhead and editors' keyboard shortcuts. Clips never overlap through an edit; overlapping clips
 * given by the host are flagged.
 *
 * Keys: I / O mark in and out at the playhead (O without I starts at the previous clip's end, or 0);
 * J / K / L play backwards, stop, play (again: faster); space plays or pauses; arrows move the playhead,
 * or the focused handle, by one frame (Shift: one second); Delete removes the focused clip; + / − zoom.
 * Ctrl+wheel (a trackpad pinch) zooms around the pointer.
 *
 * @event segments-change - The clips changed; `detail.segments` has all of them, in time order.
 * @event seek - The user moved the playhead; `detail.time` is the time in seconds.
 *
 * @csspart toolbar - The zoom and mark buttons with the time.
 * @csspart viewport - The scrolling window over the strip.
 * @csspart track - The strip at the current zoom.
 * @csspart ruler - The band above the strip where the playhead is moved.
 * @csspart playhead - The playhead's handle.
 * @csspart filmstrip - The thumbnails.
 * @csspart clip - A clip on the strip.
 * @csspart handle - A clip's in or out handle.
 * @csspart clips - The list of clips with their typed times.
 * @csspart message - What the last action did, or why it was refused.
 * @csspart unplayable - The note shown when the browser cannot decode the video's picture (an HEVC source
 * in a browser without HEVC, for example).
 *
 * @cssproperty --vexport-timeline-height - Height of the filmstrip (default 64px).
 *
 * @tagname vexport-timeline
 */
export class VexportTimeline extends LitElement {
  static override styles = timelineStyles;

  /** The video's length in seconds; when 0, the given `video`'s own duration. */
  @property({ type: Number }) duration = 0;

  /** Frames per second: every time the timeline sets lands on a frame of this rate. */
  @property({ type: Number, attribute: 'frame-rate' }) frameRate = 30;

  /** The clips, each `{ start_time, end_time, label? }` in seconds; edits replace the array. */
  @property({ attribute: false }) segments: TimelineSegment[] = [];

  /** The playhead, in seconds; follows the `video` when one is given. */
  @property({ type: Number, attribute: 'current-time' }) currentTime = 0;

  /** The page's player: the filmstrip is extracted from its source, and seeking and J/K/L drive it. */
  @property({ attribute: false }) video?: HTMLVideoElement;

  /** Thumbnail URLs spread evenly over the video (for example served by the API); used instead of extracting. */
  @property({ attribute: false }) thumbnails?: string[];

  /** Magnification of the strip: 1 shows the whole video, 2 half of it, and so on up to 64. */
  @property({ type: Number }) zoom = 1;

  /** Overrides of the English texts. */
  @property({ attribute: false }) strings: Partial<Strings> = {};

  @state() protected markedIn: number | undefined;
  @state() protected message = '';
  /** True when the `video` failed to load or has no picture this browser can decode. */
  @state() protected unplayable = false;
  @state() protected draft: { start: number; end: number } | undefined;
  @state() protected trackWidth = 0;
  /** Typed times that were refused, by `${index}:${edge}`, kept so that the user can correct them. */
  @state() protected refused = new Map<string, string>();

  @query('.viewport') protected viewport?: HTMLElement;
  @query('.track') protected track?: HTMLElement;

  readonly #filmstrip = new FilmstripController(this);
  readonly #transport = new TransportController(this, {
    video: () => this.video,
    time: () => this.currentTime,
    duration: () => this.#duration,
    step: (time) => this.#seek(time, { snap: false }),
  });

  #drag: Drag | undefined;
  /** Made on first render, not at construction, so that the element can be built where there is no DOM. */
  #resize: ResizeObserver | undefined;
  #videoEvents: AbortController | undefined;

  protected get text(): Strings {
    return { ...defaultStrings, ...this.strings };
  }

  get #duration(): number {
    const fromVideo = this.video?.duration;
    return this.duration > 0 ? this.duration : Number.isFinite(fromVideo) ? fromVideo! : 0;
  }

  get #frame(): number {
    return 1 / (this.frameRate > 0 ? this.frameRate : 30);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#videoEvents?.abort();
    this.#videoEvents = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) {
      this.#followVideo();
      if (this.viewport) this.#resize?.observe(this.viewport);
    }
  }

  protected override firstUpdated(): void {
    this.#resize = new ResizeObserver(([entry]) => {
      this.trackWidth = Math.round((entry?.contentRect.width ?? 0) * this.zoom);
    });
    this.#resize.observe(this.viewport!);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('zoom')) this.zoom = Math.min(MAX_ZOOM, Math.max(1, this.zoom || 1));
    if (changed.has('zoom') && this.viewport)
      this.trackWidth = Math.round(this.viewport.clientWidth * this.zoom);
    if (changed.has('segments')) this.refused = new Map();
    if (changed.has('duration') && changed.get('duration') !== undefined) {
      // another video: a mark and a message about the last one mean nothing here
      this.markedIn = undefined;
      this.message = '';
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('video')) this.#followVideo();
    if (changed.has('currentTime') && !this.#drag) this.#keepPlayheadInView();
    this.#requestFilmstrip();
  }

  /** Sets a mark in at the playhead, as the I key does. */
  markIn(): void {
    const time = snapToFrame(this.currentTime, this.frameRate);
    const inside = this.segments.findIndex((clip) => clip.start_time <= time && time < clip.end_time);
    if (inside >= 0) {
      this.message = this.text.timelineInsideClip(this.#label(inside));
      return;
    }
    this.markedIn = time;
    this.message = this.text.timelineMarkedIn(formatTime(time));
  }

  /**
   * Ends a clip at the playhead, as the O key does: from the mark in, or without one from the end of the
   * clip before the playhead (or the start of the video).
   */
  markOut(): void {
    const text = this.text;
    const end = snapToFrame(this.currentTime, this.frameRate);
    const inside = this.segments.findIndex((clip) => clip.start_time < end && end < clip.end_time);
    if (this.markedIn === undefined && inside >= 0) {
      this.message = text.timelineInsideClip(this.#label(inside));
      return;
    }
    const start = this.markedIn ?? implicitStart(this.segments, end);
    if (end <= start) {
      this.message =
        this.markedIn !== undefined
          ? text.timelineOutBeforeIn(formatTime(this.markedIn))
          : text.timelineNoRoom;
      return;
    }
    const other = overlapping(this.segments, start, end);
    if (other >= 0) {
      this.message = text.timelineRangeOverlaps(this.#label(other));
      return;
    }
    const label = this.#addClip(start, end);
    this.message = (this.markedIn === undefined ? text.timelineAddedWithoutIn : text.timelineAdded)(
      label,
      formatTime(start),
      formatTime(end),
    );
    this.markedIn = undefined;
  }

  /** Magnifies the strip by `factor` around `clientX` (by default the playhead). */
  async zoomBy(factor: number, clientX?: number): Promise<void> {
    const viewport = this.viewport!;
    const track = this.track!;
    const next = Math.min(MAX_ZOOM, Math.max(1, this.zoom * factor));
    if (next === this.zoom) return;
    const box = viewport.getBoundingClientRect();
    const playheadX =
      track.getBoundingClientRect().left + (this.currentTime / (this.#duration || 1)) * track.clientWidth;
    const anchorX =
      clientX ?? (playheadX >= box.left && playheadX <= box.right ? playheadX : box.left + box.width / 2);
    const fraction = this.#fractionAt(anchorX);
    this.zoom = next;
    await this.updateComplete;
    viewport.scrollLeft = track.offsetLeft + fraction * track.clientWidth - (anchorX - box.left);
  }

  #label(index: number): string {
    const clip = this.segments[index];
    if (clip?.label) return clip.label;
    const position = this.#order().indexOf(index);
    return this.text.timelineClipName(position + 1);
  }

  /** Indices of the clips in time order. */
  #order(): number[] {
    return this.segments
      .map((_clip, index) => index)
      .sort((a, b) => this.segments[a]!.start_time - this.segments[b]!.start_time);
  }

  #addClip(start: number, end: number): string {
    const taken = new Set(this.segments.map((_clip, index) => this.#label(index)));
    let number = this.segments.length + 1;
    while (taken.has(this.text.timelineClipName(number))) number += 1;
    const label = this.text.timelineClipName(number);
    this.#commit([...this.segments, { start_time: start, end_time: end, label }]);
    return label;
  }

  /** Stores `segments` in time order and tells the host. */
  #commit(segments: TimelineSegment[]): void {
    this.segments = [...segments].sort((a, b) => a.start_time - b.start_time);
    emitTimeline(this, 'segments-change', { segments: this.segments.map((clip) => ({ ...clip })) });
  }

  #seek(time: number, { snap = true } = {}): void {
    const clamped = Math.min(this.#duration, Math.max(0, time));
    const next = snap ? snapToFrame(clamped, this.frameRate) : clamped;
    this.currentTime = next;
    if (this.video && Math.abs(this.video.currentTime - next) > 1e-3) this.video.currentTime = next;
    emitTimeline(this, 'seek', { time: next });
  }

  /**
   * Moves one edge of a clip towards `time`, stopping at the clip's other edge and at its neighbours (and
   * saying so); `commit` tells the host, otherwise the move is part of a drag that commits at its end.
   */
  #moveEdge(index: number, edge: Edge, time: number, commit: boolean): void {
    const clip = this.segments[index];
    if (!clip) return;
    const bounds = edgeBounds(this.segments, index, edge, this.#duration, this.#frame);
    const wanted = snapToFrame(time, this.frameRate);
    const value = Math.min(bounds.max, Math.max(bounds.min, wanted));
    const blockedBy =
      edge === 'start' && wanted < bounds.min && bounds.min > 0
        ? this.segments.findIndex((other) => other.end_time === bounds.min)
        : edge === 'end' && wanted > bounds.max && bounds.max < this.#duration
          ? this.segments.findIndex((other) => other.start_time === bounds.max)
          : -1;
    this.message =
      blockedBy >= 0 ? this.text.timelineBlocked(this.#label(index), this.#label(blockedBy)) : '';
    const moved = { ...clip, [edge === 'start' ? 'start_time' : 'end_time']: value };
    const segments = this.segments.map((other, position) => (position === index ? moved : other));
    if (commit) this.#commit(segments);
    else this.segments = segments;
    this.#seek(value);
  }

  #remove(index: number): void {
    const label = this.#label(index);
    this.#commit(this.segments.filter((_clip, position) => position !== index));
    this.message = this.text.timelineRemoved(label);
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('[part~="playhead"]')?.focus(),
    );
  }

  /** A typed start or end: applied when it is a time inside the video that keeps the clips apart. */
  #type(index: number, edge: Edge, typed: string): void {
    const text = this.text;
    const clip = this.segments[index];
    if (!clip) return;
    const key = `${index}:${edge}`;
    const parsed = parseTime(typed);
    const refuse = (why: string) => {
      this.refused = new Map(this.refused).set(key, typed);
      this.message = why;
    };
    if (parsed === undefined) return refuse(text.timelineBadTime);
    const time = snapToFrame(parsed, this.frameRate);
    const start = edge === 'start' ? time : clip.start_time;
    const end = edge === 'end' ? time : clip.end_time;
    if (end > this.#duration + 1e-6) return refuse(text.timelinePastEnd(formatTime(this.#duration)));
    if (start >= end) {
      return refuse(
        edge === 'start'
          ? text.timelineStartAfterEnd(formatTime(clip.end_time))
          : text.timelineEndBeforeStart(formatTime(clip.start_time)),
      );
    }
    const other = overlapping(this.segments, start, end, index);
    if (other >= 0) return refuse(text.timelineWouldOverlap(this.#label(index), this.#label(other)));
    this.message = '';
    this.#commit(
      this.segments.map((c, position) =>
        position === index ? { ...c, start_time: start, end_time: end } : c,
      ),
    );
    this.#seek(time);
  }

  #rename(index: number, typed: string): void {
    const label = typed.trim();
    this.#commit(
      this.segments.map((clip, position) => {
        if (position !== index) return clip;
        const { label: _old, ...rest } = clip;
        return label ? { ...rest, label } : rest;
      }),
    );
  }

  #followVideo(): void {
    this.#videoEvents?.abort();
    this.#videoEvents = undefined;
    const video = this.video;
    if (!video) return;
    const events = new AbortController();
    this.#videoEvents = events;
    const options = { signal: events.signal };
    const sync = () => {
      if (!this.#drag) this.currentTime = video.currentTime;
    };
    const playing = () => {
      sync();
      if (!video.paused) requestAnimationFrame(playing);
    };
    video.addEventListener('timeupdate', sync, options);
    video.addEventListener('seeked', sync, options);
    video.addEventListener('play', playing, options);
    video.addEventListener('pause', () => this.#transport.videoPaused(), options);
    video.addEventListener(
      'loadedmetadata',
      () => {
        this.#checkPlayable(video);
        this.requestUpdate();
      },
      options,
    );
    video.addEventListener('error', () => this.#checkPlayable(video), options);
    video.addEventListener('emptied', () => this.#checkPlayable(video), options);
    this.#checkPlayable(video);
  }

  /**
   * Whether the browser can show `video`'s picture: a source it cannot decode either fails to load or
   * (with a sound track it can play) loads with no picture, which would leave a black player unexplained.
   */
  #checkPlayable(video: HTMLVideoElement): void {
    const failed = video.error !== null && video.error.code !== MediaError.MEDIA_ERR_ABORTED;
    const noPicture = video.readyState >= HTMLMediaElement.HAVE_METADATA && video.videoWidth === 0;
    this.unplayable = failed || noPicture;
  }

  #requestFilmstrip(): void {
    const video = this.video;
    if (this.thumbnails || !video || this.trackWidth <= 0) return;
    const count = Math.min(MAX_THUMBNAILS, Math.max(1, Math.ceil(this.trackWidth / THUMBNAIL_SPACING)));
    const source = video.currentSrc || video.src;
    this.#filmstrip.request(source, this.#duration, count, video.crossOrigin);
  }

  #keepPlayheadInView(): void {
    const viewport = this.viewport;
    const track = this.track;
    if (!viewport || !track || this.zoom <= 1 || !(this.#duration > 0)) return;
    const x = track.offsetLeft + (this.currentTime / this.#duration) * track.clientWidth;
    if (x < viewport.scrollLeft || x > viewport.scrollLeft + viewport.clientWidth) {
      viewport.scrollLeft = x - viewport.clientWidth / 2;
    }
  }

  /** Where `clientX` lies along the track, 0..1. */
  #fractionAt(clientX: number): number {
    const box = this.track!.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - box.left) / (box.width || 1)));
  }

  #timeAt(clientX: number): number {
    return this.#fractionAt(clientX) * this.#duration;
  }

  #onKeydown(event: KeyboardEvent): void {
    const target = event.composedPath()[0] as HTMLElement;
    if (target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
    const edge = target.dataset?.edge as Edge | undefined;
    const index = Number(target.dataset?.index);
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    switch (key) {
      case 'ArrowLeft':
      case 'ArrowRight': {
        const step = (event.shiftKey ? 1 : this.#frame) * (key === 'ArrowLeft' ? -1 : 1);
        if (edge) {
          const clip = this.segments[index]!;
          this.#moveEdge(index, edge, (edge === 'start' ? clip.start_time : clip.end_time) + step, true);
        } else {
          this.#seek(this.currentTime + step);
        }
        break;
      }
      case 'Home':
      case 'End':
        if (edge || target.getAttribute('part') !== 'playhead') return;
        this.#seek(key === 'Home' ? 0 : this.#duration);
        break;
      case 'i':
        this.markIn();
        break;
      case 'o':
        this.markOut();
        break;
      case 'j':
        this.#transport.shuttle(-1);
        break;
      case 'k':
        this.#transport.stop();
        break;
      case 'l':
        this.#transport.shuttle(1);
        break;
      case ' ':
        if (target instanceof HTMLButtonElement) return;
        this.#transport.toggle();
        break;
      case '+':
      case '=':
        void this.zoomBy(2);
        break;
      case '-':
        void this.zoomBy(0.5);
        break;
      case 'Delete':
      case 'Backspace':
        if (!target.classList.contains('clip-body')) return;
        this.#remove(index);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  #onWheel(event: WheelEvent): void {
    // browsers report a trackpad pinch as a wheel with ctrlKey
    if (!event.ctrlKey) return;
    event.preventDefault();
    void this.zoomBy(Math.exp(-event.deltaY / 200), event.clientX);
  }

  #pointerDown(event: PointerEvent, drag: DragKind): void {
    if (event.button !== 0 || !(this.#duration > 0)) return;
    event.preventDefault();
    event.stopPropagation();
    const element = event.currentTarget as HTMLElement;
    try {
      element.setPointerCapture(event.pointerId);
    } catch {
      // a pointer the browser does not track (a synthetic event) still delivers its events here
    }
    if (drag.kind === 'edge' || drag.kind === 'scrub') element.focus();
    this.#drag = { ...drag, pointerId: event.pointerId, startX: event.clientX, moved: false };
    if (drag.kind === 'scrub') this.#seek(this.#timeAt(event.clientX));
  }

  #pointerMove(event: PointerEvent): void {
    const drag = this.#drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    if (Math.abs(event.clientX - drag.startX) >= DRAG_SLOP) drag.moved = true;
    if (!drag.moved) return;
    const time = this.#timeAt(event.clientX);
    if (drag.kind === 'edge') this.#moveEdge(drag.index, drag.edge, time, false);
    else if (drag.kind === 'scrub') this.#seek(time);
    else this.draft = this.#draftRange(drag.anchor, time);
  }

  #pointerUp(event: PointerEvent): void {
    const drag = this.#drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    this.#drag = undefined;
    if (drag.kind === 'edge' && drag.moved) this.#commit(this.segments);
    if (drag.kind !== 'create') return;
    const draft = this.draft;
    this.draft = undefined;
    if (!drag.moved || !draft || draft.end - draft.start < this.#frame) {
      this.#seek(drag.anchor);
      return;
    }
    const label = this.#addClip(draft.start, draft.end);
    this.message = this.text.timelineAdded(label, formatTime(draft.start), formatTime(draft.end));
  }

  #pointerCancel(): void {
    this.#drag = undefined;
    this.draft = undefined;
  }

  /** The range a drag from `anchor` to `time` selects, stopped at the clips on either side. */
  #draftRange(anchor: number, time: number): { start: number; end: number } {
    const before = implicitStart(this.segments, anchor);
    const after = Math.min(
      this.#duration,
      ...this.segments.filter((clip) => clip.start_time >= anchor).map((clip) => clip.start_time),
    );
    const here = Math.min(after, Math.max(before, time));
    const a = snapToFrame(Math.min(anchor, here), this.frameRate);
    const b = snapToFrame(Math.max(anchor, here), this.frameRate);
    return { start: Math.max(before, a), end: Math.min(after, b) };
  }

  #percent(time: number): string {
    const duration = this.#duration;
    return `${duration > 0 ? (Math.min(duration, Math.max(0, time)) / duration) * 100 : 0}%`;
  }

  #renderFilmstrip() {
    const duration = this.#duration;
    const urls = this.thumbnails;
    const frames = urls
      ? urls.map((url, index) => ({ url, time: ((index + 0.5) * duration) / urls.length }))
      : this.#filmstrip.thumbnails;
    const width = frames.length > 0 ? 100 / (urls?.length ?? frames.length) : 0;
    const count = urls?.length ?? Math.max(frames.length, 1);
    return html`<div class="filmstrip" part="filmstrip" aria-hidden="true">
      ${frames.map(
        (frame) =>
          html`<img
            alt=""
            src=${frame.url}
            style="left: ${(Math.floor((frame.time / (duration || 1)) * count) * 100) / count}%; width: ${width}%"
          />`,
      )}
    </div>`;
  }

  #renderClip(index: number, overlapsWith: number) {
    const text = this.text;
    const clip = this.segments[index]!;
    const label = this.#label(index);
    const start = formatTime(clip.start_time);
    const end = formatTime(clip.end_time);
    const handle = (edge: Edge) => {
      const value = edge === 'start' ? clip.start_time : clip.end_time;
      const bounds = edgeBounds(this.segments, index, edge, this.#duration, this.#frame);
      return html`<div
        class="handle ${edge}"
        part="handle ${edge}"
        role="slider"
        tabindex="0"
        data-index=${index}
        data-edge=${edge}
        aria-label=${edge === 'start' ? text.timelineClipStart(label) : text.timelineClipEnd(label)}
        aria-valuemin=${bounds.min}
        aria-valuemax=${bounds.max}
        aria-valuenow=${value}
        aria-valuetext=${formatTime(value)}
        @pointerdown=${(event: PointerEvent) => this.#pointerDown(event, { kind: 'edge', index, edge })}
        @pointermove=${this.#pointerMove}
        @pointerup=${this.#pointerUp}
        @pointercancel=${this.#pointerUp}
      >
        <span class="grip"></span>
      </div>`;
    };
    return html`<div
      class="clip"
      part="clip"
      ?data-overlap=${overlapsWith >= 0}
      style="left: ${this.#percent(clip.start_time)}; width: calc(${this.#percent(clip.end_time)} - ${this.#percent(
        clip.start_time,
      )})"
    >
      ${handle('start')}
      <button
        class="clip-body"
        data-index=${index}
        aria-label=${text.timelineClipSummary(label, start, end)}
        @click=${(event: MouseEvent) =>
          this.#seek(event.detail === 0 ? clip.start_time : this.#timeAt(event.clientX))}
      >
        <span class="clip-label">${overlapsWith >= 0 ? '⚠ ' : ''}${label}</span>
      </button>
      ${handle('end')}
    </div>`;
  }

  #renderRow(index: number, overlapsWith: number) {
    const text = this.text;
    const clip = this.segments[index]!;
    const label = this.#label(index);
    const timeInput = (edge: Edge) => {
      const key = `${index}:${edge}`;
      const value = formatTime(edge === 'start' ? clip.start_time : clip.end_time);
      return html`<label class="field">
        <span>${edge === 'start' ? text.timelineStart : text.timelineEnd}</span>
        <input
          class="time ${edge}"
          inputmode="decimal"
          autocomplete="off"
          spellcheck="false"
          aria-invalid=${this.refused.has(key) ? 'true' : 'false'}
          .value=${live(this.refused.get(key) ?? value)}
          @change=${(event: Event) => this.#type(index, edge, (event.target as HTMLInputElement).value)}
          @keydown=${(event: KeyboardEvent) => {
            if (event.key === 'Enter') this.#type(index, edge, (event.target as HTMLInputElement).value);
          }}
        />
      </label>`;
    };
    return html`<li class="row" ?data-overlap=${overlapsWith >= 0}>
      <label class="field name">
        <span>${text.timelineName}</span>
        <input
          class="label"
          autocomplete="off"
          .value=${live(clip.label ?? '')}
          placeholder=${label}
          @change=${(event: Event) => this.#rename(index, (event.target as HTMLInputElement).value)}
        />
      </label>
      ${timeInput('start')} ${timeInput('end')}
      <button class="remove" aria-label=${text.timelineRemoveClip(label)} @click=${() => this.#remove(index)}>
        ${text.timelineRemove}
      </button>
      ${
        overlapsWith >= 0
          ? html`<p class="flag">⚠ ${text.timelineOverlaps(this.#label(overlapsWith))}</p>`
          : nothing
      }
    </li>`;
  }

  #renderToolbar() {
    const text = this.text;
    return html`
      <div class="toolbar" part="toolbar">
        <button
          class="zoom-out"
          aria-label=${text.timelineZoomOut}
          aria-keyshortcuts="-"
          ?disabled=${this.zoom <= 1}
          @click=${() => void this.zoomBy(0.5)}
        >
          −
        </button>
        <button
          class="zoom-in"
          aria-label=${text.timelineZoomIn}
          aria-keyshortcuts="+"
          ?disabled=${this.zoom >= MAX_ZOOM}
          @click=${() => void this.zoomBy(2)}
        >
          +
        </button>
        <button class="mark-in" aria-keyshortcuts="I" @click=${() => this.markIn()}>
          ${text.timelineMarkIn}
        </button>
        <button class="mark-out" aria-keyshortcuts="O" @click=${() => this.markOut()}>
          ${text.timelineMarkOut}
        </button>
        <span class="time-readout">${formatTime(this.currentTime)} / ${formatTime(this.#duration)}</span>
      </div>
    `;
  }

  #renderTrack(order: number[], overlapping: number[]) {
    const text = this.text;
    const duration = this.#duration;
    return html`
      <div class="viewport" part="viewport" @wheel=${this.#onWheel}>
        <div class="track" part="track" style="width: calc(${this.zoom} * (100% - 2 * var(--_edge)))">
          <div
            class="ruler"
            part="ruler"
            @pointerdown=${(event: PointerEvent) => {
              if (event.pointerType === 'mouse') this.#pointerDown(event, { kind: 'scrub' });
            }}
            @click=${(event: MouseEvent) => this.#seek(this.#timeAt(event.clientX))}
            @pointermove=${this.#pointerMove}
            @pointerup=${this.#pointerUp}
          >
            <div
              class="playhead-knob"
              part="playhead"
              role="slider"
              tabindex="0"
              aria-label=${text.timelinePlayhead}
              aria-valuemin="0"
              aria-valuemax=${duration}
              aria-valuenow=${this.currentTime}
              aria-valuetext=${formatTime(this.currentTime)}
              aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Home End I O J K L Space"
              style="left: ${this.#percent(this.currentTime)}"
              @pointerdown=${(event: PointerEvent) => this.#pointerDown(event, { kind: 'scrub' })}
              @pointermove=${this.#pointerMove}
              @pointerup=${this.#pointerUp}
              @pointercancel=${this.#pointerCancel}
            ></div>
          </div>
          <div
            class="strip"
            @pointerdown=${(event: PointerEvent) =>
              this.#pointerDown(event, { kind: 'create', anchor: this.#timeAt(event.clientX) })}
            @pointermove=${this.#pointerMove}
            @pointerup=${this.#pointerUp}
            @pointercancel=${this.#pointerCancel}
          >
            ${this.#renderFilmstrip()}
            ${
              this.draft
                ? html`<div
                    class="draft"
                    style="left: ${this.#percent(this.draft.start)}; width: calc(${this.#percent(
                      this.draft.end,
                    )} - ${this.#percent(this.draft.start)})"
                  ></div>`
                : nothing
            }
            ${
              this.markedIn !== undefined
                ? html`<div class="mark" style="left: ${this.#percent(this.markedIn)}"></div>`
                : nothing
            }
          </div>
          <div class="clips-layer">${order.map((index) => this.#renderClip(index, overlapping[index]!))}</div>
          <div class="playhead-line" style="left: ${this.#percent(this.currentTime)}"></div>
        </div>
      </div>
    `;
  }

  #renderClipList(order: number[], overlapping: number[]) {
    const text = this.text;
    return html`
      <p class="clips-heading" id="clips-heading">${text.timelineClipsHeading}</p>
      ${
        order.length === 0
          ? html`<p class="empty">
              <span class="keys-hint">${text.timelineNoClips}</span
              ><span class="touch-hint">${text.timelineNoClipsTouch}</span>
            </p>`
          : html`<ol class="clips" part="clips" aria-labelledby="clips-heading">
              ${order.map((index) => this.#renderRow(index, overlapping[index]!))}
            </ol>`
      }
    `;
  }

  protected override render() {
    const text = this.text;
    const order = this.#order();
    const overlapping = overlaps(this.segments);
    const anyOverlap = overlapping.some((other) => other >= 0);
    return html`
      <div class="timeline" role="group" aria-label=${text.timelineLabel} @keydown=${this.#onKeydown}>
        ${this.#renderToolbar()} ${this.#renderTrack(order, overlapping)}
        <p class="shortcuts">${text.timelineShortcuts}</p>
        ${
          this.unplayable
            ? html`<p class="unplayable" part="unplayable" role="alert">${text.timelineCannotPreview}</p>`
            : nothing
        }
        <p class="message" part="message" role="status">${this.message}</p>
        ${anyOverlap ? html`<p class="flag" role="alert">${text.timelineOverlapWarning}</p>` : nothing}
        ${this.#renderClipList(order, overlapping)}
      </div>
    `;
  }
}

defineElement('vexport-timeline', VexportTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'vexport-timeline': VexportTimeline;
  }
}
