import { hostname } from 'node:os';
import { createSequelize, initModels } from '@vexport/db';
import { QueueNames, type ProbeVideoJobData } from '@vexport/sdk';
import { createStorage } from '@vexport/storage';
import { Redis } from 'ioredis';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config.js';
import { readFfmpegVersion } from './ffmpeg/ffmpeg-version.js';
import { startHeartbeat } from './heartbeat/heartbeat.js';
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
  const queueOptions = { redisUrl: config.redisUrl, prefix: config.queuePrefix, logger };
  const probeQueue = await connectWorkerQueue<ProbeVideoJobData>(QueueNames.probeVideo, queueOptions);
  probeQueue.process(config.probeConcurrency, (job) =>
    runProbeVideoJob(job.data.video_id, { isLastAttempt: (job.options.retries ?? 0) === 0 }, probeContext),
  );
  probeQueue.checkStalledJobs(5_000);

  const id = config.workerId ?? `${hostname()}-${process.pid}`;
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
    await probeQueue.close(SHUTDOWN_GRACE_MS).catch(() => undefined);
    await heartbeat.stop().catch(() => undefined);
    await Promise.allSettled([sequelize.close(), redis.quit(), workspace.removeOwn()]);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

await main();
