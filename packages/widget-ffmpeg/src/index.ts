/**
 * @vexport/widget-ffmpeg — the optional in-browser add-on for @vexport/widget. Importing this module once lets
 * `<export-modal>` preview and export short selections in the browser with ffmpeg.wasm; without it those
 * features stay off and the widget installs without the wasm cores.
 */
import { loadBrowserFfmpeg } from './load-browser-ffmpeg.js';

/**
 * The key the widget looks the loader up by. A global rather than an import, so the add-on finds the widget
 * whichever build of it (npm or standalone) the page uses, and the widget never imports the add-on.
 */
const BROWSER_FFMPEG = Symbol.for('vexport.browser-ffmpeg');
(globalThis as Record<symbol, unknown>)[BROWSER_FFMPEG] = loadBrowserFfmpeg;

export type { CoreUrls } from './core-location.js';
export {
  FfmpegLoadError,
  loadBrowserFfmpeg,
  setFfmpegBasePath,
  setFfmpegLoadTimeout,
} from './load-browser-ffmpeg.js';
