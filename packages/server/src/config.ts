import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const EnvironmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VEXPORT_DEMO_DIR: z.string().min(1).optional(),
  TRUST_PROXY: booleanFlag.default(false),
});

/** The API's configuration, read once from the environment and validated. */
export interface ServerConfig {
  port: number;
  host: string | undefined;
  databaseUrl: string;
  redisUrl: string;
  jwtSecret: string | undefined;
  logLevel: z.infer<typeof EnvironmentSchema>['LOG_LEVEL'];
  /** A folder of static files (the demo page) served at `/`, when set. */
  demoDir: string | undefined;
  trustProxy: boolean;
}

/** Thrown when the environment does not describe a valid configuration; its message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the API's configuration from environment variables. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    jwtSecret: values.JWT_SECRET,
    logLevel: values.LOG_LEVEL,
    demoDir: values.VEXPORT_DEMO_DIR,
    trustProxy: values.TRUST_PROXY,
  };
}
