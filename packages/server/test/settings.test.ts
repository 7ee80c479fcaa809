import { DEFAULT_EXPORT_SETTINGS, type ExportSettings, VexportError } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('export settings API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('gives the defaults to a user who never saved any', async () => {
    expect(await api.clientFor('new-user').getSettings()).toEqual(DEFAULT_EXPORT_SETTINGS);
  });

  it('saves and loads defaults and custom presets, per user', async () => {
    const settings: ExportSettings = {
      default_resolution: '720p',
      default_format: 'webm',
      default_quality: 'low',
      custom_presets: [
        { id: 'yt', name: 'YouTube', resolution: '1080p', format: 'mp4', quality_preset: 'high' },
        {
          id: 'reels',
          name: 'Reels',
          resolution: '1080p',
          format: 'mp4',
          quality_preset: 'medium',
          export_type: 'clips',
        },
      ],
    };
    const client = api.clientFor('saver');
    expect(await client.saveSettings(settings)).toEqual(settings);
    expect(await client.getSettings()).toEqual(settings);
    expect(await api.clientFor('someone-else').getSettings()).toEqual(DEFAULT_EXPORT_SETTINGS);
    const replaced = { ...settings, custom_presets: [] };
    expect(await client.saveSettings(replaced)).toEqual(replaced);
  });

  it('refuses invalid settings with 422 and keeps the stored ones', async () => {
    const client = api.clientFor('careful');
    await client.saveSettings({ ...DEFAULT_EXPORT_SETTINGS, default_format: 'mov' });
    const error = await client
      .saveSettings({ ...DEFAULT_EXPORT_SETTINGS, default_resolution: '8k' as never })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VexportError);
    expect((error as VexportError).status).toBe(422);
    expect((await client.getSettings()).default_format).toBe('mov');
  });
});
