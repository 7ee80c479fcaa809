/**
 * What the widget uses of an ffmpeg.wasm instance (`FFmpeg` from `@ffmpeg/ffmpeg`), so the widget itself never
 * depends on ffmpeg.wasm: the optional `@vexport/widget-ffmpeg` add-on provides it.
 */
export interface BrowserFfmpeg {
  on(event: 'progress', callback: (event: { progress: number }) => void): void;
  off(event: 'progress', callback: (event: { progress: number }) => void): void;
  writeFile(path: string, data: Uint8Array, options?: { signal?: AbortSignal }): Promise<unknown>;
  exec(args: string[], timeout?: number, options?: { signal?: AbortSignal }): Promise<number>;
  readFile(path: string, encoding?: string, options?: { signal?: AbortSignal }): Promise<Uint8Array | string>;
  deleteFile(path: string, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** The in-browser features were asked for, but the `@vexport/widget-ffmpeg` add-on is not on the page. */
export class BrowserFfmpegUnavailableError extends Error {
  override name = 'BrowserFfmpegUnavailableError';
  constructor() {
    super(
      'In-browser export needs the @vexport/widget-ffmpeg add-on: install it and import it once ' +
        "(import '@vexport/widget-ffmpeg').",
    );
  }
}

/** The key the add-on registers its loader under (a global, so any build of the widget finds it). */
const BROWSER_FFMPEG = Symbol.for('vexport.browser-ffmpeg');

function registeredLoader(): (() => Promise<BrowserFfmpeg>) | undefined {
  const loader = (globalThis as Record<symbol, unknown>)[BROWSER_FFMPEG];
  return typeof loader === 'function' ? (loader as () => Promise<BrowserFfmpeg>) : undefined;
}

/** Whether the `@vexport/widget-ffmpeg` add-on is loaded, so the in-browser features can be offered. */
export function hasBrowserFfmpeg(): boolean {
  return registeredLoader() !== undefined;
}

/**
 * Loads ffmpeg.wasm through the add-on (once, on first use). Rejects with a
 * {@link BrowserFfmpegUnavailableError} when the add-on is absent, and with the add-on's `FfmpegLoadError` when
 * the cores cannot be loaded in time.
 */
export function loadBrowserFfmpeg(): Promise<BrowserFfmpeg> {
  const loader = registeredLoader();
  return loader ? loader() : Promise.reject(new BrowserFfmpegUnavailableError());
}

/**
 * The key under which a page names the folder the add-on's ffmpeg.wasm cores are served from (the
 * provider's `ffmpeg-base-path` attribute); the add-on's own `setFfmpegBasePath()` takes precedence.
 */
const FFMPEG_BASE_PATH = Symbol.for('vexport.ffmpeg-base-path');

/** Tells the add-on where the cores are served from; `undefined` for its default (beside its modules). */
export function configureFfmpegBasePath(path: string | undefined): void {
  (globalThis as Record<symbol, unknown>)[FFMPEG_BASE_PATH] = path || undefined;
}

let toldMissing = false;

/**
 * {@link hasBrowserFfmpeg} for a component that would offer the in-browser features: when the add-on is absent
 * it says once, in the console, how to turn them on, since the page then simply shows no such buttons.
 */
export function offerBrowserFfmpeg(): boolean {
  const present = hasBrowserFfmpeg();
  if (!present && !toldMissing) {
    toldMissing = true;
    console.info(
      `vexport: ${new BrowserFfmpegUnavailableError().message} Until then, preview and in-browser export are off.`,
    );
  }
  return present;
}
