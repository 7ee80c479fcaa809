import { z } from 'zod';

const EnvironmentSchema = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  WORKER_ID: z.string().min(1).max(100).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** A worker's configuration, read once from the environment and validated. */
export interface WorkerConfig {
  redisUrl: string;
  ffmpegPath: string;
  ffprobePath: string;
  /** Names this process in heartbeats and logs; defaults to hostname and pid. */
  workerId: string | undefined;
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
  return {
    redisUrl: values.REDIS_URL,
    ffmpegPath: values.FFMPEG_PATH,
    ffprobePath: values.FFPROBE_PATH,
    workerId: values.WORKER_ID,
    logLevel: values.LOG_LEVEL,
  };
}
