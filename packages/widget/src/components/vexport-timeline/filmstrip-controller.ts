import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** One thumbnail of the filmstrip: the frame at `time` seconds, as an image URL. */
export interface Thumbnail {
  time: number;
  url: string;
}

/** Height of an extracted thumbnail in pixels; the width follows the video's aspect ratio. */
const THUMBNAIL_HEIGHT = 90;

/** Resolves on `name` from `target`, rejects on its `error` or when `signal` aborts. */
function once(target: HTMLMediaElement, name: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      target.removeEventListener(name, ok);
      target.removeEventListener('error', failed);
      signal.removeEventListener('abort', aborted);
      if (error) reject(error);
      else resolve();
    };
    const ok = () => done();
    const failed = () => done(target.error ?? new Error('the video could not be read'));
    const aborted = () => done(signal.reason);
    target.addEventListener(name, ok);
    target.addEventListener('error', failed);
    signal.addEventListener('abort', aborted);
  });
}

/**
 * Extracts a filmstrip from a video in the browser: a second, muted `<video>` on the same source seeks to
 * evenly spaced times and each frame is drawn to a canvas, so the page's player is never disturbed. The
 * object URLs are freed when a new strip replaces them and when the host leaves the page.
 */
export class FilmstripController implements ReactiveController {
  /** The thumbnails extracted so far, in time order. */
  thumbnails: readonly Thumbnail[] = [];

  #host: ReactiveControllerHost;
  #job: AbortController | undefined;
  #request = '';
  #source = '';

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#job?.abort();
    this.#job = undefined;
    this.#request = '';
    this.#source = '';
    this.#replace([]);
  }

  /**
   * Asks for `count` thumbnails of `source` (a video URL) over `duration` seconds; does nothing when that
   * strip is already there or on its way. `crossOrigin` is the player's setting, so that a CORS-enabled
   * source can be drawn. A source that cannot be drawn (another origin without CORS) leaves the strip empty.
   */
  request(source: string, duration: number, count: number, crossOrigin: string | null): void {
    const request = JSON.stringify([source, duration, count, crossOrigin]);
    if (request === this.#request) return;
    this.#request = request;
    this.#job?.abort();
    const job = new AbortController();
    this.#job = job;
    // another video's strip goes at once; the same video's (at another zoom) stays until the new one is made
    if (source !== this.#source || !(duration > 0) || count < 1) this.#replace([]);
    this.#source = source;
    if (!source || !(duration > 0) || count < 1) return;
    void this.#extract(source, duration, count, crossOrigin, job.signal).catch(() => undefined);
  }

  async #extract(
    source: string,
    duration: number,
    count: number,
    crossOrigin: string | null,
    signal: AbortSignal,
  ): Promise<void> {
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    if (crossOrigin !== null) video.crossOrigin = crossOrigin;
    video.src = source;
    const made: Thumbnail[] = [];
    const showProgress = this.thumbnails.length === 0;
    try {
      await once(video, 'loadeddata', signal);
      const canvas = document.createElement('canvas');
      canvas.height = THUMBNAIL_HEIGHT;
      canvas.width = Math.round((THUMBNAIL_HEIGHT * video.videoWidth) / Math.max(1, video.videoHeight));
      const context = canvas.getContext('2d')!;
      for (let index = 0; index < count; index += 1) {
        // the middle of each slot, so that the first thumbnail is not the usual black first frame
        const time = ((index + 0.5) * duration) / count;
        video.currentTime = Math.min(time, Math.max(0, (video.duration || duration) - 0.05));
        await once(video, 'seeked', signal);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.7));
        if (signal.aborted) throw signal.reason;
        if (!blob) throw new Error('the frame could not be encoded');
        made.push({ time, url: URL.createObjectURL(blob) });
        if (showProgress) {
          this.thumbnails = [...made];
          this.#host.requestUpdate();
        }
      }
      this.#replace(made);
    } catch (error) {
      // a strip shown while it was made goes with its source; one made to replace a strip is dropped
      if (showProgress && !signal.aborted) this.#replace([]);
      this.#revoke(made.filter((thumbnail) => !this.thumbnails.includes(thumbnail)));
      throw error;
    } finally {
      video.removeAttribute('src');
      video.load();
    }
  }

  /** Shows `next` and frees the object URLs of the thumbnails it drops. */
  #replace(next: Thumbnail[]): void {
    this.#revoke(this.thumbnails.filter((thumbnail) => !next.includes(thumbnail)));
    this.thumbnails = next;
    this.#host.requestUpdate();
  }

  #revoke(thumbnails: readonly Thumbnail[]): void {
    for (const thumbnail of thumbnails) URL.revokeObjectURL(thumbnail.url);
  }
}
