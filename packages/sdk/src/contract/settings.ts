import { z } from 'zod';
import { ExportType, Format, QualityPreset, Resolution } from './enums.js';

/** A named combination of export options a user saved. */
export const CustomPreset = z.strictObject({
  id: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(80),
  resolution: Resolution,
  format: Format,
  quality_preset: QualityPreset,
  export_type: ExportType.optional(),
});
export type CustomPreset = z.infer<typeof CustomPreset>;

/** The most custom presets one user may keep. */
export const MAX_CUSTOM_PRESETS = 20;

/** A user's export defaults and saved presets. */
export const ExportSettings = z.strictObject({
  default_resolution: Resolution,
  default_format: Format,
  default_quality: QualityPreset,
  custom_presets: z
    .array(CustomPreset)
    .max(MAX_CUSTOM_PRESETS)
    .refine((presets) => new Set(presets.map((preset) => preset.id)).size === presets.length, {
      message: 'custom preset ids must be unique',
    }),
});
export type ExportSettings = z.infer<typeof ExportSettings>;

export { DEFAULT_EXPORT_SETTINGS } from './settings-defaults.js';
