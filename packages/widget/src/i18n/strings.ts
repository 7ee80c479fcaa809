import type { ExportStatus, ExportType, Format, QualityPreset, Resolution, Stage } from '@vexport/sdk';

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
  cancel: 'Cancel',
  submit: 'Export',
  submitting: 'Starting export…',
  close: 'Close',
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
  errors: {
    rate_limited: 'You have started many exports recently. Please wait a while before starting another.',
    video_not_ready: 'This video is still being prepared. Try again in a moment.',
    segment_out_of_range: 'A segment lies outside the video. Adjust the selection and try again.',
    unauthorized: 'Your session has expired. Sign in again to export.',
    connection_error: 'The export service cannot be reached. Check your connection and try again.',
    timeout: 'The export service took too long to answer. Try again.',
  } as Partial<Record<string, string>>,
};

export type Strings = typeof defaultStrings;
