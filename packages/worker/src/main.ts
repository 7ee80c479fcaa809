import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSequelize, initModels } from '@vexport/db';
import { exportJob, listLiveWorkers } from '@vexport/queue';
import {
  QueueNames,
  type ExportChunkJobData,
  type ExportVideoJobData,
  type ProbeVideoJobData,
} from '@vexport/sdk';
import { createStorage } from '@vexport/storage';
import { Redis } from 'ioredis';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config.js';
import { readFfmpegVersion } from './ffmpeg/ffmpeg-version.js';
import { startHeartbeat } from './heartbeat/heartbeat.js';
import { chooseH264Encoder } from './ffmpeg/detect-encoders.js';
import { CancelWatcher } from './jobs/cancel-watcher.js';
import { ChunkState } from './jobs/chunk-state.js';
import { runExportChunkJob } from './jobs/export-chunk-job.js';
import { DeferredScheduler } from './jobs/deferred-scheduler.js';
import { ExportSlots } from './jobs/export-slots.js';
import { runExportVideoJob, type ExportJobContext } from './jobs/export-video-job.js';
import { QueueReconciler } from './jobs/queue-reconciler.js';
import { runProbeVideoJob, type ProbeJobContext } from './jobs/probe-video-job.js';
import { createLogger } from './logger.js';
import { connectWorkerQueue } from './queue/worker-queue.js';
import { JobWorkspace } from './workspace/job-workspace.js';

/** After the grace period, how long stopped jobs get to clean up before the process exits anyway. */
const HAND_OVER_MS = 10_000;

