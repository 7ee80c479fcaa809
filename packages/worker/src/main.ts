import { hostname } from 'node:os';
import { createSequelize, initModels } from '@vexport/db';
import { exportJob } from '@vexport/queue';
import { QueueNames, type ExportVideoJobData, type ProbeVideoJobData } from '@vexport/sdk';
import { createStorage } from '@vexport/storage';
import { Redis } from 'ioredis';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config.js';
import { readFfmpegVersion } from './ffmpeg/ffmpeg-version.js';
import { startHeartbeat } from './heartbeat/heartbeat.js';
import { chooseH264Encoder } from './ffmpeg/detect-encoders.js';
import { CancelWatcher } from './jobs/cancel-watcher.js';
import { DeferredScheduler } from './jobs/deferred-scheduler.js';
import { ExportSlots } from './jobs/export-slots.js';
import { runExportVideoJob, type ExportJobContext } from './jobs/export-video-job.js';
import { runProbeVideoJob, type ProbeJobContext } from './jobs/probe-video-job.js';
import { createLogger } from './logger.js';
import { connectWorkerQueue } from './queue/worker-queue.js';
import { JobWorkspace } from './workspace/job-workspace.js';

const SHUTDOWN_GRACE_MS = 30_000;

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
    onSlotReleased: () => void scheduler.sweep().catch(() => undefined),
  };
  const isLastAttempt = (job: { options: { retries?: number } }) => (job.options.retries ?? 0) === 0;
  probeQueue.process(config.probeConcurrency, (job) =>
    runProbeVideoJob(job.data.video_id, { isLastAttempt: isLastAttempt(job) }, probeContext),
  );
  exportQueue.process(config.exportConcurrency, (job) =>
    runExportVideoJob(job.data.export_id, { isLastAttempt: isLastAttempt(job) }, exportContext),
  );
  for (const queue of [probeQueue, exportQueue]) queue.checkStalledJobs(5_000);
  scheduler.start(2_000);

  const heartbeat = await startHeartbeat(redis, {
    id,
    hostname: hostname(),
    pid: process.pid,
    ffmpeg_version: ffmpegVersion,
    started_at: new Date().toISOString(),
  });
  logger.info({ id, ffmpeg: ffmpegVersion, storage: config.storage.driver }, 'vexport worker ready');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running jobs');
    scheduler.stop();
    await Promise.all([probeQueue.close(SHUTDOWN_GRACE_MS), exportQueue.close(SHUTDOWN_GRACE_MS)]).catch(
      () => undefined,
    );
    await cancels.close();
    await heartbeat.stop().catch(() => undefined);
    await Promise.allSettled([sequelize.close(), redis.quit(), workspace.removeOwn()]);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

await main();
