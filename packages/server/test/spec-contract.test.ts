import { Readable } from 'node:stream';
import { QueueNames } from '@vexport/sdk';
import Queue from 'bee-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, userIdOf, type TestApi } from './support/test-api.js';

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are checked field by field
  body: any;
  headers: Headers;
}

interface FieldError {
  path: string;
  message: string;
}

/** The fields of the specification's Export model (task 1.2), every one in each answer. */
const SPEC_EXPORT_FIELDS = [
  'id',
  'video_id',
  'user_id',
  'export_type',
  'resolution',
  'format',
  'quality_preset',
  'output_s3_key',
  'output_url',
  'file_size_bytes',
  'status',
  'progress_percentage',
  'segment_selections',
  'total_duration_seconds',
  'error_message',
  'created_at',
  'updated_at',
  'started_at',
  'completed_at',
];

/**
 * The API driven as a host app written only from the original specification drives it: plain fetch, the
 * specification's endpoints, and its literal names (`segments`, `quality`, `sort=file_size`, …).
 */
describe('the specification’s contract, in its own names', () => {
  let api: TestApi;
  let videoId: string;

  const call = async (method: string, path: string, body?: unknown, user = 'host-app-user') => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${api.tokenFor(user)}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  const createExport = (body: unknown, video = videoId): Promise<Answer> =>
    call('POST', `/api/videos/${video}/export`, body);

  /** The field errors of a 422 validation problem. */
  const fieldErrors = (answer: Answer): FieldError[] => {
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('validation_failed');
    return answer.body.errors as FieldError[];
  };

  beforeAll(async () => {
    api = await startTestApi({ config: { exportRateLimitPerHour: 1000 } });
    videoId = (await createProbedVideo(api.models, 'host-app-user', { duration: 60 })).id;
  });

  afterAll(() => api.close());

  describe('POST /api/videos/{video_id}/export (ExportCreateRequest: resolution, format, quality, export_type, segments)', () => {
    it.each([
      ['single', [{ start_time: 1, end_time: 3 }]],
      [
        'combined',
        [
          { start_time: 1, end_time: 3, clip_id: 'intro' },
          { start_time: 10, end_time: 12.5 },
        ],
      ],
      [
        'clips',
        [
          { start_time: 0, end_time: 2, clip_id: 'a' },
          { start_time: 5, end_time: 6, clip_id: 'b' },
        ],
      ],
    ])('takes `segments` for a %s export and stores them', async (exportType, segments) => {
      const created = await createExport({
        resolution: '720p',
        format: 'mp4',
        quality: 'medium',
        export_type: exportType,
        segments,
      });
      expect(created.status).toBe(202);
      expect(created.body).toMatchObject({ export_type: exportType, status: 'pending' });
      expect(created.body.segment_selections).toEqual(segments);
      expect(Object.keys(created.body)).toEqual(expect.arrayContaining(SPEC_EXPORT_FIELDS));
    });

    it('stores `quality: low` as the export’s quality, over a saved default of high, and queues the job with it', async () => {
      const saved = await call('PUT', '/api/me/export-settings', {
        default_resolution: '1080p',
        default_format: 'mp4',
        default_quality: 'high',
        custom_presets: [],
      });
      expect(saved.status).toBe(200);
      const created = await createExport({
        export_type: 'single',
        quality: 'low',
        segments: [{ start_time: 0, end_time: 1 }],
      });
      expect(created.status).toBe(202);
      expect(created.body).toMatchObject({ quality_preset: 'low', resolution: '1080p' });
      expect((await call('GET', `/api/exports/${created.body.id}`)).body.quality_preset).toBe('low');

      // the worker reads its job's export_id and renders the record stored under it
      const queue = new Queue(QueueNames.exportVideo, {
        prefix: api.queuePrefix,
        redis: { url: process.env.REDIS_URL },
        isWorker: false,
      });
      try {
        const job = (await queue.getJobs('waiting', { start: 0, end: 100 })).find(
          (waiting) => waiting.id === created.body.id,
        );
        expect(job?.data).toEqual({ export_id: created.body.id });
        const record = await api.models.Export.findByPk(job!.data.export_id);
        expect(record?.quality_preset).toBe('low');
      } finally {
        await queue.close();
      }
    });

    it('takes the record’s names `quality_preset` and `segment_selections` as aliases; different values under both names are refused, naming both', async () => {
      const aliases = await createExport({
        export_type: 'single',
        quality_preset: 'low',
        segment_selections: [{ start_time: 0, end_time: 1 }],
      });
      expect(aliases.status).toBe(202);
      expect(aliases.body.quality_preset).toBe('low');
      const agreeing = await createExport({
        export_type: 'single',
        quality: 'medium',
        quality_preset: 'medium',
        segments: [{ start_time: 2, end_time: 3 }],
        segment_selections: [{ start_time: 2, end_time: 3 }],
      });
      expect(agreeing.status).toBe(202);
      expect(agreeing.body).toMatchObject({
        quality_preset: 'medium',
        segment_selections: [{ start_time: 2, end_time: 3 }],
      });

      const errors = fieldErrors(
        await createExport({
          export_type: 'single',
          quality: 'low',
          quality_preset: 'high',
          segments: [{ start_time: 0, end_time: 1 }],
          segment_selections: [{ start_time: 0, end_time: 2 }],
        }),
      );
      expect(errors.map((error) => error.path)).toEqual(
        expect.arrayContaining(['quality', 'quality_preset', 'segments', 'segment_selections']),
      );
      expect(errors.find((error) => error.path === 'quality')!.message).toMatch(/quality_preset/);
    });

    it('refuses a request without segments under either name', async () => {
      const errors = fieldErrors(await createExport({ export_type: 'clips', quality: 'low' }));
      expect(errors.map((error) => error.path)).toContain('segments');
    });

    it('refuses an unknown field, naming it and the field it is probably meant to be', async () => {
      const errors = fieldErrors(
        await createExport({
          export_type: 'single',
          qualty: 'low',
          segments: [{ start_time: 0, end_time: 1, clipid: 'x' }],
        }),
      );
      expect(errors).toEqual(
        expect.arrayContaining([
          { path: 'qualty', message: expect.stringMatching(/did you mean `quality`\?/) },
          { path: 'segments.0.clipid', message: expect.stringMatching(/did you mean `clip_id`\?/) },
        ]),
      );
    });

    it('suggests the specification’s name for a near miss of an alias', async () => {
      const errors = fieldErrors(
        await createExport({
          export_type: 'single',
          quality_presets: 'low',
          segments: [{ start_time: 0, end_time: 1 }],
        }),
      );
      expect(errors).toContainEqual({
        path: 'quality_presets',
        message: expect.stringMatching(/did you mean `quality`\?/),
      });
    });

    it('gives `total_duration_seconds` as a whole number of seconds (rounded up) and the exact `total_duration`', async () => {
      const created = await createExport({
        export_type: 'combined',
        segments: [
          { start_time: 0, end_time: 2 },
          { start_time: 10, end_time: 12.5 },
        ],
      });
      expect(created.status).toBe(202);
      expect(created.body.total_duration_seconds).toBe(5);
      expect(Number.isInteger(created.body.total_duration_seconds)).toBe(true);
      expect(created.body.total_duration).toBe(4.5);
    });
  });

  describe('GET /api/videos/{video_id}/exports (pagination, filtering, sorting by created_at and file_size)', () => {
    let listVideoId: string;
    const ids: string[] = [];

    beforeAll(async () => {
      listVideoId = (await createProbedVideo(api.models, 'lister', { duration: 60 })).id;
      for (const [index, exportType] of (['single', 'clips', 'single'] as const).entries()) {
        const created = await call(
          'POST',
          `/api/videos/${listVideoId}/export`,
          { export_type: exportType, segments: [{ start_time: index, end_time: index + 1 }] },
          'lister',
        );
        ids.push(created.body.id as string);
      }
      const sizes = [700, 90_000, 5_000];
      for (const [index, id] of ids.entries()) {
        await api.models.Export.update(
          { status: 'completed', file_size_bytes: sizes[index]!, progress_percentage: 100 },
          { where: { id } },
        );
      }
    });

    const list = (query: string) =>
      call('GET', `/api/videos/${listVideoId}/exports?${query}`, undefined, 'lister');

    it('sorts by file_size both ways', async () => {
      const descending = await list('sort=file_size&order=desc');
      expect(descending.status).toBe(200);
      expect(
        descending.body.exports.map((record: { file_size_bytes: number }) => record.file_size_bytes),
      ).toEqual([90_000, 5_000, 700]);
      const ascending = await list('sort=file_size&order=asc');
      expect(
        ascending.body.exports.map((record: { file_size_bytes: number }) => record.file_size_bytes),
      ).toEqual([700, 5_000, 90_000]);
    });

    it('pages with page and limit, filters by status and export_type, and answers {exports, total, page, limit}', async () => {
      const page = await list('page=2&limit=2&sort=created_at');
      expect(page.body).toMatchObject({ total: 3, page: 2, limit: 2 });
      expect(page.body.exports).toHaveLength(1);
      const clips = await list('status=completed&export_type=clips');
      expect(clips.body.exports.map((record: { id: string }) => record.id)).toEqual([ids[1]]);
    });

    it('refuses an unknown query parameter, naming it and the one it is probably meant to be', async () => {
      expect(fieldErrors(await list('sortt=file_size'))).toContainEqual({
        path: 'query.sortt',
        message: expect.stringMatching(/did you mean `sort`\?/),
      });
    });
  });

  describe('GET /api/exports/{export_id}, /progress, /download and DELETE', () => {
    it('answers details, progress, a download link once completed, and cancels', async () => {
      const created = (
        await createExport({ export_type: 'single', segments: [{ start_time: 0, end_time: 1 }] })
      ).body;
      const details = await call('GET', `/api/exports/${created.id}`);
      expect(details.status).toBe(200);
      expect(Object.keys(details.body)).toEqual(expect.arrayContaining(SPEC_EXPORT_FIELDS));
      expect(details.body.output_url).toBeNull();

      const progress = await call('GET', `/api/exports/${created.id}/progress`);
      expect(progress.status).toBe(200);
      expect(Object.keys(progress.body)).toEqual(
        expect.arrayContaining(['progress', 'status', 'estimated_time_remaining', 'current_stage']),
      );

      expect((await call('GET', `/api/exports/${created.id}/download`)).status).toBe(409);
      const key = `exports/${await userIdOf(api.models, 'host-app-user')}/${created.id}/output.mp4`;
      await api.storage.put(key, Readable.from(['bytes']));
      await api.models.Export.update(
        { status: 'completed', output_s3_key: key, output_url: `/api/exports/${created.id}/download` },
        { where: { id: created.id } },
      );
      const download = await call('GET', `/api/exports/${created.id}/download`);
      expect(download.status).toBe(200);
      expect(Object.keys(download.body).sort()).toEqual(['expires_at', 'url']);

      const running = (
        await createExport({ export_type: 'single', segments: [{ start_time: 0, end_time: 1 }] })
      ).body;
      const cancelled = await call('DELETE', `/api/exports/${running.id}`);
      expect(cancelled.body.status).toBe('cancelled');
    });
  });

  describe('every other body and query the API parses is strict', () => {
    it.each([
      [
        'export settings',
        'PUT',
        '/api/me/export-settings',
        { default_resolution: '720p', default_format: 'mp4', default_qualty: 'low', custom_presets: [] },
        'default_qualty',
        'default_quality',
      ],
      [
        'a video registration',
        'POST',
        '/api/videos',
        { source_url: 'https://example.com/a.mp4', titel: 'A' },
        'titel',
        'title',
      ],
      ['the video list query', 'GET', '/api/videos?pages=2', undefined, 'query.pages', 'page'],
      ['the export list query', 'GET', '/api/exports?limitt=5', undefined, 'query.limitt', 'limit'],
    ])('refuses an unknown field in %s', async (_name, method, path, body, field, suggestion) => {
      expect(fieldErrors(await call(method, path, body))).toContainEqual({
        path: field,
        message: expect.stringContaining(`did you mean \`${suggestion}\`?`),
      });
    });

    it('names an unknown field without a guess when nothing known is close', async () => {
      const errors = fieldErrors(
        await createExport({
          export_type: 'single',
          segments: [{ start_time: 0, end_time: 1 }],
          priority: 9,
        }),
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]!.path).toBe('priority');
      expect(errors[0]!.message).not.toMatch(/did you mean/);
    });
  });
});