function readConfig(): WorkerConfig {
  try {
    return loadWorkerConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`vexport-worker: ${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  let ffmpegVersion: string;
  try {
    ffmpegVersion = await readFfmpegVersion(config.ffmpegPath);
    await readFfmpegVersion(config.ffprobePath);
  } catch (error) {
    logger.fatal(`${(error as Error).message}; install ffmpeg or set FFMPEG_PATH and FFPROBE_PATH`);
    process.exit(1);
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (error) => logger.warn(`redis: ${error.message}`));
  const sequelize = createSequelize(config.databaseUrl, { poolMax: 5 });
  const models = initModels(sequelize);
  const storage = createStorage(config.storage);
  const workspace = new JobWorkspace(config.tempDir);
  const leftovers = await workspace.removeLeftovers();
  if (leftovers > 0) logger.info({ leftovers }, 'removed temp folders of workers that died');

  const probeContext: ProbeJobContext = {
    models,
    storage,
    workspace,
    logger,
    ffmpegPath: config.ffmpegPath,
    ffprobePath: config.ffprobePath,
    allowPrivateSourceUrls: config.allowPrivateSourceUrls,
    maxSourceBytes: config.maxSourceBytes,
    limits: { maxDurationSeconds: config.maxSourceDurationSeconds, maxPixels: config.maxSourcePixels },
  };
  const { encoder, trials } = await chooseH264Encoder(config.ffmpegPath, config.videoEncoder);
  logger.info({ encoder, tried: trials }, `H.264 encoder: ${encoder}`);

  const id = config.workerId ?? `${hostname()}-${process.pid}`;
  const queueOptions = { redisUrl: config.redisUrl, prefix: config.queuePrefix, logger };
  const probeQueue = await connectWorkerQueue<ProbeVideoJobData>(QueueNames.probeVideo, queueOptions);
  const exportQueue = await connectWorkerQueue<ExportVideoJobData>(QueueNames.exportVideo, queueOptions);
  const chunkQueue = await connectWorkerQueue<ExportChunkJobData>(QueueNames.exportChunk, queueOptions);
  const slots = new ExportSlots(
    redis,
    { global: config.maxConcurrentExports, perUser: config.maxExportsPerUser, leaseMs: 30_000 },
    { token: id, namespace: config.queuePrefix },
  );
  const scheduler = new DeferredScheduler(
    slots,
    async (exportId) => {
      const job = await exportJob(exportQueue, exportId).save();
      return job.id !== null;
    },
    logger,
  );
  const cancels = new CancelWatcher(redis);
  const shutdownController = new AbortController();
  const exportContext: ExportJobContext = {
    models,
    redis,
    storage,
    workspace,
    slots,
    cancels,
    logger,
    ffmpegPath: config.ffmpegPath,
    ffprobePath: config.ffprobePath,
    encoder,
    allowPrivateSourceUrls: config.allowPrivateSourceUrls,
    maxSourceBytes: config.maxSourceBytes,
    jobTimeoutMs: config.exportTimeoutMs,
    memoryLimitBytes: config.ffmpegMemoryLimitBytes,
    uploadAttempts: config.uploadAttempts,
    uploadBackoffMs: 1_000,
    cdnBaseUrl: config.cdnBaseUrl,
    shutdown: shutdownController.signal,
    onSlotReleased: () => void scheduler.sweep().catch(() => undefined),
  };
  const chunking = {
    queue: chunkQueue,
    state: new ChunkState(redis, { namespace: config.queuePrefix }),
    liveWorkers: () => listLiveWorkers(redis),
    options: {
      minOutputSecondsToChunk: config.chunkMinOutputSeconds,
      minChunkSeconds: config.chunkSeconds.min,
      maxChunkSeconds: config.chunkSeconds.max,
    },
    chunkTimeoutMs: config.chunkTimeoutMs,
    worker: id,
  };
  // every worker runs the pieces other workers queue and resumes an export split before; only
  // CHUNKED_EXPORTS decides whether this one splits new ones
  exportContext.chunking = { ...chunking, splitsNew: config.chunkedExports };
  const isLastAttempt = (job: { options: { retries?: number } }) => (job.options.retries ?? 0) === 0;
  probeQueue.process(config.probeConcurrency, (job) =>
    runProbeVideoJob(job.data.video_id, { isLastAttempt: isLastAttempt(job) }, probeContext),
  );
  const runningExports = new Set<Promise<unknown>>();
  exportQueue.process(config.exportConcurrency, (job) => {
    const running = runExportVideoJob(
      job.data.export_id,
      { isLastAttempt: isLastAttempt(job) },
      exportContext,
    );
    runningExports.add(running);
    return running.finally(() => runningExports.delete(running));
  });
  chunkQueue.process(config.chunkConcurrency, (job) => {
    const running = runExportChunkJob(
      job.data,
      { isLastAttempt: isLastAttempt(job) },
      { ...exportContext, chunking },
    );
    runningExports.add(running);
    return running.finally(() => runningExports.delete(running));
  });
  for (const queue of [probeQueue, exportQueue, chunkQueue]) queue.checkStalledJobs(5_000);
  scheduler.start(2_000);
  const reconciler = new QueueReconciler({
    models,
    redis,
    exportQueue,
    probeQueue,
    slots,
    logger,
    namespace: config.queuePrefix,
    minAgeMs: Math.min(30_000, config.reconcileIntervalMs),
    chunks: chunking.state,
  });
  reconciler.start(config.reconcileIntervalMs);

  const heartbeat = await startHeartbeat(redis, {
    id,
    hostname: hostname(),
    pid: process.pid,
    ffmpeg_version: ffmpegVersion,
    h264_encoder: encoder,
    chunking: config.chunkedExports
      ? { min_output_seconds: config.chunkMinOutputSeconds, min_chunk_seconds: config.chunkSeconds.min }
      : null,
    started_at: new Date().toISOString(),
  });
  logger.info({ id, ffmpeg: ffmpegVersion, storage: config.storage.driver }, 'vexport worker ready');

  // SIGTERM: take no new jobs, let running ones finish within the grace period; then stop the exports still
  // running, put them back to pending and leave their jobs to other workers (bee-queue's stalled-job check).
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: finishing running jobs');
    scheduler.stop();
    reconciler.stop();
    const closed = await Promise.allSettled([
      probeQueue.close(Math.max(config.shutdownGraceMs, 1)),
      exportQueue.close(Math.max(config.shutdownGraceMs, 1)),
      chunkQueue.close(Math.max(config.shutdownGraceMs, 1)),
    ]);
    if (closed.some((result) => result.status === 'rejected') && runningExports.size > 0) {
      logger.info(
        { exports: runningExports.size },
        'grace period over: handing running exports to other workers',
      );
      shutdownController.abort();
      await Promise.race([Promise.allSettled([...runningExports]), sleep(HAND_OVER_MS)]);
    }
    await cancels.close();
    await heartbeat.stop().catch(() => undefined);
    await Promise.allSettled([sequelize.close(), redis.quit(), workspace.removeOwn()]);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // A rejected promise nobody awaited belongs to one job, which has failed or will be retried.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (the process goes on)');
  });
  // After an uncaught exception the state is unknown: hand the running exports back and exit, for the
  // supervisor (npm start, systemd, Kubernetes) to start a fresh worker.
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception: handing running exports back and stopping');
    shutdownController.abort();
    void Promise.race([Promise.allSettled([...runningExports]), sleep(HAND_OVER_MS)]).finally(() =>
      process.exit(1),
    );
  });
}

await main();
