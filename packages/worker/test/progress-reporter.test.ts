import { createSequelize, initModels, migrateToLatest, type Export, type Models } from '@vexport/db';
import { RedisKeys, type ExportProgress } from '@vexport/sdk';
import { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, serviceEnv } from '../../../testing/services.js';
import { ProgressReporter } from '../src/jobs/progress-reporter.js';

describe('ProgressReporter with real PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;
  let models: Models;
  let redis: Redis;
  let userId: string;
  let videoId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
    await migrateToLatest(sequelize);
    models = initModels(sequelize);
    redis = new Redis(serviceEnv('REDIS_URL'));
    userId = (await models.User.create({ external_id: 'reporter' })).id;
    videoId = (
      await models.Video.create({
        user_id: userId,
        title: 'Source',
        source: `uploads/${userId}/source.mp4`,
        status: 'completed',
        duration_seconds: 10,
      })
    ).id;
  });

  afterAll(async () => {
    await redis.quit();
    await sequelize.close();
    await database.drop();
  });

  /** An export as a worker holds it once it took the job. */
  const startedExport = () =>
    models.Export.create({
      user_id: userId,
      video_id: videoId,
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 4 }],
      total_duration_seconds: 4,
      status: 'processing',
      started_at: new Date(),
    });

  /** A reporter whose clock stands still: every update within a stage falls inside the throttle interval. */
  const reporterFor = (record: Export) =>
    new ProgressReporter({
      redis,
      models,
      exportId: record.id,
      userId,
      startedAt: Date.now(),
      now: () => 1_000,
    });

  const live = async (record: Export) =>
    JSON.parse((await redis.get(RedisKeys.exportProgress(record.id)))!) as ExportProgress;

  it('never lets the database copy get ahead of the live progress, even within the throttle interval', async () => {
    const record = await startedExport();
    const reporter = reporterFor(record);
    await reporter.update('downloading', 0);
    // a download finishing within the throttle interval still reaches 10%, which the database then stores
    await reporter.update('downloading', 1);
    await record.reload();
    expect(record.progress_percentage).toBe(10);
    expect(await live(record)).toMatchObject({ current_stage: 'downloading', progress: 10 });
  });

  it('holds the bar where a crashed run got until the retry on another worker passes it', async () => {
    const record = await startedExport();
    const crashed = reporterFor(record);
    await crashed.update('downloading', 0);
    await crashed.update('processing', 0.5625);
    expect(await live(record)).toMatchObject({ current_stage: 'processing', progress: 55 });

    const retry = reporterFor(record);
    await retry.update('downloading', 0);
    await retry.update('downloading', 1);
    await retry.update('processing', 0.5);
    expect(await live(record)).toMatchObject({ current_stage: 'processing', progress: 55 });
    await record.reload();
    expect(record.progress_percentage).toBe(50);

    await retry.update('uploading', 0);
    expect(await live(record)).toMatchObject({ current_stage: 'uploading', progress: 90 });
  });

  it('keeps its own stage when an update of an earlier stage arrives late', async () => {
    const record = await startedExport();
    const reporter = reporterFor(record);
    await reporter.update('processing', 0.25);
    await reporter.update('downloading', 0);
    expect(await live(record)).toMatchObject({ current_stage: 'processing', progress: 30 });
    expect(reporter.snapshot('processing')).toMatchObject({ current_stage: 'processing', progress: 30 });
  });
});
