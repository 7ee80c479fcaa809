import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  Export,
  ExportList,
  ExportProgress,
  QueueNames,
  RedisKeys,
  SEGMENT_END_TOLERANCE_SECONDS,
  findSegmentOutsideVideo,
  ExportCreateRequest,
  type VexportClient,
} from '@vexport/sdk';
import { pino } from 'pino';
import { ExportService } from '../src/exports/export-service.js';
import { ProgressStore } from '../src/exports/progress-store.js';
import type { JobQueues } from '../src/queue/job-queues.js';
import { SettingsService } from '../src/settings/settings-service.js';
import { failure, waitingJobIds } from './support/expectations.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, userIdOf, type TestApi } from './support/test-api.js';

const combined: ExportCreateRequest = {
  export_type: 'combined',
  resolution: '720p',
  format: 'webm',
  quality_preset: 'low',
  segment_selections: [
    { start_time: 1, end_time: 3, label: 'intro' },
    { start_time: 10, end_time: 14.5 },
  ],
};

describe('exports API', () => {
  let api: TestApi;
  let alice: VexportClient;
  let bob: VexportClient;
  let videoId: string;

  beforeAll(async () => {
    api = await startTestApi({ config: { exportRateLimitPerHour: 1000 } });
    alice = api.clientFor('alice');
    bob = api.clientFor('bob');
    videoId = (await createProbedVideo(api.models, 'alice', { duration: 30 })).id;
  });

  afterAll(() => api.close());

  describe('creating', () => {
    it('accepts a valid request, stores it pending and queues one job', async () => {
      const created = Export.parse(await alice.createExport(videoId, combined));
      expect(created).toMatchObject({
        video_id: videoId,
        status: 'pending',
        progress_percentage: 0,
        export_type: 'combined',
        resolution: '720p',
        format: 'webm',
        quality_preset: 'low',
        total_duration_seconds: 7,
        total_duration: 6.5,
        output_url: null,
      });
      expect(created.segment_selections[0]).toEqual({ start_time: 1, end_time: 3, label: 'intro' });
      expect(await waitingJobIds(api, QueueNames.exportVideo)).toContain(created.id);
    });

    it('fills resolution, format and quality from the user’s saved settings', async () => {
      await alice.saveSettings({
        default_resolution: '4k',
        default_format: 'mov',
        default_quality: 'high',
        custom_presets: [],
      });
      const created = await alice.createExport(videoId, {
        export_type: 'single',
        segment_selections: [{ start_time: 0, end_time: 30 }],
      });
      expect(created).toMatchObject({ resolution: '4k', format: 'mov', quality_preset: 'high' });
    });

    it.each([
      ['an unknown resolution', { ...combined, resolution: '8k' }, 'resolution'],
      ['an unknown format', { ...combined, format: 'avi' }, 'format'],
      [
        'start after end',
        { ...combined, segment_selections: [{ start_time: 5, end_time: 2 }] },
        'segment_selections.0.end_time',
      ],
      [
        'start equal to end',
        { ...combined, segment_selections: [{ start_time: 2, end_time: 2 }] },
        'segment_selections.0.end_time',
      ],
      [
        'a negative start',
        { ...combined, segment_selections: [{ start_time: -1, end_time: 2 }] },
        'segment_selections.0.start_time',
      ],
      [
        'too many segments',
        {
          ...combined,
          export_type: 'clips',
          segment_selections: Array.from({ length: 51 }, (_, i) => ({
            start_time: i * 0.5,
            end_time: i * 0.5 + 0.25,
          })),
        },
        'segment_selections',
      ],
      ['no segments', { ...combined, segment_selections: [] }, 'segment_selections'],
      ['single with two segments', { ...combined, export_type: 'single' }, 'export_type'],
    ])('refuses %s with a 422 naming the field', async (_name, body, path) => {
      const error = await failure(alice.createExport(videoId, body as ExportCreateRequest));
      expect(error.status).toBe(422);
      expect(error.code).toBe('validation_failed');
      expect(error.problem?.errors?.map((item) => item.path)).toContain(path);
    });

    it('refuses segments past the end of the video', async () => {
      const error = await failure(
        alice.createExport(videoId, {
          ...combined,
          segment_selections: [
            { start_time: 0, end_time: 1 },
            { start_time: 25, end_time: 31 },
          ],
        }),
      );
      expect(error).toMatchObject({ status: 422, code: 'segment_out_of_range' });
      expect(error.problem?.errors?.[0]?.path).toBe('segments.1.end_time');
    });

    it('answers 404 for an unknown video and for another user’s video', async () => {
      expect(
        (await failure(alice.createExport('00000000-0000-4000-8000-000000000000', combined))).status,
      ).toBe(404);
      expect((await failure(bob.createExport(videoId, combined))).code).toBe('not_found');
      expect((await failure(alice.createExport('not-a-uuid', combined))).status).toBe(404);
    });

    it('answers 409 while the video is still being probed, and when its probe failed', async () => {
      const pending = await createProbedVideo(api.models, 'alice', { status: 'pending' });
      expect(await failure(alice.createExport(pending.id, combined))).toMatchObject({
        status: 409,
        code: 'video_not_ready',
      });
      const failed = await createProbedVideo(api.models, 'alice', { status: 'failed' });
      const error = await failure(alice.createExport(failed.id, combined));
      expect(error.message).toMatch(/could not be read/);
    });

    it('answers the created export as it reads back later', async () => {
      const created = await alice.createExport(videoId, combined);
      expect(await alice.getExport(created.id)).toEqual(created);
      expect(Export.parse(created).file_size_bytes).toBeNull();
      expect(Export.parse(created).upscaled).toBeNull();
    });

    it('takes a segment that ends within the tolerance after the video, and refuses one just past it', async () => {
      const edge = 30 + SEGMENT_END_TOLERANCE_SECONDS;
      expect(findSegmentOutsideVideo([{ start_time: 29, end_time: edge }], 30)).toBe(-1);
      const taken = await alice.createExport(videoId, {
        ...combined,
        segment_selections: [
          { start_time: 0, end_time: 1 },
          { start_time: 29, end_time: edge },
        ],
      });
      expect(taken.status).toBe('pending');
      const refused = await failure(
        alice.createExport(videoId, {
          ...combined,
          segment_selections: [
            { start_time: 0, end_time: 1 },
            { start_time: 29, end_time: edge + 0.001 },
          ],
        }),
      );
      expect(refused).toMatchObject({ status: 422, code: 'segment_out_of_range' });
    });

    it('stores nothing for a refused request', async () => {
      const pending = await createProbedVideo(api.models, 'alice', { status: 'pending' });
      const before = await api.models.Export.count();
      const tooLong = {
        ...combined,
        segment_selections: [
          { start_time: 0, end_time: 2 },
          { start_time: 5, end_time: 40 },
        ],
      };
      expect((await failure(alice.createExport(videoId, tooLong))).status).toBe(422);
      expect((await failure(alice.createExport(pending.id, combined))).status).toBe(409);
      expect((await failure(bob.createExport(videoId, combined))).status).toBe(404);
      expect(await api.models.Export.count()).toBe(before);
    });

    it('removes the stored export again when its job cannot be queued', async () => {
      const refusingQueue = { enqueueExport: () => Promise.reject(new Error('queue down')) };
      const service = new ExportService({
        models: api.models,
        redis: api.redis,
        queues: refusingQueue as unknown as JobQueues,
        storage: api.storage,
        settings: new SettingsService(api.models),
        progress: new ProgressStore(api.redis, api.models, pino({ level: 'silent' })),
        logger: pino({ level: 'silent' }),
        downloadUrlTtlSeconds: 60,
      });
      const before = await api.models.Export.count();
      const userId = await userIdOf(api.models, 'alice');
      const request = ExportCreateRequest.parse(combined);
      await expect(service.create(userId, videoId, request)).rejects.toThrow('queue down');
      expect(await api.models.Export.count()).toBe(before);
    });

    it('answers malformed JSON with a 400 problem', async () => {
      const response = await fetch(`${api.baseUrl}/api/videos/${videoId}/export`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.tokenFor('alice')}`, 'content-type': 'application/json' },
        body: '{"export_type": ',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'invalid_json' });
    });
  });

  describe('idempotency', () => {
    it('returns the same export for the same key and body, and queues it once', async () => {
      const first = await alice.createExport(videoId, combined, { idempotencyKey: 'same-key-1' });
      const again = await alice.createExport(videoId, combined, { idempotencyKey: 'same-key-1' });
      expect(again.id).toBe(first.id);
      const jobs = await waitingJobIds(api, QueueNames.exportVideo);
      expect(jobs.filter((id) => id === first.id)).toHaveLength(1);
      const count = await api.models.Export.count({ where: { idempotency_key: 'same-key-1' } });
      expect(count).toBe(1);
    });

    it('refuses the same key with a different body', async () => {
      await alice.createExport(videoId, combined, { idempotencyKey: 'same-key-2' });
      const error = await failure(
        alice.createExport(videoId, { ...combined, format: 'mp4' }, { idempotencyKey: 'same-key-2' }),
      );
      expect(error).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    });

    it('keeps keys per user', async () => {
      const bobVideo = await createProbedVideo(api.models, 'bob', { duration: 30 });
      const mine = await alice.createExport(videoId, combined, { idempotencyKey: 'shared-key' });
      const theirs = await bob.createExport(bobVideo.id, combined, { idempotencyKey: 'shared-key' });
      expect(theirs.id).not.toBe(mine.id);
    });

    it('creates one export when the same request races itself', async () => {
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          alice.createExport(videoId, combined, { idempotencyKey: 'raced-key' }),
        ),
      );
      expect(new Set(results.map((result) => result.id)).size).toBe(1);
    });
  });

  describe('reading and listing', () => {
    let listVideoId: string;
    const ids: string[] = [];

    beforeAll(async () => {
      const carol = api.clientFor('carol');
      listVideoId = (await createProbedVideo(api.models, 'carol', { duration: 100 })).id;
      for (let i = 0; i < 5; i += 1) {
        const created = await carol.createExport(listVideoId, {
          export_type: i % 2 === 0 ? 'single' : 'clips',
          segment_selections: [{ start_time: i, end_time: i + 1 }],
        });
        ids.push(created.id);
      }
      await api.models.Export.update(
        { status: 'completed', file_size_bytes: 5000, upscaled: true, progress_percentage: 100 },
        { where: { id: ids[0] } },
      );
      await api.models.Export.update({ status: 'failed', error_message: 'boom' }, { where: { id: ids[1] } });
      await api.models.Export.update(
        { status: 'completed', file_size_bytes: 900 },
        { where: { id: ids[2] } },
      );
    });

    it('gets one export with every contract field', async () => {
      const record = Export.parse(await api.clientFor('carol').getExport(ids[0]!));
      expect(record).toMatchObject({
        id: ids[0],
        status: 'completed',
        file_size_bytes: 5000,
        upscaled: true,
      });
    });

    it('answers 404 for another user’s export on every endpoint', async () => {
      const id = ids[0]!;
      for (const call of [
        () => alice.getExport(id),
        () => alice.getExportProgress(id),
        () => alice.getExportDownloadUrl(id),
        () => alice.deleteExport(id),
        () => alice.listVideoExports(listVideoId),
      ]) {
        expect((await failure(call())).status).toBe(404);
      }
      const events = await fetch(`${api.baseUrl}/api/exports/${id}/events`, {
        headers: { authorization: `Bearer ${api.tokenFor('alice')}` },
      });
      expect(events.status).toBe(404);
    });

    it('pages newest first with the total', async () => {
      const carol = api.clientFor('carol');
      const first = ExportList.parse(await carol.listExports({ limit: 2 }));
      expect(first).toMatchObject({ total: 5, page: 1, limit: 2 });
      expect(first.exports.map((record) => record.id)).toEqual([ids[4], ids[3]]);
      const third = await carol.listExports({ limit: 2, page: 3 });
      expect(third.exports.map((record) => record.id)).toEqual([ids[0]]);
      const all = [];
      for await (const record of carol.iterateExports({ limit: 2 })) all.push(record.id);
      expect(all).toEqual([...ids].reverse());
    });

    it('filters by status and export type', async () => {
      const carol = api.clientFor('carol');
      const completed = await carol.listExports({ status: 'completed' });
      expect(completed.exports.map((record) => record.id).sort()).toEqual([ids[0], ids[2]].sort());
      expect(completed.total).toBe(2);
      const clips = await carol.listVideoExports(listVideoId, { export_type: 'clips' });
      expect(clips.total).toBe(2);
      expect(clips.exports.every((record) => record.export_type === 'clips')).toBe(true);
    });

    it('sorts by file size both ways, unsized ones last', async () => {
      const carol = api.clientFor('carol');
      const descending = await carol.listExports({ sort: 'file_size_bytes', order: 'desc' });
      expect(descending.exports.slice(0, 2).map((record) => record.file_size_bytes)).toEqual([5000, 900]);
      const ascending = await carol.listExports({ sort: 'file_size_bytes', order: 'asc' });
      expect(ascending.exports.slice(0, 2).map((record) => record.file_size_bytes)).toEqual([900, 5000]);
      expect(ascending.exports.at(-1)?.file_size_bytes).toBeNull();
    });

    it('sorts by status in lifecycle order', async () => {
      const carol = api.clientFor('carol');
      const sorted = await carol.listExports({ sort: 'status', order: 'asc' });
      expect(sorted.exports.map((record) => record.status)).toEqual([
        'pending',
        'pending',
        'completed',
        'completed',
        'failed',
      ]);
    });

    it('refuses a limit over 100 and unknown filters', async () => {
      const carol = api.clientFor('carol');
      expect((await failure(carol.listExports({ limit: 101 }))).problem?.errors?.[0]?.path).toBe(
        'query.limit',
      );
      expect((await failure(carol.listExports({ status: 'exploded' as never }))).status).toBe(422);
    });
  });

  describe('progress', () => {
    it('derives progress from the database before the worker wrote any', async () => {
      const created = await alice.createExport(videoId, combined);
      expect(ExportProgress.parse(await alice.getExportProgress(created.id))).toEqual({
        progress: 0,
        status: 'pending',
        current_stage: 'queued',
        estimated_time_remaining: null,
        elapsed_time: 0,
        updated_at: created.updated_at,
      });
    });

    it('serves the worker’s progress from Redis without its owner field', async () => {
      const created = await alice.createExport(videoId, combined);
      const live = {
        progress: 42,
        status: 'processing',
        current_stage: 'processing',
        estimated_time_remaining: 12,
        elapsed_time: 8,
      };
      const userId = await userIdOf(api.models, 'alice');
      await api.redis.set(RedisKeys.exportProgress(created.id), JSON.stringify({ ...live, user_id: userId }));
      expect(await alice.getExportProgress(created.id)).toEqual(live);
      expect((await failure(bob.getExportProgress(created.id))).status).toBe(404);
    });

    it('streams progress over SSE as the worker publishes it, ending at a terminal status', async () => {
      const created = await alice.createExport(videoId, combined);
      const userId = await userIdOf(api.models, 'alice');
      const seen: ExportProgress[] = [];
      const watching = (async () => {
        for await (const progress of alice.watchExport(created.id, { mode: 'sse' })) seen.push(progress);
      })();
      await expect.poll(() => seen.length).toBe(1);
      for (const [progress, status] of [
        [30, 'processing'],
        [70, 'processing'],
        [100, 'completed'],
      ] as const) {
        const update = {
          progress,
          status,
          current_stage: status === 'completed' ? 'complete' : 'processing',
          estimated_time_remaining: 0,
          elapsed_time: 1,
          user_id: userId,
        };
        await api.redis.publish(RedisKeys.exportProgressChannel(created.id), JSON.stringify(update));
      }
      await watching;
      expect(seen.map((progress) => progress.progress)).toEqual([0, 30, 70, 100]);
      expect(seen.at(-1)?.status).toBe('completed');
      expect(seen.every((progress) => !('user_id' in progress))).toBe(true);
    });

    it('closes the stream and its subscription when the client goes away', async () => {
      const created = await alice.createExport(videoId, combined);
      const controller = new AbortController();
      const watching = (async () => {
        for await (const _progress of alice.watchExport(created.id, {
          mode: 'sse',
          signal: controller.signal,
        })) {
          // keep reading until aborted
        }
      })();
      await expect.poll(() => api.events.openStreams).toBe(1);
      controller.abort();
      await watching;
      await expect.poll(() => api.events.openStreams).toBe(0);
    });

    it('falls back to polling when the stream is not available', async () => {
      const created = await alice.createExport(videoId, combined);
      const controller = new AbortController();
      const seen: ExportProgress[] = [];
      for await (const progress of alice.watchExport(created.id, {
        mode: 'poll',
        pollIntervalMs: 50,
        signal: controller.signal,
      })) {
        seen.push(progress);
        await api.models.Export.update(
          { status: 'failed', error_message: 'x' },
          { where: { id: created.id } },
        );
      }
      expect(seen.map((progress) => progress.status)).toEqual(['pending', 'failed']);
    });
  });

  describe('cancelling and deleting', () => {
    it('cancels a processing export: database first, then the worker’s signal and the watchers', async () => {
      const created = await alice.createExport(videoId, combined);
      await api.models.Export.update(
        { status: 'processing', started_at: new Date(), progress_percentage: 40 },
        { where: { id: created.id } },
      );
      const subscriber = api.redis.duplicate();
      const announced: string[] = [];
      subscriber.on('message', (_channel, message) => announced.push(message));
      await subscriber.subscribe(RedisKeys.exportCancelChannel);
      try {
        const cancelled = await alice.cancelExport(created.id);
        expect(cancelled).toMatchObject({ id: created.id, status: 'cancelled', progress_percentage: 40 });
        expect(cancelled.completed_at).not.toBeNull();
        expect(await api.redis.get(RedisKeys.exportCancel(created.id))).toBe('1');
        await expect.poll(() => announced).toContain(created.id);
        expect((await alice.getExportProgress(created.id)).status).toBe('cancelled');
      } finally {
        await subscriber.quit();
      }
    });

    it('takes a cancelled pending export off the queue', async () => {
      const created = await alice.createExport(videoId, combined);
      expect(await waitingJobIds(api, QueueNames.exportVideo)).toContain(created.id);
      await alice.cancelExport(created.id);
      expect(await waitingJobIds(api, QueueNames.exportVideo)).not.toContain(created.id);
    });

    it('deletes a finished export together with its stored files', async () => {
      const created = await alice.createExport(videoId, combined);
      const userId = await userIdOf(api.models, 'alice');
      const key = `exports/${userId}/${created.id}/output.webm`;
      await api.storage.put(key, Readable.from(['video bytes']));
      await api.models.Export.update(
        { status: 'completed', output_s3_key: key },
        { where: { id: created.id } },
      );
      await alice.deleteExport(created.id);
      expect(await api.storage.head(key)).toBeUndefined();
      expect((await failure(alice.getExport(created.id))).status).toBe(404);
    });
  });

  describe('downloading', () => {
    it('answers 409 until the export completed', async () => {
      const created = await alice.createExport(videoId, combined);
      expect(await failure(alice.getExportDownloadUrl(created.id))).toMatchObject({
        status: 409,
        code: 'export_not_completed',
      });
    });

    it('gives an expiring URL that serves the file once completed, and refuses a tampered one', async () => {
      const created = await alice.createExport(videoId, combined);
      const userId = await userIdOf(api.models, 'alice');
      const key = `exports/${userId}/${created.id}/output.webm`;
      await api.storage.put(key, Readable.from(['the finished video']));
      await api.models.Export.update(
        { status: 'completed', output_s3_key: key, output_url: `/api/exports/${created.id}/download` },
        { where: { id: created.id } },
      );
      const record = await alice.getExport(created.id);
      expect(record.output_url).toBe(`/api/exports/${created.id}/download`);

      const download = await alice.getExportDownloadUrl(created.id);
      expect(new Date(download.expires_at).getTime()).toBeGreaterThan(Date.now() + 3_500_000);
      const file = await fetch(download.url);
      expect(await file.text()).toBe('the finished video');
      expect(file.headers.get('content-disposition')).toMatch(/beach-trip-combined-[0-9a-f]{8}\.webm/);

      const response = await alice.fetchExport(created.id);
      expect(await response.text()).toBe('the finished video');
      const folder = await mkdtemp(join(tmpdir(), 'vexport-save-'));
      try {
        await alice.saveExport(created.id, join(folder, 'saved.webm'));
        expect(await readFile(join(folder, 'saved.webm'), 'utf8')).toBe('the finished video');
      } finally {
        await rm(folder, { recursive: true, force: true });
      }

      const tampered = download.url.replace(created.id, '00000000-0000-4000-8000-000000000000');
      const refused = await fetch(tampered);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'forbidden' });
    });
  });
});
