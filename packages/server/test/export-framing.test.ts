import { Export, LOUDNESS_TARGETS, type ExportCreateRequest, type VexportClient } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, type TestApi } from './support/test-api.js';

const portrait: ExportCreateRequest = {
  export_type: 'single',
  resolution: '1080p',
  format: 'mp4',
  quality: 'medium',
  segments: [{ start_time: 1, end_time: 4 }],
  framing: '9:16',
  framing_fit: 'pad',
  loudness_lufs: LOUDNESS_TARGETS.social,
};

describe('export framing and loudness', () => {
  let api: TestApi;
  let client: VexportClient;
  let videoId: string;

  beforeAll(async () => {
    api = await startTestApi({ config: { exportRateLimitPerHour: 1000 } });
    client = api.clientFor('framer');
    videoId = (await createProbedVideo(api.models, 'framer', { duration: 20 })).id;
  });

  afterAll(() => api.close());

  /** A create request sent as plain JSON, so that bodies the typed client would refuse reach the API. */
  const postExport = (body: unknown) =>
    fetch(`${api.baseUrl}/api/videos/${videoId}/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokenFor('framer')}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('stores and returns the framing, its fit and the loudness target a request names', async () => {
    const created = Export.parse(await client.createExport(videoId, portrait));
    expect(created).toMatchObject({ framing: '9:16', framing_fit: 'pad', loudness_lufs: -14 });
    expect(created.total_duration).toBe(3);

    // what the worker reads
    const stored = await api.models.Export.findByPk(created.id);
    expect(stored?.toJSON()).toMatchObject({ framing: '9:16', framing_fit: 'pad', loudness_lufs: -14 });
    expect(await client.getExport(created.id)).toMatchObject({
      framing: '9:16',
      framing_fit: 'pad',
      loudness_lufs: -14,
    });
    const listed = await client.listVideoExports(videoId);
    expect(listed.exports.find((record) => record.id === created.id)).toMatchObject({
      framing: '9:16',
      framing_fit: 'pad',
      loudness_lufs: -14,
    });
  });

  it('keeps a fractional loudness target as sent', async () => {
    const created = await client.createExport(videoId, { ...portrait, loudness_lufs: -16.5 });
    expect(created.loudness_lufs).toBe(-16.5);
  });

  it('frames as the source, by crop, with the audio level untouched when the request says nothing', async () => {
    const { framing: _framing, framing_fit: _fit, loudness_lufs: _loudness, ...plain } = portrait;
    const created = await client.createExport(videoId, plain);
    expect(created).toMatchObject({ framing: 'original', framing_fit: 'crop', loudness_lufs: null });
    const stored = await api.models.Export.findByPk(created.id);
    expect(stored?.toJSON()).toMatchObject({ framing: 'original', framing_fit: 'crop', loudness_lufs: null });
  });

  it('takes an explicit null loudness as no normalisation', async () => {
    const created = await client.createExport(videoId, { ...portrait, loudness_lufs: null });
    expect(created.loudness_lufs).toBeNull();
  });

  it.each([
    ['an unknown framing', { framing: '4:5' }, 'framing'],
    ['an unknown framing fit', { framing_fit: 'zoom' }, 'framing_fit'],
    ['a loudness target below -30 LUFS', { loudness_lufs: -40 }, 'loudness_lufs'],
    ['a loudness target above -5 LUFS', { loudness_lufs: 0 }, 'loudness_lufs'],
    ['a loudness target that is not a number', { loudness_lufs: 'loud' }, 'loudness_lufs'],
    ['a misspelt framing field', { frame: '9:16' }, 'frame'],
  ])('refuses %s with a 422 problem naming the field', async (_name, change, path) => {
    const response = await postExport({ ...portrait, ...change });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as {
      code: string;
      errors: { path: string; message: string }[];
    };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((error) => error.path)).toEqual([path]);
    expect(problem.errors[0]!.message.length).toBeGreaterThan(10);
  });

  it('tells a person the loudness range it accepts', async () => {
    const response = await postExport({ ...portrait, loudness_lufs: -40 });
    const problem = (await response.json()) as { errors: { message: string }[] };
    expect(problem.errors[0]!.message).toMatch(/between -30 and -5 LUFS/);
  });
});
