import { createSequelize, initModels } from '@vexport/db';
import { HealthReport, Problem } from '@vexport/sdk';
import { LocalDiskStorage } from '@vexport/storage';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ProgressEventHub } from '../src/exports/progress-event-hub.js';
import { JobQueues } from '../src/queue/job-queues.js';
import { listen } from './support/http.js';
import { TEST_JWT_SECRET, defaultTestConfig } from './support/test-api.js';

describe('health endpoints when PostgreSQL and Redis are down', () => {
  // Port 9 (discard) on loopback: nothing listens, so connections are refused at once.
  const sequelize = createSequelize('postgres://nobody:nothing@127.0.0.1:9/none');
  const redis = new Redis('redis://127.0.0.1:9', {
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  const queues = new JobQueues('redis://127.0.0.1:9');
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    redis.on('error', () => undefined);
    const app = createApp({
      config: defaultTestConfig,
      sequelize,
      models: initModels(sequelize),
      redis,
      storage: new LocalDiskStorage({ root: '/nonexistent', signingSecret: TEST_JWT_SECRET }),
      queues,
      events: new ProgressEventHub(redis),
      logger: pino({ level: 'silent' }),
    });
    server = await listen(app);
  });

  afterAll(async () => {
    await server.close();
    await sequelize.close();
    redis.disconnect();
    await queues.close();
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
