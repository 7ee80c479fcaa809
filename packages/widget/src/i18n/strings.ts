import type {
  ExportStatus,
  ExportType,
  Format,
  Framing,
  FramingFit,
  LOUDNESS_TARGETS,
  QualityPreset,
  Resolution,
  Stage,
} from '@vexport/sdk';

/** A loudness choice of the export dialog: off, or one of the SDK's usual targets. */
export type LoudnessChoice = 'off' | keyof typeof LOUDNESS_TARGETS;

/** Every text the elements show, in English; pass a partial object as `strings` to change any of them. */
export const defaultStrings = {
  modalTitle: 'Export video',
  resolutionLegend: 'Resolution',
  qualityLegend: 'Quality',
  formatLegend: 'Format',
  typeLegend: 'Export as',
  segmentsHeading: 'Segments',
  totalDuration: 'Total',
  estimatedSize: 'Estimated size',
  /** "about 40 s": the time an export is expected to take, from the workers' measured speed. */
  estimatedTime: (duration: string) => `about ${duration}`,
  estimatingTime: 'estimating time…',
  timeUnknown: 'time unknown',
  cancel: 'Cancel',
  submit: 'Export',
  submitting: 'Starting export…',
  close: 'Close',
  preview: 'Preview',
  previewing: 'Making preview…',
  previewFailed: 'The preview could not be made in this browser.',
  exportLocally: 'Export in this browser',
  localExporting: 'Exporting in this browser…',
  localExportProgress: 'Export in this browser',
  localExportFailed: 'The export could not be made in this browser.',
  offlineTryLocal:
    'The export service cannot be reached. You can export this short selection in your browser instead.',
  noSegments: 'Select at least one segment of the video to export.',
  segmentOutside: (index: number, duration: string) =>
    `Segment ${index} ends after the end of the video (${duration}).`,
  loadFailed: 'The export options could not be loaded. Check your connection and try again.',
  resolutions: { '720p': '720p HD', '1080p': '1080p Full HD', '4k': '4K Ultra HD' } as Record<
    Resolution,
    string
  >,
  qualities: { high: 'High', medium: 'Medium', low: 'Low' } as Record<QualityPreset, string>,
  qualityHints: { high: 'Best picture, larger file', medium: 'Balanced', low: 'Smallest file' } as Record<
    QualityPreset,
    string
  >,
  formats: { mp4: 'MP4', mov: 'MOV', webm: 'WebM' } as Record<Format, string>,
  formatHints: {
    mp4: 'H.264, plays everywhere',
    mov: 'H.264, for Apple editing apps',
    webm: 'VP9, for the web',
  } as Record<Format, string>,
  types: { single: 'Single video', combined: 'Combined video', clips: 'Individual clips (ZIP)' } as Record<
    ExportType,
    string
  >,
  stages: {
    queued: 'Waiting to start',
    downloading: 'Preparing the source',
    processing: 'Encoding',
    uploading: 'Saving',
    complete: 'Done',
  } as Record<Stage, string>,
  statuses: {
    pending: 'Waiting',
    processing: 'Exporting',
    completed: 'Completed',
    failed: 'Failed',
    cancelled: 'Cancelled',
  } as Record<ExportStatus, string>,
  progressLabel: 'Export progress',
  elapsed: 'Elapsed',
  remaining: 'Remaining',
  cancelExport: 'Cancel export',
  confirmCancel: 'Stop this export?',
  confirmYes: 'Stop it',
  confirmNo: 'Keep going',
  download: 'Download',
  retry: 'Try again',
  failedFallback: 'The export failed.',
  unreachable: 'The export service cannot be reached. Progress will resume when the connection is back.',
  listTitle: 'Exports',
  columns: {
    date: 'Date',
    type: 'Type',
    resolution: 'Resolution',
    format: 'Format',
    quality: 'Quality',
    framing: 'Framing',
    loudness: 'Loudness',
    size: 'Size',
    status: 'Status',
    actions: 'Actions',
  },
  sortBy: 'Sort by',
  sortOptions: {
    'created_at:desc': 'Newest first',
    'created_at:asc': 'Oldest first',
    'status:asc': 'Status',
    'file_size_bytes:desc': 'Largest first',
    'file_size_bytes:asc': 'Smallest first',
  } as Record<string, string>,
  filterStatus: 'Status',
  filterType: 'Type',
  allStatuses: 'All statuses',
  allTypes: 'All types',
  emptyList: 'No exports yet.',
  createExport: 'Create an export',
  details: 'Details',
  hideDetails: 'Hide details',
  delete: 'Delete',
  confirmDelete: 'Delete this export and its file?',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  loadListFailed: 'The exports could not be loaded.',
  segmentsCount: (count: number) => (count === 1 ? '1 segment' : `${count} segments`),
  settingsTitle: 'Export settings',
  defaultsHeading: 'Defaults for new exports',
  presetsHeading: 'Custom presets',
  recommendationsHeading: 'Recommended for',
  /** Under the recommendations in Settings, which save no framing or loudness. */
  recommendationsFramingNote:
    'Framing and loudness are chosen in the export dialog: there, the Reels preset also crops to portrait ' +
    '9:16 and evens loudness to −14 LUFS.',
  presetName: 'Preset name',
  addPreset: 'Add preset',
  savePreset: 'Save preset',
  editPreset: 'Edit',
  deletePreset: 'Delete',
  usePreset: 'Use as defaults',
  noPresets: 'No custom presets yet.',
  saveSettings: 'Save settings',
  resetSettings: 'Reset to defaults',
  settingsSaved: 'Settings saved.',
  settingsSavedOffline: 'Saved on this device. They will be sent when the connection is back.',
  presetNameRequired: 'Give the preset a name.',
  /** Texts by error code; each code and what the host should do is in docs/widget.md. */
  errors: {
    rate_limited: 'You have started many exports recently. Please wait a while before starting another.',
    video_not_ready: 'This video is still being prepared. Try again in a moment.',
    segment_out_of_range: 'A segment lies outside the video. Adjust the selection and try again.',
    unauthorized: 'Your session has expired. Sign in again to export.',
    forbidden: 'You are not allowed to do this. Ask the site’s administrator for access.',
    connection_error: 'The export service cannot be reached. Check your connection and try again.',
    cors_refused:
      'The export service could not be reached, or it refused this page’s origin. If it is running, ' +
      'its CORS_ORIGINS setting must list this site’s address.',
    timeout: 'The export service took too long to answer. Try again.',
    internal_error: 'The export service ran into a problem. Try again in a few minutes.',
    service_unavailable: 'The export service is unavailable right now. Try again in a few minutes.',
  } as Partial<Record<string, string>>,
  /** Appended to the rate-limit text when the API says when to try again. */
  retryIn: (seconds: number) =>
    seconds < 90
      ? `Try again in ${Math.max(1, Math.ceil(seconds))} s.`
      : `Try again in ${Math.ceil(seconds / 60)} min.`,
  // export-progress, exports-list, export-settings
  /** "High quality": a quality label in a summary of export options. */
  qualitySummary: (quality: string) => `${quality} quality`,
  estimating: 'Estimating…',
  exportReadyTitle: (title: string) => `✓ Export ready — ${title}`,
  exportReadyNotification: 'Export ready',
  exportReadyBody: (name: string) => `${name} is ready to download.`,
  exportReadyFallback: 'Your export is ready to download.',
  videoColumn: 'Video',
  untitledVideo: 'Untitled video',
  noMatchingExports: 'No exports match these filters.',
  clearFilters: 'Show all exports',
  confirmDeleteExport: (name: string) =>
    `Delete the export “${name}”? The file is removed and cannot be downloaded again.`,
  confirmDeleteExportWithoutFile: (videoName: string) =>
    `Delete this export of “${videoName}”? It made no file; the export record is removed.`,
  deleteExportYes: 'Delete export',
  deleteExportNo: 'Keep the export',
  confirmStopExport: (name: string) => `Stop the export “${name}”? What was made so far is discarded.`,
  stopExportYes: 'Stop export',
  stopExportNo: 'Keep exporting',
  confirmReset: (options: string) => `Reset the defaults for new exports to ${options}?`,
  resetKeepsPresets: 'Your custom presets are kept unless you tick the box.',
  alsoDeletePresets: 'Also delete my custom presets',
  resetYes: 'Reset defaults',
  resetNo: 'Keep my settings',
  settingsReset: 'Defaults restored; your custom presets are kept.',
  settingsResetWithPresets: 'Defaults restored and custom presets deleted.',
  defaultsApplied: (name: string) => `${name} is now the default for new exports, and saved.`,
  // end of export-progress, exports-list, export-settings
  // export-modal: presets, resolutions against the source, progress in place
  presetLegend: 'Preset',
  presetNone: 'Choose a preset…',
  ownPresets: 'Your presets',
  recommendedPresets: 'Recommended',
  /**
   * Names of the recommended presets by id, the same in the dialog and in Settings, so each names only what
   * both apply: Settings cannot keep the portrait framing and loudness the dialog adds to `reels`.
   */
  recommendedPresetNames: {
    youtube: 'YouTube — 1080p, high quality, MP4',
    reels: 'Instagram Reels, TikTok, Shorts — 1080p MP4',
    web: 'Web page — 720p, WebM',
  } as Partial<Record<string, string>>,
  matchesSource: 'matches source',
  upscaledFrom: (source: string) => `upscaled from ${source}`,
  upscaleWarning: (source: string) =>
    `The source is ${source}: a larger resolution makes a bigger file but adds no detail.`,
  exportStarted: 'Your export has started. It keeps going if you close this dialog.',
  exportAgain: 'Export with other options',
  // end of export-modal
  // vexport-timeline
  timelineLabel: 'Timeline',
  timelineZoomIn: 'Zoom in',
  timelineZoomOut: 'Zoom out',
  timelineMarkIn: 'Mark in',
  timelineMarkOut: 'Mark out',
  timelinePlayhead: 'Playhead',
  timelineShortcuts:
    'Keys: I and O mark in and out at the playhead · J, K, L play backwards, stop, play · Space plays or ' +
    'pauses · arrows move one frame, Shift+arrows one second · Delete removes the focused clip.',
  timelineCannotPreview:
    'This browser cannot show this video (its codec is not supported here), so there is no picture to ' +
    'preview. You can still mark clips by time and export them: the export is made on the server.',
  timelineClipName: (number: number) => `Clip ${number}`,
  timelineClipSummary: (label: string, start: string, end: string) => `${label}: ${start} to ${end}`,
  timelineClipStart: (label: string) => `Start of ${label}`,
  timelineClipEnd: (label: string) => `End of ${label}`,
  timelineClipsHeading: 'Clips',
  timelineNoClips: 'No clips yet. Press I where a clip starts and O where it ends, or drag on the strip.',
  timelineNoClipsTouch:
    'No clips yet. Tap Mark in where a clip starts and Mark out where it ends, or drag on the strip.',
  timelineName: 'Name',
  timelineStart: 'Start',
  timelineEnd: 'End',
  timelineRemove: 'Remove',
  timelineRemoveClip: (label: string) => `Remove ${label}`,
  timelineMarkedIn: (time: string) => `In at ${time}. Move to where the clip ends and press O (Mark out).`,
  timelineInsideClip: (label: string) => `The playhead is inside ${label}. Move it outside the clip first.`,
  timelineOutBeforeIn: (time: string) => `Mark out must come after the mark in (${time}).`,
  timelineNoRoom: 'Move the playhead to where the new clip should end, past the previous clip, then press O.',
  timelineAdded: (label: string, start: string, end: string) => `${label} added: ${start} to ${end}.`,
  timelineAddedWithoutIn: (label: string, start: string, end: string) =>
    `${label} added: ${start} to ${end}. With no mark in, it starts where the previous clip ends.`,
  timelineRangeOverlaps: (other: string) => `That range overlaps ${other}. Move the marks outside it.`,
  timelineBlocked: (label: string, other: string) => `${label} stops at ${other}: clips cannot overlap.`,
  timelineWouldOverlap: (label: string, other: string) =>
    `${label} would overlap ${other}. Choose a time outside ${other}.`,
  timelineOverlaps: (other: string) => `Overlaps ${other}`,
  timelineOverlapWarning: 'Some clips overlap. Shorten or move them so that each moment is in one clip.',
  timelineBadTime: 'Type a time as minutes:seconds, like 1:05.3.',
  timelineStartAfterEnd: (end: string) => `The start must be before the end (${end}).`,
  timelineEndBeforeStart: (start: string) => `The end must be after the start (${start}).`,
  timelinePastEnd: (duration: string) => `The video ends at ${duration}.`,
  timelineRemoved: (label: string) => `${label} removed.`,
  // export-modal framing: the output's shape and loudness
  framingLegend: 'Framing',
  framings: {
    original: 'Original',
    '9:16': 'Portrait 9:16',
    '1:1': 'Square 1:1',
    '16:9': 'Landscape 16:9',
  } as Record<Framing, string>,
  framingOriginalHint: 'as filmed',
  framingFitLegend: 'Fill or fit',
  framingFits: { crop: 'Fill (crop)', pad: 'Fit (bars)' } as Record<FramingFit, string>,
  framingFitHints: {
    crop: 'Fills the frame; trims the edges',
    pad: 'Keeps the whole picture; adds black bars',
  } as Record<FramingFit, string>,
  loudnessLegend: 'Even out loudness',
  loudnessOptions: {
    off: 'Off',
    social: 'Social −14 LUFS',
    podcast: 'Podcast −16 LUFS',
    broadcast: 'Broadcast −23 LUFS',
  } as Record<LoudnessChoice, string>,
  loudnessHints: {
    off: 'Sound as recorded',
    social: 'Instagram, TikTok, YouTube',
    podcast: 'Podcast apps',
    broadcast: 'TV (EBU R128)',
  } as Record<LoudnessChoice, string>,
  /** The note shown when filling or fitting the chosen framing enlarges the source's picture. */
  reframeUpscaleWarning: (source: string, framing: string) =>
    `The source is ${source}: framed as ${framing} at this resolution, it is enlarged, which makes a bigger ` +
    'file but adds no detail.',
  // end of export-modal framing
};

export type Strings = typeof defaultStrings;
