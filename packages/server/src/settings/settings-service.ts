import type { Models } from '@vexport/db';
import { DEFAULT_EXPORT_SETTINGS, type ExportSettings } from '@vexport/sdk';

/** Each user's export defaults and custom presets. */
export class SettingsService {
  readonly #models: Models;

  constructor(models: Models) {
    this.#models = models;
  }

  /** The user's saved settings, or the defaults when they never saved any. */
  async get(userId: string): Promise<ExportSettings> {
    const row = await this.#models.ExportSettings.findByPk(userId);
    if (!row) return { ...DEFAULT_EXPORT_SETTINGS, custom_presets: [] };
    return {
      default_resolution: row.default_resolution,
      default_format: row.default_format,
      default_quality: row.default_quality,
      custom_presets: row.custom_presets,
    };
  }

  /** Replaces the user's settings as a whole; resolves to what is now stored. */
  async save(userId: string, settings: ExportSettings): Promise<ExportSettings> {
    await this.#models.ExportSettings.upsert({ user_id: userId, ...settings });
    return this.get(userId);
  }
}
