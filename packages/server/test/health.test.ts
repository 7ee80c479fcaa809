import { HealthReport, Problem, RedisKeys } from '@vexport/sdk';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createSequelize } from '@vexport/db';
import { createRedis } from '../src/redis.js';
import { listen } from './support/http.js';
import { serviceEnv, uniqueName } from '../../../testing/services.js';

const logger = pino({ level: 'silent' });

describe('health endpoints against real PostgreSQL and Redis', () => {
  const sequelize = createSequelize(serviceEnv('DATABASE_URL'));
  const redis = createRedis(serviceEnv('REDIS_URL'));
  let server: Awaited<ReturnType<typeof listen>>;
  const workerId = uniqueName('test-worker');

  beforeAll(async () => {
    server = await listen(createApp({ sequelize, redis, logger }));
    const heartbeat = {
      id: workerId,
      hostname: 'test-host',
      pid: 4242,
      ffmpeg_version: '9.9.9-test',
      started_at: new Date(0).toISOString(),
    };
    await redis.set(RedisKeys.workerHeartbeat(workerId), JSON.stringify(heartbeat), 'EX', 30);
  });

  afterAll(async () => {
    await redis.del(RedisKeys.workerHeartbeat(workerId));
    await server.close();
    await Promise.all([sequelize.close(), redis.quit()]);
  });

  it('reports the versions of PostgreSQL, Redis and the workers’ ffmpeg', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    const report = HealthReport.parse(await response.json());
    expect(report.status).toBe('ok');
    expect(report.postgres.version).toMatch(/^\d+\.\d+/);
    expect(report.redis.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.workers.map((worker) => worker.id)).toContain(workerId);
    expect(report.ffmpeg.version).not.toBeNull();
  });

  it('is ready when PostgreSQL and Redis answer', async () => {
    const response = await fetch(`${server.baseUrl}/readyz`);
    expect(response.status).toBe(200);
  });

  it('answers an unknown route with a 404 problem+json', async () => {
    const response = await fetch(`${server.baseUrl}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = Problem.parse(await response.json());
    expect(problem.code).toBe('not_found');
  });
});

describe('health endpoints when PostgreSQL and Redis are down', () => {
  // Port 9 (discard) on loopback: nothing listens, so connections are refused at once.
  const sequelize = createSequelize('postgres://nobody:nothing@127.0.0.1:9/none');
  const redis = new Redis('redis://127.0.0.1:9', {
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    redis.on('error', () => undefined);
    server = await listen(createApp({ sequelize, redis, logger }));
  });

  afterAll(async () => {
    await server.close();
    await sequelize.close();
    redis.disconnect();
  });

  it('still answers healthz with 200, marked degraded, naming what failed', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    const report = HealthReport.parse(await response.json());
    expect(report.status).toBe('degraded');
    expect(report.postgres.version).toBeNull();
    expect(report.postgres.error).toBeTruthy();
    expect(report.redis.version).toBeNull();
  });

  it('answers readyz with 503 problem+json and Retry-After', async () => {
    const response = await fetch(`${server.baseUrl}/readyz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const problem = Problem.parse(await response.json());
    expect(problem.code).toBe('service_unavailable');
    expect(problem.detail).toContain('PostgreSQL');
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
