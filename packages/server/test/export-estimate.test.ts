import {
  DEFAULT_EXPORT_SPEEDS,
  ExportEstimate,
  RedisKeys,
  estimateExportBytes,
  type ExportEstimateParams,
  type VexportClient,
} from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../testing/services.js';
import { LIVE_WORKERS_TTL_MS } from '../src/exports/export-estimate-routes.js';
import { failure } from './support/expectations.js';
import { createProbedVideo, startTestApi, type TestApi } from './support/test-api.js';

describe('GET /api/exports/estimate', () => {
  let api: TestApi;
  let client: VexportClient;
  let video: Awaited<ReturnType<typeof createProbedVideo>>;
  let params: ExportEstimateParams;
  // a 1080p source made 4K WebM: re-encoded, a kind that no other test's exports measure
  const speedKey = RedisKeys.exportSpeed({ mode: 'reencode', format: 'webm', resolution: '4k' });

  beforeAll(async () => {
    api = await startTestApi();
    client = api.clientFor('estimator');
    video = await createProbedVideo(api.models, 'estimator', { duration: 120 });
    await video.update({ size_bytes: 150_000_000 });
    params = {
      video_id: video.id,
      format: 'webm',
      resolution: '4k',
      quality_preset: 'medium',
      segments: [
        { start_time: 0, end_time: 10 },
        { start_time: 20.5, end_time: 30.5 },
      ],
    };
    await api.redis.del(speedKey);
  });

  afterAll(async () => {
    await api.redis.del(speedKey);
    await api.close();
  });

  it('estimates from the default speed before any export of the kind was measured, and says so', async () => {
    const estimate = ExportEstimate.parse(await client.estimateExport(params));
    const speed = DEFAULT_EXPORT_SPEEDS.reencode['4k'];
    expect(estimate).toEqual({
      mode: 'reencode',
      media_seconds: 20,
      size_bytes: estimateExportBytes(params, video.toJSON()),
      seconds: 20 / speed,
      workers: 1,
      media_seconds_per_second: speed,
      basis: 'default',
      measured_exports: 0,
    });
  });

  it('estimates the time from the speed the workers measured for that kind of export', async () => {
    await api.redis.hset(speedKey, { mean: '0.4', count: '3' });
    const estimate = await client.estimateExport(params);
    expect(estimate).toMatchObject({
      seconds: 50,
      media_seconds_per_second: 0.4,
      basis: 'measured',
      measured_exports: 3,
    });
  });

  it('counts the live workers that will share a long re-encode, and divides the time among them', async () => {
    await api.redis.hset(speedKey, { mean: '0.4', count: '3' });
    // the listing the earlier requests made has expired
    await new Promise((resolve) => setTimeout(resolve, LIVE_WORKERS_TTL_MS + 100));
    // two workers that split re-encodes of 60 s or more into chunks of at least 10 s
    const ids = [uniqueName('sharing-worker'), uniqueName('sharing-worker')];
    for (const id of ids) {
      const heartbeat = {
        id,
        hostname: 'test-host',
        pid: 1,
        ffmpeg_version: '9.9.9-test',
        h264_encoder: 'libx264',
        chunking: { min_output_seconds: 60, min_chunk_seconds: 10 },
        started_at: new Date().toISOString(),
      };
      await api.redis.set(RedisKeys.workerHeartbeat(id), JSON.stringify(heartbeat), 'EX', 10);
    }
    try {
      const long = await client.estimateExport({ ...params, segments: [{ start_time: 0, end_time: 120 }] });
      // other tests' workers may be alive too: at least these two share it, and the time is theirs
      expect(long.workers).toBeGreaterThanOrEqual(2);
      expect(long.seconds).toBeCloseTo(120 / (0.4 * long.workers), 6);
      // a short one stays on one worker
      const short = await client.estimateExport(params);
      expect([short.workers, short.seconds]).toEqual([1, 50]);
    } finally {
      await api.redis.del(ids.map((id) => RedisKeys.workerHeartbeat(id)));
    }
  });

  it('predicts a smart cut, at its own speed, when the codec and size stay as they are', async () => {
    const estimate = await client.estimateExport({ ...params, format: 'mp4', resolution: '1080p' });
    expect(estimate.mode).toBe('smart-cut');
    expect(estimate.size_bytes).toBe(
      estimateExportBytes({ ...params, format: 'mp4', resolution: '1080p' }, video.toJSON()),
    );
  });

  it('answers 404 for another user’s video, as for an unknown one', async () => {
    const error = await failure(api.clientFor('someone-else').estimateExport(params));
    expect([error.status, error.code]).toEqual([404, 'not_found']);
  });

  it.each([
    ['no segments', { segments: undefined }, 'segments'],
    ['a segment that ends before it starts', { segments: '10-4' }, 'segments'],
    ['segments that are not start-end pairs', { segments: '0-4,abc' }, 'segments'],
    ['an unknown format', { format: 'avi' }, 'format'],
  ])('refuses %s with a 422 problem naming the parameter', async (_name, change, parameter) => {
    const query = new URLSearchParams(
      Object.entries({ ...params, segments: '0-10', ...change }).flatMap(
        ([name, value]): [string, string][] => (value === undefined ? [] : [[name, String(value)]]),
      ),
    );
    const response = await fetch(`${api.baseUrl}/api/exports/estimate?${query}`, {
      headers: { authorization: `Bearer ${api.tokenFor('estimator')}` },
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((error) => error.path)).toEqual([`query.${parameter}`]);
  });

  it('needs a bearer token', async () => {
    const response = await fetch(`${api.baseUrl}/api/exports/estimate?video_id=${video.id}`);
    expect(response.status).toBe(401);
  });
});
