import type { ExportSegmentInput } from '@vexport/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadBrowserFfmpeg } from '../../ffmpeg/browser-ffmpeg.js';
import {
  planLocalExport,
  planPreview,
  runInBrowser,
  type LocalExportRequest,
} from '../../ffmpeg/local-export.js';

/** A file made in this browser, and the object URL its download link uses. */
export interface LocalResult {
  blob: Blob;
  url: string;
  fileName: string;
}

/** A browser export's request; `hasAudio` undefined while the API has not said whether the source has sound. */
export type LocalExportOrder = Omit<LocalExportRequest, 'hasAudio'> & { hasAudio: boolean | undefined };

/** The source as the page gave it: a Blob, or a same-origin URL to fetch. */
async function sourceBlob(source: Blob | string, signal: AbortSignal): Promise<Blob> {
  return typeof source === 'string' ? (await fetch(source, { signal })).blob() : source;
}

/** "export-2026-01-31-12-00-00.mp4": a browser export's file name, from the time it finished. */
function localFileName(format: string): string {
  return `export-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format}`;
}

/**
 * The in-browser preview and export of a host element (ffmpeg.wasm through the `@vexport/widget-ffmpeg`
 * add-on): their state, the object URLs the preview and the download link use, and cancellation. Each URL
 * is revoked when it is replaced and when the host leaves the page, so a removed dialog does not keep
 * its videos in memory; leaving also stops the work in progress.
 */
export class LocalExportController implements ReactiveController {
  /** The object URL of the last preview; '' when there is none. */
  previewUrl = '';
  /** Whether a preview is being made. */
  previewing = false;
  /** The export's progress from 0 to 1; undefined when none was started. */
  progress: number | undefined;
  /** The last finished export. */
  result: LocalResult | undefined;

  readonly #host: ReactiveControllerHost;
  #previewWork: AbortController | undefined;
  #exportWork: AbortController | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
    this.#setPreview('');
    this.#setResult(undefined);
    this.progress = undefined;
  }

  /** Stops the preview and the export in progress; their promises reject. */
  cancel(): void {
    this.#previewWork?.abort();
    this.#exportWork?.abort();
  }

  /** Makes a short low-resolution preview of `segment`. Rejects when ffmpeg.wasm fails or is stopped. */
  async preview(source: Blob | string, segment: ExportSegmentInput): Promise<void> {
    this.#previewWork?.abort();
    this.#previewWork = new AbortController();
    const { signal } = this.#previewWork;
    this.previewing = true;
    this.#host.requestUpdate();
    try {
      const blob = await runInBrowser(
        await loadBrowserFfmpeg(),
        await sourceBlob(source, signal),
        planPreview(segment),
        { signal },
      );
      signal.throwIfAborted();
      this.#setPreview(URL.createObjectURL(blob));
    } finally {
      this.previewing = false;
      this.#host.requestUpdate();
    }
  }

  /**
   * Exports `order` in this browser, reporting progress. While the API has not said whether the source has
   * sound, a failure with sound is tried once more without. Rejects when ffmpeg.wasm fails or is stopped.
   */
  async export(source: Blob | string, order: LocalExportOrder): Promise<LocalResult> {
    this.#exportWork?.abort();
    this.#exportWork = new AbortController();
    const { signal } = this.#exportWork;
    this.#setProgress(0);
    try {
      const ffmpeg = await loadBrowserFfmpeg();
      const blob = await sourceBlob(source, signal);
      const run = (hasAudio: boolean) =>
        runInBrowser(ffmpeg, blob, planLocalExport({ ...order, hasAudio }), {
          signal,
          onProgress: (fraction) => this.#setProgress(fraction),
        });
      let file: Blob;
      try {
        file = await run(order.hasAudio ?? true);
      } catch (error) {
        if (order.hasAudio !== undefined || signal.aborted) throw error;
        file = await run(false);
      }
      signal.throwIfAborted();
      const result = { blob: file, url: URL.createObjectURL(file), fileName: localFileName(order.format) };
      this.#setResult(result);
      this.#setProgress(1);
      return result;
    } catch (error) {
      this.#setProgress(undefined);
      throw error;
    }
  }

  #setProgress(progress: number | undefined): void {
    this.progress = progress;
    this.#host.requestUpdate();
  }

  #setPreview(url: string): void {
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = url;
    this.#host.requestUpdate();
  }

  #setResult(result: LocalResult | undefined): void {
    if (this.result) URL.revokeObjectURL(this.result.url);
    this.result = result;
    this.#host.requestUpdate();
  }
}
