import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageConfigError, readStorageConfig, type StorageConfig } from '@vexport/storage';
import { z } from 'zod';
import { H264_ENCODERS, type H264Encoder } from './media/encoding.js';
import { CHUNK_DEFAULTS } from './media/plan-chunks.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const EnvironmentSchema = z
  .object({
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[\w.-]{1,64}$/)
      .default('bq'),
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    FFPROBE_PATH: z.string().min(1).default('ffprobe'),
    WORKER_ID: z.string().min(1).max(100).optional(),
    WORKER_TEMP_DIR: z.string().min(1).default(join(tmpdir(), 'vexport-worker')),
    PROBE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    ALLOW_PRIVATE_SOURCE_URLS: booleanFlag.default(false),
    MAX_SOURCE_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(5 * 1024 ** 3),
    MAX_SOURCE_DURATION_SECONDS: z.coerce
      .number()
      .min(1)
      .default(4 * 3600),
    MAX_SOURCE_PIXELS: z.coerce
      .number()
      .int()
      .min(1)
      .default(8192 * 4320),
    EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    MAX_CONCURRENT_EXPORTS: z.coerce.number().int().min(1).default(5),
    MAX_EXPORTS_PER_USER: z.coerce.number().int().min(1).default(2),
    EXPORT_TIMEOUT_MINUTES: z.coerce.number().min(0.05).default(30),
    FFMPEG_MEMORY_LIMIT_MB: z.coerce.number().int().min(64).default(2048),
    VIDEO_ENCODER: z.enum(['auto', ...H264_ENCODERS]).default('auto'),
    QUEUE_RECONCILE_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(25),
    CHUNKED_EXPORTS: booleanFlag.default(true),
    CHUNK_MIN_OUTPUT_SECONDS: z.coerce.number().min(1).default(60),
    CHUNK_MIN_SECONDS: z.coerce.number().min(0.5).default(CHUNK_DEFAULTS.minChunkSeconds),
    CHUNK_MAX_SECONDS: z.coerce.number().min(1).default(CHUNK_DEFAULTS.maxChunkSeconds),
    CHUNK_CONCURRENCY: z.coerce.number().int().min(1).max(32).optional(),
    CHUNK_TIMEOUT_MINUTES: z.coerce.number().min(0.05).default(10),
    UPLOAD_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    CDN_BASE_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((values) => values.CHUNK_MAX_SECONDS >= 2 * values.CHUNK_MIN_SECONDS, {
    // a segment a little longer than the longest chunk must split into two chunks no shorter than the shortest
    path: ['CHUNK_MAX_SECONDS'],
    message: 'must be at least twice CHUNK_MIN_SECONDS',
  });

/** A worker's configuration, read once from the environment and validated. */
export interface WorkerConfig {
  redisUrl: string;
  databaseUrl: string;
  queuePrefix: string;
  storage: StorageConfig;
  ffmpegPath: string;
  ffprobePath: string;
  /** Names this process in heartbeats and logs; defaults to hostname and pid. */
  workerId: string | undefined;
  tempDir: string;
  probeConcurrency: number;
  allowPrivateSourceUrls: boolean;
  maxSourceBytes: number;
  maxSourceDurationSeconds: number;
  maxSourcePixels: number;
  /** Exports one worker process runs at once (the global and per-user limits still apply). */
  exportConcurrency: number;
  maxConcurrentExports: number;
  maxExportsPerUser: number;
  exportTimeoutMs: number;
  ffmpegMemoryLimitBytes: number;
  /** `auto`: the first hardware encoder that works, else libx264. */
  videoEncoder: H264Encoder | 'auto';
  uploadAttempts: number;
  /** Whether long re-encodes are split into pieces that every worker takes (see startChunkedExport). */
  chunkedExports: boolean;
  /** Seconds of output below which an export is encoded by one worker. */
  chunkMinOutputSeconds: number;
  /** The shortest and the longest chunk the planner cuts, in seconds of output. */
  chunkSeconds: { min: number; max: number };
  /** Pieces of chunked exports one worker process encodes at once (default: the export concurrency). */
  chunkConcurrency: number;
  /** Milliseconds one piece may run; a chunked export has no whole-export limit. */
  chunkTimeoutMs: number;
  /** How often a worker looks for waiting records whose queue job Redis lost. */
  reconcileIntervalMs: number;
  /** On SIGTERM, how long running jobs may take to finish before they are stopped and left to other workers. */
  shutdownGraceMs: number;
  cdnBaseUrl: string | undefined;
  logLevel: z.infer<typeof EnvironmentSchema>['LOG_LEVEL'];
}

/** Thrown when the environment does not describe a valid configuration; its message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the worker's configuration from environment variables. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  let storage: StorageConfig;
  try {
    storage = readStorageConfig(env);
  } catch (error) {
    if (error instanceof StorageConfigError)
      throw new ConfigError(`invalid configuration:\n  ${error.message}`);
    throw error;
  }
  return {
    redisUrl: values.REDIS_URL,
    databaseUrl: values.DATABASE_URL,
    queuePrefix: values.QUEUE_PREFIX,
    storage,
    ffmpegPath: values.FFMPEG_PATH,
    ffprobePath: values.FFPROBE_PATH,
    workerId: values.WORKER_ID,
    tempDir: values.WORKER_TEMP_DIR,
    probeConcurrency: values.PROBE_CONCURRENCY,
    allowPrivateSourceUrls: values.ALLOW_PRIVATE_SOURCE_URLS,
    maxSourceBytes: values.MAX_SOURCE_BYTES,
    maxSourceDurationSeconds: values.MAX_SOURCE_DURATION_SECONDS,
    maxSourcePixels: values.MAX_SOURCE_PIXELS,
    exportConcurrency: values.EXPORT_CONCURRENCY,
    maxConcurrentExports: values.MAX_CONCURRENT_EXPORTS,
    maxExportsPerUser: values.MAX_EXPORTS_PER_USER,
    exportTimeoutMs: Math.round(values.EXPORT_TIMEOUT_MINUTES * 60_000),
    ffmpegMemoryLimitBytes: values.FFMPEG_MEMORY_LIMIT_MB * 1024 * 1024,
    videoEncoder: values.VIDEO_ENCODER,
    uploadAttempts: values.UPLOAD_ATTEMPTS,
    chunkedExports: values.CHUNKED_EXPORTS,
    chunkMinOutputSeconds: values.CHUNK_MIN_OUTPUT_SECONDS,
    chunkSeconds: { min: values.CHUNK_MIN_SECONDS, max: values.CHUNK_MAX_SECONDS },
    chunkConcurrency: values.CHUNK_CONCURRENCY ?? values.EXPORT_CONCURRENCY,
    chunkTimeoutMs: Math.round(values.CHUNK_TIMEOUT_MINUTES * 60_000),
    reconcileIntervalMs: Math.round(values.QUEUE_RECONCILE_SECONDS * 1000),
    shutdownGraceMs: Math.round(values.SHUTDOWN_GRACE_SECONDS * 1000),
    cdnBaseUrl: values.CDN_BASE_URL,
    logLevel: values.LOG_LEVEL,
  };
}
