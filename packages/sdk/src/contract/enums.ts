import { z } from 'zod';

/** How the chosen segments become files: one segment, all segments joined, or one file per segment (ZIP). */
export const ExportType = z.enum(['single', 'combined', 'clips']);
export type ExportType = z.infer<typeof ExportType>;

/** Output size by the short side of the picture: 720, 1080 or 2160 pixels. */
export const Resolution = z.enum(['720p', '1080p', '4k']);
export type Resolution = z.infer<typeof Resolution>;

/** Container and codecs: mp4 and mov carry H.264/AAC, webm carries VP9/Opus. */
export const Format = z.enum(['mp4', 'mov', 'webm']);
export type Format = z.infer<typeof Format>;

/** Trade-off between file size and picture quality. */
export const QualityPreset = z.enum(['high', 'medium', 'low']);
export type QualityPreset = z.infer<typeof QualityPreset>;

/** Lifecycle of an export. `completed`, `failed` and `cancelled` are terminal. */
export const ExportStatus = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled']);
export type ExportStatus = z.infer<typeof ExportStatus>;

/** Where a running export is in its pipeline. */
export const Stage = z.enum(['queued', 'downloading', 'processing', 'uploading', 'complete']);
export type Stage = z.infer<typeof Stage>;

/** Lifecycle of a registered source video (its probe). */
export const VideoStatus = z.enum(['pending', 'processing', 'completed', 'failed']);
export type VideoStatus = z.infer<typeof VideoStatus>;

const TERMINAL_EXPORT_STATUSES: ReadonlySet<ExportStatus> = new Set(['completed', 'failed', 'cancelled']);

/** True when an export in this status will never change again. */
export function isTerminalExportStatus(status: ExportStatus): boolean {
  return TERMINAL_EXPORT_STATUSES.has(status);
}
