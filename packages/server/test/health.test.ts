import { HealthReport, Problem, RedisKeys } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../testing/services.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('health endpoints against real PostgreSQL and Redis', () => {
  let api: TestApi;
  const workerId = uniqueName('test-worker');

  beforeAll(async () => {
    api = await startTestApi();
    const heartbeat = {
      id: workerId,
      hostname: 'test-host',
      pid: 4242,
      ffmpeg_version: '9.9.9-test',
      h264_encoder: 'libx264',
      chunking: { min_output_seconds: 60, min_chunk_seconds: 10 },
      started_at: new Date(0).toISOString(),
    };
    await api.redis.set(RedisKeys.workerHeartbeat(workerId), JSON.stringify(heartbeat), 'EX', 30);
    // a key under the heartbeats' pattern that something else wrote: not JSON
    await api.redis.set(RedisKeys.workerHeartbeat(`${workerId}-garbage`), '{not json', 'EX', 30);
  });

  afterAll(async () => {
    await api.redis.del(
      RedisKeys.workerHeartbeat(workerId),
      RedisKeys.workerHeartbeat(`${workerId}-garbage`),
    );
    await api.close();
  });

  it('reports the versions of PostgreSQL, Redis and the workers’ ffmpeg', async () => {
    const response = await fetch(`${api.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    const report = HealthReport.parse(await response.json());
    expect(report.status).toBe('ok');
    expect(report.postgres.version).toMatch(/^\d+\.\d+/);
    expect(report.redis.version).toMatch(/^\d+\.\d+\.\d+/);
    // the worker is listed with the encoder it announced; the key that is not a heartbeat is skipped
    expect(report.workers.find((worker) => worker.id === workerId)).toMatchObject({
      h264_encoder: 'libx264',
    });
    expect(report.workers.map((worker) => worker.id)).not.toContain(`${workerId}-garbage`);
    expect(report.ffmpeg.version).not.toBeNull();
  });

  it('is ready when PostgreSQL and Redis answer', async () => {
    const response = await fetch(`${api.baseUrl}/readyz`);
    expect(response.status).toBe(200);
  });

  it('answers an unknown route with a 404 problem+json', async () => {
    const response = await fetch(`${api.baseUrl}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = Problem.parse(await response.json());
    expect(problem.code).toBe('not_found');
  });
});
