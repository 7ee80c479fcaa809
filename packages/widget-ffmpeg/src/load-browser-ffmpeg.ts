import type { FFmpeg } from '@ffmpeg/ffmpeg';
import { coreUrls, setBasePath, type CoreUrls } from './core-location.js';

/** ffmpeg.wasm could not be loaded: its files are missing or blocked, or loading took too long. */
export class FfmpegLoadError extends Error {
  override name = 'FfmpegLoadError';
}

const DEFAULT_TIMEOUT_MS = 30_000;
let timeoutMs = DEFAULT_TIMEOUT_MS;
let loading: Promise<FFmpeg> | undefined;

/**
 * How long loading may take before it fails with an {@link FfmpegLoadError} (30 s unless set). A missing core
 * does not make ffmpeg.wasm fail by itself: its worker waits forever, so this limit is what ends the wait.
 */
export function setFfmpegLoadTimeout(milliseconds: number): void {
  if (!Number.isFinite(milliseconds) || milliseconds <= 0) {
    throw new RangeError(
      `The ffmpeg load timeout must be a positive number of milliseconds, not ${milliseconds}.`,
    );
  }
  timeoutMs = milliseconds;
}

/**
 * Serves the cores from `url` instead of beside this module: a folder holding `st/` (`ffmpeg-core.js`,
 * `ffmpeg-core.wasm`) and `mt/` (the same and `ffmpeg-core.worker.js`), as this package's `dist/ffmpeg/` does.
 * A relative URL resolves against the page; `undefined` goes back to the default. The next load uses it.
 */
export function setFfmpegBasePath(url: string | URL | undefined): void {
  setBasePath(url);
  void loading?.then((ffmpeg) => ffmpeg.terminate()).catch(() => undefined);
  loading = undefined;
}

/**
 * Vite inlines small files as `data:` URLs, the threaded core's worker among them; a worker started from one
 * has an opaque origin and cannot import the core, so such a file becomes a `blob:` URL of the page's origin.
 */
async function startable(urls: CoreUrls): Promise<CoreUrls> {
  const fromData = async (url: string) =>
    url.startsWith('data:') ? URL.createObjectURL(await (await fetch(url)).blob()) : url;
  return {
    coreURL: await fromData(urls.coreURL),
    wasmURL: await fromData(urls.wasmURL),
    ...(urls.workerURL !== undefined && { workerURL: await fromData(urls.workerURL) }),
  };
}

async function load(signal: AbortSignal): Promise<FFmpeg> {
  const { FFmpeg } = await import('@ffmpeg/ffmpeg');
  const ffmpeg = new FFmpeg();
  signal.addEventListener('abort', () => ffmpeg.terminate(), { once: true });
  await ffmpeg.load(await startable(coreUrls(globalThis.crossOriginIsolated === true)), { signal });
  return ffmpeg;
}

/**
 * Loads ffmpeg.wasm once, on first use: the multi-threaded core when the page is cross-origin isolated, the
 * single-threaded one otherwise. Rejects with an {@link FfmpegLoadError} when it fails or takes longer than the
 * timeout; a later call tries again.
 */
export function loadBrowserFfmpeg(): Promise<FFmpeg> {
  loading ??= (async () => {
    const where = coreUrls(globalThis.crossOriginIsolated === true).coreURL;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new FfmpegLoadError(
            `ffmpeg.wasm did not load within ${timeoutMs / 1000} s from ${where}. Check that the cores are ` +
              'served there (setFfmpegBasePath() points elsewhere) and that the page may load them.',
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([load(controller.signal), timedOut]);
    } catch (error) {
      controller.abort();
      if (error instanceof FfmpegLoadError) throw error;
      throw new FfmpegLoadError(`ffmpeg.wasm could not be loaded from ${where}: ${String(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
