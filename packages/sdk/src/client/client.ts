import type { ExportConfig } from '../contract/export-config.js';
import type {
  EXPORT_SORT_ALIASES,
  Export,
  ExportDownload,
  ExportList,
  ExportListQuery,
  ExportProgress,
} from '../contract/exports.js';
import type { ExportEstimate, ExportEstimateQuery } from '../contract/export-estimate.js';
import { formatSegmentList } from '../contract/segment-list.js';
import type { ExportSettings } from '../contract/settings.js';
import type { Video, VideoList, VideoListQuery, VideoRegisterRequest } from '../contract/videos.js';
import { currentPage, startBrowserDownload } from './browser-download.js';
import { VexportError } from './errors.js';
import { nodeFileSystem, saveToFile } from './save-file.js';
import { Transport, type TransportOptions, type TokenProvider } from './transport.js';
import { watchExport, type WatchExportOptions } from './watch-export.js';

export interface ClientOptions extends Omit<TransportOptions, 'getToken'> {
  /** A fixed bearer token… */
  token?: string | undefined;
  /** …or a function that returns a fresh one for each request (preferred: tokens expire). */
  getToken?: TokenProvider | undefined;
}

/** Filters, sorting and paging of an export list; every field is optional. */
/** Export list parameters; `sort` also takes the specification's `file_size`. */
export type ExportListParams = Partial<Omit<ExportListQuery, 'sort'>> & {
  sort?: ExportListQuery['sort'] | keyof typeof EXPORT_SORT_ALIASES;
};

/** What {@link VexportClient.estimateExport} asks about: the create request's options and segments. */
export type ExportEstimateParams = Omit<ExportEstimateQuery, 'segments'> & {
  segments: readonly { start_time: number; end_time: number }[];
};

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** Upload of a file as a new source video. */
export interface VideoUpload {
  file: Blob;
  title?: string | undefined;
  /** File name sent with the upload; `File.name` when `file` is a File. */
  filename?: string | undefined;
}

const segment = encodeURIComponent;

function randomKey(): string {
  return globalThis.crypto.randomUUID();
}

/** The API client: one method per operation, typed from the contract. See {@link createClient}. */
export interface VexportClient {
  createExport(
    videoId: string,
    request: ExportConfig,
    options?: CallOptions & { idempotencyKey?: string },
  ): Promise<Export>;
  getExport(exportId: string, options?: CallOptions): Promise<Export>;
  getExportProgress(exportId: string, options?: CallOptions): Promise<ExportProgress>;
  watchExport(exportId: string, options?: WatchExportOptions): AsyncGenerator<ExportProgress>;
  /** The expiring download link of a completed export: an absolute URL, ready for `<a href>` on any page. */
  getExportDownloadUrl(exportId: string, options?: CallOptions): Promise<ExportDownload>;
  /**
   * Starts the browser's download of a completed export and resolves once it has started. Outside a browser
   * it rejects with a VexportError (`unsupported_environment`): in Node use {@link VexportClient.saveExport}.
   */
  downloadExport(exportId: string, options?: CallOptions): Promise<void>;
  /**
   * Writes a completed export to the file at `path`, streamed (Node only; a partial file is removed on
   * failure). In a browser it rejects with a VexportError (`unsupported_environment`).
   */
  saveExport(exportId: string, path: string, options?: CallOptions): Promise<void>;
  /** The file of a completed export as a fetch Response, for a caller that reads or pipes the bytes itself. */
  fetchExport(exportId: string, options?: CallOptions): Promise<Response>;
  /**
   * Stops a pending or processing export and resolves to it (also when it was cancelled already, so the call
   * is retried safely). Never deletes: a completed or failed export rejects with a 409
   * `export_not_cancellable` and stays as it is.
   */
  cancelExport(exportId: string, options?: CallOptions): Promise<Export>;
  /**
   * Deletes a finished export with its files (a running one is cancelled instead). Not retried on its own,
   * since a repeat of a cancelling delete would delete; use {@link VexportClient.cancelExport} to cancel.
   */
  deleteExport(exportId: string, options?: CallOptions): Promise<void>;
  listExports(params?: ExportListParams, options?: CallOptions): Promise<ExportList>;
  /** The exports of one video, a page at a time; the same function as {@link VexportClient.listVideoExports}. */
  getVideoExports(videoId: string, params?: ExportListParams, options?: CallOptions): Promise<ExportList>;
  /** The exports of one video, a page at a time. */
  listVideoExports(videoId: string, params?: ExportListParams, options?: CallOptions): Promise<ExportList>;
  iterateExports(params?: Omit<ExportListParams, 'page'>, options?: CallOptions): AsyncGenerator<Export>;
  registerVideo(source: VideoRegisterRequest | VideoUpload, options?: CallOptions): Promise<Video>;
  getVideo(videoId: string, options?: CallOptions): Promise<Video>;
  /** The expiring link of a video's source, for a player: an absolute URL. */
  getVideoSourceUrl(videoId: string, options?: CallOptions): Promise<ExportDownload>;
  listVideos(params?: Partial<VideoListQuery>, options?: CallOptions): Promise<VideoList>;
  deleteVideo(videoId: string, options?: CallOptions): Promise<void>;
  getSettings(options?: CallOptions): Promise<ExportSettings>;
  /**
   * What an export would take before it is made: its size and, from the workers' measured speed for that
   * kind of export (or a default before any was measured: see `basis`), its time.
   */
  estimateExport(params: ExportEstimateParams, options?: CallOptions): Promise<ExportEstimate>;
  saveSettings(settings: ExportSettings, options?: CallOptions): Promise<ExportSettings>;
}

