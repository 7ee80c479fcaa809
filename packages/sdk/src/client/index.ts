export {
  createClient,
  type VexportClient,
  type ClientOptions,
  type CallOptions,
  type ExportEstimateParams,
  type ExportListParams,
  type VideoUpload,
} from './client.js';
export {
  VexportError,
  VexportConnectionError,
  VexportCorsError,
  VexportTimeoutError,
  type ClientErrorCode,
} from './errors.js';
export type { TokenProvider } from './transport.js';
export type { WatchExportOptions } from './watch-export.js';
export { parseServerSentEvents, type ServerSentEvent } from './server-sent-events.js';
