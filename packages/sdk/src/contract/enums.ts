import { z } from 'zod';
import {
  EXPORT_STATUSES,
  EXPORT_TYPES,
  FORMATS,
  FRAMINGS,
  FRAMING_FITS,
  QUALITY_PRESETS,
  RESOLUTIONS,
  STAGES,
  VIDEO_STATUSES,
} from './values.js';

export { isTerminalExportStatus } from './values.js';

/** How the chosen segments become files: one segment, all segments joined, or one file per segment (ZIP). */
export const ExportType = z.enum(EXPORT_TYPES);
export type ExportType = z.infer<typeof ExportType>;

/** Output size by the short side of the picture: 720, 1080 or 2160 pixels. */
export const Resolution = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof Resolution>;

/** Container and codecs: mp4 and mov carry H.264/AAC, webm carries VP9/Opus. */
export const Format = z.enum(FORMATS);
export type Format = z.infer<typeof Format>;

/** The output picture's shape: the source's own, or 9:16, 1:1 or 16:9. */
export const Framing = z.enum(FRAMINGS);
export type Framing = z.infer<typeof Framing>;

/** How the picture meets a framing of another shape: centre crop (fills the frame) or black bars (pad). */
export const FramingFit = z.enum(FRAMING_FITS);
export type FramingFit = z.infer<typeof FramingFit>;

/** Trade-off between file size and picture quality. */
export const QualityPreset = z.enum(QUALITY_PRESETS);
export type QualityPreset = z.infer<typeof QualityPreset>;

/** Lifecycle of an export. `completed`, `failed` and `cancelled` are terminal. */
export const ExportStatus = z.enum(EXPORT_STATUSES);
export type ExportStatus = z.infer<typeof ExportStatus>;

/** Where a running export is in its pipeline. */
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** Lifecycle of a registered source video (its probe). */
export const VideoStatus = z.enum(VIDEO_STATUSES);
export type VideoStatus = z.infer<typeof VideoStatus>;
