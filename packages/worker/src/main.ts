import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config.js';
import { readFfmpegVersion } from './ffmpeg/ffmpeg-version.js';
import { startHeartbeat } from './heartbeat/heartbeat.js';
import { createLogger } from './logger.js';

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
  const id = config.workerId ?? `${hostname()}-${process.pid}`;
  const heartbeat = await startHeartbeat(redis, {
    id,
    hostname: hostname(),
    pid: process.pid,
    ffmpeg_version: ffmpegVersion,
    started_at: new Date().toISOString(),
  });
  logger.info({ id, ffmpeg: ffmpegVersion }, 'vexport worker ready');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await heartbeat.stop().catch(() => undefined);
    await redis.quit().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

await main();
