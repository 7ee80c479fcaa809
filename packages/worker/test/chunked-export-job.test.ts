import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createSequelize, initModels, migrateToLatest, type Export, type Models } from '@vexport/db';
import {
  QueueNames,
  RedisKeys,
  type ExportChunkJobData,
  type ExportProgress,
  type ExportVideoJobData,
  type ProbeVideoJobData,
} from '@vexport/sdk';
import { S3Storage, type ObjectStorage } from '@vexport/storage';
import type Queue from 'bee-queue';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFrames } from '../../../testing/media.js';
import { createTestDatabase, serviceEnv, uniqueName } from '../../../testing/services.js';
import { probeFile } from '../src/ffmpeg/ffprobe.js';
import { CancelWatcher } from '../src/jobs/cancel-watcher.js';
import { ChunkState } from '../src/jobs/chunk-state.js';
import { runExportChunkJob } from '../src/jobs/export-chunk-job.js';
import { ExportSlots } from '../src/jobs/export-slots.js';
import { runExportVideoJob, type ExportJobContext } from '../src/jobs/export-video-job.js';
import { QueueReconciler } from '../src/jobs/queue-reconciler.js';
import type { ChunkingContext } from '../src/jobs/start-chunked-export.js';
import { connectWorkerQueue } from '../src/queue/worker-queue.js';
import { JobWorkspace } from '../src/workspace/job-workspace.js';

const run = promisify(execFile);

const SOURCE_SECONDS = 24;
/** 23 s of output for two workers: two chunks of about 11.5 s and the audio. */
const REQUEST = {
  export_type: 'single' as const,
  resolution: '720p' as const,
  format: 'mp4' as const,
  quality_preset: 'low' as const,
  segment_selections: [{ start_time: 0.5, end_time: 23.5 }],
};

/** 640×360 30 fps H.264 with a keyframe every 2 s, and a tone: small to decode, re-encoded to 720p. */
async function makeSource(path: string): Promise<void> {
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30:duration=${SOURCE_SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SOURCE_SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-c:a', 'aac', path],
  ]);
}

/** One worker process as the test stands it up: its own queue, temp folder, cancel watcher and slot token. */
interface TestWorker {
  name: string;
  queue: Queue<ExportChunkJobData>;
  context: ExportJobContext & { chunking: ChunkingContext };
  cancels: CancelWatcher;
  /** Storage keys this worker stored, in order. */
  puts: string[];
  /** The jobs (`{export}:{piece}`) this worker started, in order. */
  runs: string[];
}

/** Milliseconds without a worker's word before its piece counts as stalled and goes to another worker. */
const STALL_MS = 5_000;

