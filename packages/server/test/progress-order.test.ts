import {
  RedisKeys,
  parseServerSentEvents,
  type ExportCreateRequest,
  type ExportProgress,
  type VexportClient,
} from '@vexport/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressStore, type OwnedProgress } from '../src/exports/progress-store.js';
import { createProbedVideo, startTestApi, userIdOf, type TestApi } from './support/test-api.js';

const request: ExportCreateRequest = {
  export_type: 'single',
  resolution: '720p',
  format: 'mp4',
  quality_preset: 'low',
  segment_selections: [{ start_time: 0, end_time: 5 }],
};

/** The SSE `progress` events of an open stream, as the server wrote them, until it ends. */
async function readEvents(response: Response, seen: ExportProgress[]): Promise<void> {
  for await (const { event, data } of parseServerSentEvents(response.body!)) {
    if (event === 'progress') seen.push(JSON.parse(data) as ExportProgress);
  }
}

describe('export progress only moves forward', () => {
  let api: TestApi;
  let alice: VexportClient;
  let userId: string;
  let videoId: string;
  let store: ProgressStore;

  beforeAll(async () => {
    api = await startTestApi({ config: { exportRateLimitPerHour: 1000 } });
    alice = api.clientFor('alice');
    videoId = (await createProbedVideo(api.models, 'alice', { duration: 30 })).id;
    userId = await userIdOf(api.models, 'alice');
    store = new ProgressStore(api.redis, api.models, pino({ level: 'silent' }));
  });
  afterAll(() => api.close());

  const live = (
    current_stage: ExportProgress['current_stage'],
    progress: number,
    status: ExportProgress['status'] = 'processing',
  ): OwnedProgress => ({
    progress,
    status,
    current_stage,
    estimated_time_remaining: null,
    elapsed_time: 1,
    user_id: userId,
  });

  it('shows an export a worker has just taken as downloading until the worker reports', async () => {
    const created = await alice.createExport(videoId, request);
    expect(await alice.getExportProgress(created.id)).toMatchObject({
      status: 'pending',
      current_stage: 'queued',
    });
    // what a worker writes when it takes the job, before its first live update
    await api.models.Export.update(
      { status: 'processing', started_at: new Date() },
      { where: { id: created.id } },
    );
    expect(await alice.getExportProgress(created.id)).toMatchObject({
      status: 'processing',
      current_stage: 'downloading',
      progress: 0,
    });
  });

  it('keeps serving processing 10.6 when an older downloading 0 is written after it', async () => {
    const created = await alice.createExport(videoId, request);
    expect(await store.write(created.id, live('processing', 10.6))).toBe(true);
    expect(await store.write(created.id, live('downloading', 0))).toBe(false);
    expect(await alice.getExportProgress(created.id)).toMatchObject({
      status: 'processing',
      current_stage: 'processing',
      progress: 10.6,
    });
  });

  it('keeps the live percentage when the API cancels from the database’s coarser copy', async () => {
    const created = await alice.createExport(videoId, request);
    await api.models.Export.update(
      { status: 'processing', started_at: new Date(), progress_percentage: 50 },
      { where: { id: created.id } },
    );
    await store.write(created.id, live('processing', 55.3));
    await alice.cancelExport(created.id);
    expect(await alice.getExportProgress(created.id)).toMatchObject({
      status: 'cancelled',
      current_stage: 'processing',
      progress: 55.3,
    });
    expect(await store.write(created.id, live('processing', 60))).toBe(false);
    expect((await alice.getExportProgress(created.id)).status).toBe('cancelled');
  });

  it('never streams a step back over SSE, even for a stale message on the channel', async () => {
    const created = await alice.createExport(videoId, request);
    const response = await fetch(`${api.baseUrl}/api/exports/${created.id}/events`, {
      headers: { Authorization: `Bearer ${api.tokenFor('alice')}`, Accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    const seen: ExportProgress[] = [];
    const reading = readEvents(response, seen);
    await expect.poll(() => seen.length).toBe(1);
    await store.write(created.id, live('processing', 10.6));
    await expect.poll(() => seen.length).toBe(2);
    // a message that was already on its way when a newer one was stored (the stream's initial read races its
    // subscription the same way)
    await api.redis.publish(
      RedisKeys.exportProgressChannel(created.id),
      JSON.stringify(live('downloading', 0)),
    );
    await store.write(created.id, live('processing', 42));
    await store.write(created.id, live('complete', 100, 'completed'));
    await reading;
    expect(seen.map(({ status, current_stage, progress }) => [status, current_stage, progress])).toEqual([
      ['pending', 'queued', 0],
      ['processing', 'processing', 10.6],
      ['processing', 'processing', 42],
      ['completed', 'complete', 100],
    ]);
  });
});
