/** Where ffmpeg.wasm's files are: what `FFmpeg.load()` takes. */
export interface CoreUrls {
  coreURL: string;
  wasmURL: string;
  /** The threaded core's worker; absent for the single-threaded core. */
  workerURL?: string;
}

let basePath: string | undefined;

/** Where a page's `<vexport-provider ffmpeg-base-path>` says the cores are (see the widget's browser-ffmpeg). */
const CONFIGURED_BASE_PATH = Symbol.for('vexport.ffmpeg-base-path');

function configuredBasePath(): string | undefined {
  const configured = (globalThis as Record<symbol, unknown>)[CONFIGURED_BASE_PATH];
  return basePath ?? (typeof configured === 'string' ? configured : undefined);
}

/** The folder the cores are served from instead of beside this module; `undefined` for the default. */
export function setBasePath(url: string | URL | undefined): void {
  basePath = url === undefined ? undefined : String(url);
}

/**
 * The core to load: the threaded one when the page is cross-origin isolated, the single-threaded one
 * otherwise. By default the files beside this module, written as `new URL('./…', import.meta.url)` literals so
 * that Vite and webpack emit them with the host's build.
 */
export function coreUrls(threaded: boolean): CoreUrls {
  const base = configuredBasePath();
  if (base !== undefined) {
    const folder = new URL(threaded ? 'mt/' : 'st/', new URL(base.replace(/\/?$/, '/'), document.baseURI));
    return {
      coreURL: new URL('ffmpeg-core.js', folder).href,
      wasmURL: new URL('ffmpeg-core.wasm', folder).href,
      ...(threaded && { workerURL: new URL('ffmpeg-core.worker.js', folder).href }),
    };
  }
  return threaded
    ? {
        coreURL: new URL('./ffmpeg/mt/ffmpeg-core.js', import.meta.url).href,
        wasmURL: new URL('./ffmpeg/mt/ffmpeg-core.wasm', import.meta.url).href,
        workerURL: new URL('./ffmpeg/mt/ffmpeg-core.worker.js', import.meta.url).href,
      }
    : {
        coreURL: new URL('./ffmpeg/st/ffmpeg-core.js', import.meta.url).href,
        wasmURL: new URL('./ffmpeg/st/ffmpeg-core.wasm', import.meta.url).href,
      };
}