describe('chunked exports: pieces on the queue, taken by two workers, on PostgreSQL, Redis and S3', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-chunked-export-'));
  const namespace = uniqueName('chunked');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;
  let models: Models;
  let redis: Redis;
  let s3: S3Storage;
  let userId: string;
  let videoId: string;
  let workers: TestWorker[];
  /** Keys whose next put fails once (then succeeds), as a flaky network would make it. */
  const failOnce = new Set<RegExp>();
  /** Jobs whose worker dies while it encodes them, the first time one runs them. */
  const dieDuring = new Set<string>();
  let dead: TestWorker | undefined;
  /** Every line the workers logged, as pino wrote it. */
  const logLines: Record<string, unknown>[] = [];

  /** S3 that records what a worker stores, and fails the puts the test asks for. */
  function recordingStorage(puts: string[]): ObjectStorage {
    return {
      driver: 's3',
      get: (...args) => s3.get(...args),
      head: (key) => s3.head(key),
      delete: (key) => s3.delete(key),
      deletePrefix: (prefix) => s3.deletePrefix(prefix),
      createDownloadUrl: (...args) => s3.createDownloadUrl(...args),
      put: async (key, body, options) => {
        puts.push(key);
        const failing = [...failOnce].find((pattern) => pattern.test(key));
        if (failing) {
          failOnce.delete(failing);
          throw new Error('injected S3 failure: 503 Slow Down');
        }
        return s3.put(key, body, options);
      },
    };
  }

  async function startWorker(name: string): Promise<TestWorker> {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    const queue = await connectWorkerQueue<ExportChunkJobData>(QueueNames.exportChunk, {
      redisUrl: serviceEnv('REDIS_URL'),
      prefix: namespace,
      logger,
      stallIntervalMs: STALL_MS,
    });
    const cancels = new CancelWatcher(redis);
    const puts: string[] = [];
    const context: TestWorker['context'] = {
      models,
      redis,
      storage: recordingStorage(puts),
      workspace: new JobWorkspace(join(scratch, name)),
      slots: new ExportSlots(redis, { global: 5, perUser: 5, leaseMs: 30_000 }, { token: name, namespace }),
      cancels,
      logger,
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      encoder: 'libx264',
      allowPrivateSourceUrls: false,
      maxSourceBytes: 100 * 1024 * 1024,
      jobTimeoutMs: 120_000,
      memoryLimitBytes: 2 * 1024 ** 3,
      // a failed upload fails the piece's try at once, for bee-queue to retry the piece
      uploadAttempts: 1,
      uploadBackoffMs: 10,
      cdnBaseUrl: undefined,
      chunking: {
        queue,
        state: new ChunkState(redis, { namespace }),
        liveWorkers: () => Promise.resolve([{ h264_encoder: 'libx264' }, { h264_encoder: 'libx264' }]),
        options: { minOutputSecondsToChunk: 10 },
        chunkTimeoutMs: 60_000,
        worker: name,
      },
    };
    // one piece at a time each, as two single-core machines would: the second piece goes to the other worker
    const worker: TestWorker = { name, queue, context, cancels, puts, runs: [] };
    queue.process(1, (job) => {
      worker.runs.push(job.id);
      if (dieDuring.delete(job.id)) return dieWhileEncoding(worker, job.data);
      return runExportChunkJob(job.data, { isLastAttempt: (job.options.retries ?? 0) === 0 }, context);
    });
    queue.checkStalledJobs(STALL_MS);
    return worker;
  }

  /**
   * What a worker that dies mid-piece leaves: its ffmpeg stopped once the export shows progress, nothing
   * cleaned up or reported, its queue gone (no more word to Redis), and the job never finished.
   */
  function dieWhileEncoding(worker: TestWorker, data: ExportChunkJobData): Promise<never> {
    const death = new AbortController();
    const subscriber = redis.duplicate();
    subscriber.on('message', () => death.abort());
    void subscriber
      .subscribe(RedisKeys.exportProgressChannel(data.export_id))
      .then(() =>
        runExportChunkJob(data, { isLastAttempt: false }, { ...worker.context, shutdown: death.signal }),
      )
      .finally(() => {
        dead = worker;
        void subscriber.quit();
        void worker.queue.close(100).catch(() => undefined);
      });
    return new Promise<never>(() => undefined);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
    await migrateToLatest(sequelize);
    models = initModels(sequelize);
    redis = new Redis(serviceEnv('REDIS_URL'));
    s3 = new S3Storage({
      bucket: serviceEnv('S3_BUCKET'),
      endpoint: serviceEnv('S3_ENDPOINT'),
      forcePathStyle: true,
    });
    userId = (await models.User.create({ external_id: 'chunked-exporter' })).id;
    const source = join(scratch, 'source.mp4');
    await makeSource(source);
    const key = `uploads/${userId}/chunked/source.mp4`;
    await s3.put(key, { filePath: source });
    videoId = (
      await models.Video.create({
        user_id: userId,
        title: 'Long take',
        source: key,
        status: 'completed',
        duration_seconds: SOURCE_SECONDS,
      })
    ).id;
    workers = [await startWorker('worker-a'), await startWorker('worker-b')];
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers ?? []) {
      await worker.queue.close(1_000).catch(() => undefined);
      await worker.cancels.close();
    }
    s3?.close();
    await redis?.quit();
    await sequelize?.close();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const createExport = () =>
    models.Export.create({
      user_id: userId,
      video_id: videoId,
      ...REQUEST,
      total_duration_seconds: 23,
    });

  /** The export record once it left `processing`. */
  async function settled(record: Export): Promise<Export> {
    for (let waited = 0; waited < 90_000; waited += 200) {
      await record.reload();
      if (record.status !== 'processing' && record.status !== 'pending') return record;
      await sleep(200);
    }
    throw new Error(`export ${record.id} still ${record.status} after 90 s`);
  }

  /** Waits until neither worker has a piece waiting, running or due for a retry. */
  async function queueDrained(): Promise<{ waiting: number; active: number; delayed: number }> {
    const alive = workers.find((worker) => worker !== dead)!;
    let health = await alive.queue.checkHealth();
    for (let waited = 0; waited < 30_000; waited += 200) {
      if (health.waiting + health.active + health.delayed === 0) break;
      await sleep(200);
      health = await alive.queue.checkHealth();
    }
    return { waiting: health.waiting, active: health.active, delayed: health.delayed };
  }

  async function download(record: Export): Promise<string> {
    const path = join(scratch, `${record.id}.mp4`);
    await pipeline(await s3.get(record.output_s3_key!), createWriteStream(path));
    return path;
  }

  /** What a finished chunked export must leave: no parts, no chunk state, no slot, no job. */
  async function expectNothingLeft(record: Export, { delivered }: { delivered: boolean }) {
    // every piece's job has ended (and cleaned up) before what they leave is looked at
    expect(await queueDrained()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    const prefix = `exports/${userId}/${record.id}/${delivered ? 'parts/' : ''}`;
    expect(await s3.deletePrefix(prefix)).toBe(0);
    expect(await redis.exists(workers[0]!.context.chunking.state.key(record.id))).toBe(0);
    expect(await workers[0]!.context.slots.running(userId)).toEqual({ global: 0, user: 0 });
  }

  /**
   * What `POST /api/exports/{id}/cancel` does (ExportService's cancel): the record first, while it is still
   * pending or processing, then the key a piece checks when it starts and the message running pieces hear.
   */
  async function cancelAsTheApiDoes(exportId: string): Promise<void> {
    const [updated] = await models.Export.update(
      { status: 'cancelled', completed_at: new Date() },
      { where: { id: exportId, status: ['pending', 'processing'] } },
    );
    if (updated === 0) return;
    await redis
      .multi()
      .set(RedisKeys.exportCancel(exportId), '1', 'EX', 60)
      .publish(RedisKeys.exportCancelChannel, exportId)
      .exec();
  }

  /** A chunk queue on which nothing can be queued: the split's worker died before it queued the pieces. */
  const queueOfADyingWorker = {
    createJob: () => {
      throw new Error('the worker died before it queued the pieces');
    },
  } as unknown as Queue<ExportChunkJobData>;

  /** Worker A's context, but its try at splitting dies between handing the slot over and queueing. */
  const dyingSplitContext = (): TestWorker['context'] => ({
    ...workers[0]!.context,
    chunking: { ...workers[0]!.context.chunking, queue: queueOfADyingWorker },
  });

  const partsOf = (worker: TestWorker, record: Export) =>
    worker.puts.filter((key) => key.startsWith(`exports/${userId}/${record.id}/parts/`));

  it('splits the export into pieces that both workers encode, and delivers what one worker would', async () => {
    const single = await createExport();
    const soloContext = { ...workers[0]!.context, chunking: undefined };
    expect(await runExportVideoJob(single.id, { isLastAttempt: true }, soloContext)).toBe('completed');
    await single.reload();

    const record = await createExport();
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[0]!.context)).toBe('chunked');
    await settled(record);
    expect(record).toMatchObject({ status: 'completed', progress_percentage: 100, error_message: null });
    expect(record.output_s3_key).toMatch(new RegExp(`^exports/${userId}/${record.id}/[^/]+\\.mp4$`));

    const [chunked, alone] = [await download(record), await download(single)];
    expect(await countFrames(chunked)).toBe(await countFrames(alone));
    const [chunkedProbe, aloneProbe] = [
      await probeFile('ffprobe', chunked),
      await probeFile('ffprobe', alone),
    ];
    expect(chunkedProbe.durationSeconds).toBeCloseTo(aloneProbe.durationSeconds, 2);
    expect({ width: chunkedProbe.video.width, height: chunkedProbe.video.height }).toEqual({
      width: 1280,
      height: 720,
    });
    for (const worker of workers) expect(partsOf(worker, record).length).toBeGreaterThan(0);
    // one line per piece, as the bench reads them
    const done = logLines.filter((line) => line.msg === 'piece done' && line.exportId === record.id);
    expect(done.map((line) => line.piece).sort()).toEqual(['audio', 'chunk-0', 'chunk-1', 'join']);
    for (const line of done) {
      expect(line).toMatchObject({ level: 30, worker: expect.stringMatching(/^worker-[ab]$/) });
      expect(typeof line.ms).toBe('number');
      expect(line.mediaSeconds).toBeGreaterThan(0);
    }
    expect(JSON.parse((await redis.get(RedisKeys.exportProgress(record.id)))!)).toMatchObject({
      status: 'completed',
      progress: 100,
    });
    await expectNothingLeft(record, { delivered: true });
  }, 120_000);

  it('stops every running piece when the export is cancelled, and leaves nothing behind', async () => {
    const record = await createExport();
    const subscriber = redis.duplicate();
    await subscriber.subscribe(RedisKeys.exportProgressChannel(record.id));
    let cancelled = false;
    subscriber.on('message', (_channel, message) => {
      const progress = JSON.parse(message) as ExportProgress;
      if (!cancelled && progress.current_stage === 'processing') {
        cancelled = true;
        void cancelAsTheApiDoes(record.id);
      }
    });
    try {
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[0]!.context)).toBe(
        'chunked',
      );
      await settled(record);
    } finally {
      await subscriber.quit();
    }
    expect(cancelled).toBe(true);
    expect(record.status).toBe('cancelled');
    expect(record.output_s3_key).toBeNull();
    await expectNothingLeft(record, { delivered: false });
    // both chunks were stopped mid-encode: neither stored its part (the audio waited behind them)
    for (const worker of workers) expect(partsOf(worker, record)).toEqual([]);
  }, 90_000);

  it('retries a piece that failed, only that piece runs again, and the export outlives the whole-export limit', async () => {
    // every worker's limit for a whole export, shorter than this export takes: the failed piece is encoded
    // twice, 2 s apart, after the split
    const exportLimitMs = 4_000;
    const limits = workers.map((worker) => worker.context.jobTimeoutMs);
    for (const worker of workers) worker.context.jobTimeoutMs = exportLimitMs;
    const record = await createExport();
    failOnce.add(new RegExp(`/${record.id}/parts/[^/]+/chunk-1\\.ts$`));
    try {
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[0]!.context)).toBe(
        'chunked',
      );
      await settled(record);
    } finally {
      workers.forEach((worker, at) => (worker.context.jobTimeoutMs = limits[at]!));
    }
    expect(record.status).toBe('completed');
    // each piece has its own limit instead: the export ran past the whole export's, and was not stopped
    expect(record.completed_at!.getTime() - record.started_at!.getTime()).toBeGreaterThan(exportLimitMs);
    const runs: Record<string, number> = {};
    for (const worker of workers)
      for (const key of partsOf(worker, record)) {
        const piece = key.split('/').pop()!;
        runs[piece] = (runs[piece] ?? 0) + 1;
      }
    expect(runs).toEqual({ 'chunk-0.ts': 1, 'chunk-1.ts': 2, 'audio.m4a': 1 });
    await expectNothingLeft(record, { delivered: true });
  }, 120_000);

  it('lets a re-run of the split resume the pieces when its first try died before queueing them', async () => {
    const record = await createExport();
    await expect(runExportVideoJob(record.id, { isLastAttempt: false }, dyingSplitContext())).rejects.toThrow(
      /died before it queued/,
    );
    // the slot went to the export's pieces, none of which is queued
    expect(await workers[0]!.context.slots.holder(record.id)).toBe(`chunked:${record.id}`);

    // bee-queue retries the export job; any worker may take it
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[1]!.context)).toBe('chunked');
    await settled(record);
    expect(record.status).toBe('completed');
    await expectNothingLeft(record, { delivered: true });
  }, 120_000);

  it('puts a split export whose chunk state Redis lost back on the queue, once, and it completes', async () => {
    const logger = pino({ level: 'silent' });
    const queueOptions = { redisUrl: serviceEnv('REDIS_URL'), prefix: namespace, logger };
    const exportQueue = await connectWorkerQueue<ExportVideoJobData>(QueueNames.exportVideo, queueOptions);
    const probeQueue = await connectWorkerQueue<ProbeVideoJobData>(QueueNames.probeVideo, queueOptions);
    const reconcilerOf = (worker: TestWorker) =>
      new QueueReconciler({
        models,
        redis,
        exportQueue,
        probeQueue,
        slots: worker.context.slots,
        logger,
        namespace,
        chunks: worker.context.chunking.state,
        stuckAfterMs: 0,
      });
    try {
      const record = await createExport();
      await expect(
        runExportVideoJob(record.id, { isLastAttempt: false }, dyingSplitContext()),
      ).rejects.toThrow(/died before it queued/);
      await redis.del(workers[0]!.context.chunking.state.key(record.id));
      await sleep(5);

      expect(await reconcilerOf(workers[0]!).sweep(60_000)).toEqual([{ id: record.id, kind: 'export' }]);
      await record.reload();
      expect(record.status).toBe('pending');
      expect(await exportQueue.getJob(record.id)).not.toBeNull();
      // another worker's reconciler, after the first one's lock is gone, finds nothing left to recover
      await redis.del(`{${namespace}}:reconcile-lock`);
      expect(await reconcilerOf(workers[1]!).sweep(60_000)).toEqual([]);

      // the queued job, from scratch (its slot is still leased to the lost pieces)
      await (await exportQueue.getJob(record.id))!.remove();
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[1]!.context)).toBe(
        'chunked',
      );
      await settled(record);
      expect(record.status).toBe('completed');
      await expectNothingLeft(record, { delivered: true });
    } finally {
      await Promise.allSettled([exportQueue.close(1_000), probeQueue.close(1_000)]);
    }
  }, 120_000);

  it('leaves a recovered export alone when the pieces of its lost split finish, and it completes anew', async () => {
    const record = await createExport();
    const subscriber = redis.duplicate();
    await subscriber.subscribe(RedisKeys.exportProgressChannel(record.id));
    const statuses: string[] = [];
    let lost = false;
    subscriber.on('message', (_channel, message) => {
      const progress = JSON.parse(message) as ExportProgress;
      statuses.push(progress.status);
      if (!lost && progress.current_stage === 'processing') {
        lost = true;
        // Redis lost the split's state while both chunks encode, and the reconciler put the export back
        void redis
          .del(workers[0]!.context.chunking.state.key(record.id))
          .then(() =>
            models.Export.update({ status: 'pending', started_at: null }, { where: { id: record.id } }),
          );
      }
    });
    try {
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[0]!.context)).toBe(
        'chunked',
      );
      expect(await queueDrained()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    } finally {
      await subscriber.quit();
    }
    expect(lost).toBe(true);
    // neither cancelled nor failed by the pieces that lost their split, and none of their files kept
    expect(statuses).not.toContain('cancelled');
    expect(statuses).not.toContain('failed');
    await record.reload();
    expect(record.status).toBe('pending');
    expect(await s3.deletePrefix(`exports/${userId}/${record.id}/`)).toBe(0);

    // the job the reconciler queued runs it from scratch
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[1]!.context)).toBe('chunked');
    await settled(record);
    expect(record.status).toBe('completed');
    await expectNothingLeft(record, { delivered: true });
  }, 120_000);

  // last: one of the two workers is gone afterwards
  it('re-runs, on the other worker, only the piece whose worker died while encoding it', async () => {
    const record = await createExport();
    dieDuring.add(`${record.id}:chunk-1`);
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, workers[0]!.context)).toBe('chunked');
    await settled(record);
    expect(record.status).toBe('completed');
    expect(dead).toBeDefined();
    const runs: Record<string, string[]> = {};
    for (const worker of workers)
      for (const job of worker.runs.filter((id) => id.startsWith(`${record.id}:`)))
        (runs[job.slice(record.id.length + 1)] ??= []).push(worker.name);
    // once on the worker that died, once on the one left
    expect(runs['chunk-1']!.sort()).toEqual(['worker-a', 'worker-b']);
    for (const piece of ['chunk-0', 'audio', 'join']) expect(runs[piece]).toHaveLength(1);
    await expectNothingLeft(record, { delivered: true });
  }, 120_000);
});
