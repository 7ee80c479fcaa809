// Zod-free, so that the widget can use the defaults without bundling the schema library.
import type { ExportSettings } from './settings.js';

/** What a user who never saved settings gets. */
export const DEFAULT_EXPORT_SETTINGS: ExportSettings = Object.freeze({
  default_resolution: '1080p',
  default_format: 'mp4',
  default_quality: 'medium',
  custom_presets: [],
});
