import type { FFmpeg } from '@ffmpeg/ffmpeg';

/** Folders that hold the ffmpeg.wasm cores (`ffmpeg-core.js`, `.wasm`, and the multi-threaded `.worker.js`). */
export interface BrowserFfmpegLocation {
  singleThread: string;
  multiThread: string;
}

/** The cores the package ships beside its bundle (`dist/ffmpeg/`): never a CDN. */
export function bundledFfmpegLocation(): BrowserFfmpegLocation {
  return {
    singleThread: new URL(/* @vite-ignore */ './ffmpeg/st/', import.meta.url).href,
    multiThread: new URL(/* @vite-ignore */ './ffmpeg/mt/', import.meta.url).href,
  };
}

let location: BrowserFfmpegLocation | undefined;
let loading: Promise<FFmpeg> | undefined;

/** Serves the cores from elsewhere (a host that copies them, or tests). Call before the first use. */
export function setBrowserFfmpegLocation(next: BrowserFfmpegLocation): void {
  location = next;
  loading = undefined;
}

/**
 * Loads ffmpeg.wasm once, on first use (it is never part of the main bundle): the multi-threaded core when
 * the page is cross-origin isolated, the single-threaded one otherwise.
 */
export function loadBrowserFfmpeg(): Promise<FFmpeg> {
  loading ??= (async () => {
    const { FFmpeg } = await import('@ffmpeg/ffmpeg');
    const ffmpeg = new FFmpeg();
    const where = location ?? bundledFfmpegLocation();
    const threaded = globalThis.crossOriginIsolated === true;
    const dir = new URL(threaded ? where.multiThread : where.singleThread, document.baseURI);
    await ffmpeg.load({
      coreURL: new URL('ffmpeg-core.js', dir).href,
      wasmURL: new URL('ffmpeg-core.wasm', dir).href,
      ...(threaded && { workerURL: new URL('ffmpeg-core.worker.js', dir).href }),
    });
    return ffmpeg;
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
