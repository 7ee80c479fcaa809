/**
 * @vexport/widget — importing this module registers every vexport element.
 */
export { VexportProvider } from './components/vexport-provider/vexport-provider.js';
export { ExportModal, offeredExportTypes } from './components/export-modal/export-modal.js';
export { ExportProgressElement } from './components/export-progress/export-progress.js';
export { ExportsList } from './components/exports-list/exports-list.js';
export {
  VexportTimeline,
  type SeekDetail,
  type SegmentsChangeDetail,
  type TimelineSegment,
} from './components/vexport-timeline/vexport-timeline.js';
export {
  ExportSettingsElement,
  PLATFORM_RECOMMENDATIONS,
} from './components/export-settings/export-settings.js';
export { clientContext } from './context/client-context.js';
export {
  BrowserFfmpegUnavailableError,
  hasBrowserFfmpeg,
  loadBrowserFfmpeg,
  type BrowserFfmpeg,
} from './ffmpeg/browser-ffmpeg.js';
export { planLocalExport, runInBrowser, type LocalExportRequest } from './ffmpeg/local-export.js';
export { defaultStrings, type Strings } from './i18n/strings.js';
export type {
  ExportCreatedDetail,
  ExportEndedDetail,
  SettingsSavedDetail,
  VexportEventMap,
} from './events/export-events.js';
export { tokens } from './styles/tokens.js';