/**
 * Creates a client for the vexport API. Works in browsers and Node 20+ with no polyfill.
 *
 * @example
 * const client = createClient({ baseUrl: 'https://api.example.com', getToken: () => auth.currentToken() });
 * const created = await client.createExport(videoId, { export_type: 'single', segments: [...] });
 * for await (const progress of client.watchExport(created.id)) render(progress);
 */
export function createClient(options: ClientOptions): VexportClient {
  const { token, getToken, ...transportOptions } = options;
  if (token !== undefined && getToken !== undefined) {
    throw new TypeError('createClient: pass either `token` or `getToken`, not both.');
  }
  const transport = new Transport({
    ...transportOptions,
    getToken: getToken ?? (token ? () => token : undefined),
  });

  const listExportsAt = (path: string, params: ExportListParams | undefined, signal?: AbortSignal) =>
    transport.json<ExportList>({ method: 'GET', path, query: { ...params }, retryable: true, signal });
  // the API answers a path (`/api/files/…`) when it cannot trust the request's Host: the file is on baseUrl
  const linkAt = async (path: string, signal?: AbortSignal): Promise<ExportDownload> => {
    const link = await transport.json<ExportDownload>({ method: 'GET', path, retryable: true, signal });
    const relative = link.url.startsWith('/') && !link.url.startsWith('//');
    return relative ? { ...link, url: transport.url(link.url) } : link;
  };

  function listVideoExports(videoId: string, params?: ExportListParams, { signal }: CallOptions = {}) {
    return listExportsAt(`/api/videos/${segment(videoId)}/exports`, params, signal);
  }

  const client: VexportClient = {
    createExport(videoId, request, { signal, idempotencyKey = randomKey() } = {}) {
      return transport.json({
        method: 'POST',
        path: `/api/videos/${segment(videoId)}/export`,
        json: request,
        headers: { 'idempotency-key': idempotencyKey },
        retryable: true,
        signal,
      });
    },
    getExport(exportId, { signal } = {}) {
      return transport.json({
        method: 'GET',
        path: `/api/exports/${segment(exportId)}`,
        retryable: true,
        signal,
      });
    },
    getExportProgress(exportId, { signal } = {}) {
      return transport.json({
        method: 'GET',
        path: `/api/exports/${segment(exportId)}/progress`,
        retryable: true,
        signal,
      });
    },
    watchExport(exportId, watchOptions) {
      return watchExport(transport, exportId, watchOptions);
    },
    getExportDownloadUrl(exportId, { signal } = {}) {
      return linkAt(`/api/exports/${segment(exportId)}/download`, signal);
    },
    async downloadExport(exportId, { signal } = {}) {
      const page = currentPage();
      const { url } = await client.getExportDownloadUrl(exportId, { signal });
      startBrowserDownload(page, url);
    },
    async saveExport(exportId, path, { signal } = {}) {
      const fs = await nodeFileSystem();
      const response = await client.fetchExport(exportId, { signal });
      await saveToFile(fs, response.body ?? new Blob().stream(), path, signal);
    },
    async fetchExport(exportId, { signal } = {}) {
      const { url } = await client.getExportDownloadUrl(exportId, { signal });
      const response = await fetch(new URL(url, transport.url('/')), { signal });
      if (!response.ok) {
        throw await VexportError.fromResponse(response);
      }
      return response;
    },
    cancelExport(exportId, { signal } = {}) {
      return transport.json({
        method: 'POST',
        path: `/api/exports/${segment(exportId)}/cancel`,
        retryable: true,
        signal,
      });
    },
    async deleteExport(exportId, { signal } = {}) {
      // not retried: on a running export DELETE cancels, and a repeat of it would then delete the export
      await transport.send({
        method: 'DELETE',
        path: `/api/exports/${segment(exportId)}`,
        retryable: false,
        signal,
      });
    },
    listExports(params, { signal } = {}) {
      return listExportsAt('/api/exports', params, signal);
    },
    getVideoExports: listVideoExports,
    listVideoExports,
    async *iterateExports(params, { signal } = {}) {
      for (let page = 1; ; page += 1) {
        const list = await listExportsAt('/api/exports', { ...params, page }, signal);
        yield* list.exports;
        if (page * list.limit >= list.total || list.exports.length === 0) return;
      }
    },
    registerVideo(source, { signal } = {}) {
      if ('file' in source) {
        const form = new FormData();
        if (source.title) form.set('title', source.title);
        const name = source.filename ?? (source.file as File).name ?? 'video';
        form.set('file', source.file, name);
        return transport.json({
          method: 'POST',
          path: '/api/videos',
          body: form,
          retryable: false,
          signal,
          timeoutMs: 0,
        });
      }
      return transport.json({ method: 'POST', path: '/api/videos', json: source, retryable: false, signal });
    },
    getVideoSourceUrl(videoId, { signal } = {}) {
      return linkAt(`/api/videos/${segment(videoId)}/source`, signal);
    },
    getVideo(videoId, { signal } = {}) {
      return transport.json({
        method: 'GET',
        path: `/api/videos/${segment(videoId)}`,
        retryable: true,
        signal,
      });
    },
    listVideos(params, { signal } = {}) {
      return transport.json({
        method: 'GET',
        path: '/api/videos',
        query: { ...params },
        retryable: true,
        signal,
      });
    },
    async deleteVideo(videoId, { signal } = {}) {
      await transport.send({
        method: 'DELETE',
        path: `/api/videos/${segment(videoId)}`,
        retryable: true,
        signal,
      });
    },
    estimateExport({ segments, ...params }, { signal } = {}) {
      return transport.json({
        method: 'GET',
        path: '/api/exports/estimate',
        query: { ...params, segments: formatSegmentList(segments) },
        retryable: true,
        signal,
      });
    },
    getSettings({ signal } = {}) {
      return transport.json({ method: 'GET', path: '/api/me/export-settings', retryable: true, signal });
    },
    saveSettings(settings, { signal } = {}) {
      return transport.json({
        method: 'PUT',
        path: '/api/me/export-settings',
        json: settings,
        retryable: true,
        signal,
      });
    },
  };
  return client;
}
