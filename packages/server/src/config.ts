import { StorageConfigError, readStorageConfig, type StorageConfig } from '@vexport/storage';
import { z } from 'zod';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, isUsableSubject } from './auth/token-rules.js';
import { isHostEntry } from './http/link-origin.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
] as const;
type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const EnvironmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .default('bq'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().includes('-----BEGIN', { message: 'must be a PEM public key' }).optional(),
  JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_ALGORITHMS: commaList.pipe(z.array(z.enum(JWT_ALGORITHMS)).min(1)).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).default(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
  CORS_ORIGINS: commaList.default([]),
  EXPORT_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(10),
  VIDEO_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(30),
  UPLOAD_BYTES_PER_DAY: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(20 * 1024 ** 3),
  SSE_STREAMS_PER_USER: z.coerce.number().int().min(1).default(20),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(5 * 1024 ** 3),
  DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(604_800).default(3600),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALLOWED_HOSTS: commaList
    .pipe(z.array(z.string().refine(isHostEntry, 'must be host names with an optional :port')))
    .default([]),
  CDN_BASE_URL: z.url().optional(),
  ALLOW_PRIVATE_SOURCE_URLS: booleanFlag.default(false),
  SOURCE_KEY_PREFIXES: commaList.default([]),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VEXPORT_DEMO_DIR: z.string().min(1).optional(),
  VEXPORT_DEMO_USER: z
    .string()
    .refine(isUsableSubject, 'must be 1-255 printable characters (a token subject)')
    .optional(),
  TRUST_PROXY: booleanFlag.default(false),
});

/** How incoming JWTs are verified. Exactly one key source is set. */
export interface AuthConfig {
  secret?: string | undefined;
  publicKey?: string | undefined;
  jwksUrl?: string | undefined;
  /** Accepted `alg` values: never `none`, and never mixing HMAC with public-key algorithms. */
  algorithms: JwtAlgorithm[];
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Longest accepted distance from now to a token's `exp`; DEFAULT_MAX_TOKEN_LIFETIME_SECONDS when unset. */
  maxLifetimeSeconds?: number | undefined;
}

/** The API's configuration, read once from the environment and validated. */
export interface ServerConfig {
  port: number;
  host: string | undefined;
  databaseUrl: string;
  redisUrl: string;
  /** Namespace of the job queues' Redis keys; the workers must use the same. */
  queuePrefix: string;
  auth: AuthConfig;
  storage: StorageConfig;
  /** Origins allowed to call the API from a browser; `*` allows any. */
  corsOrigins: string[];
  /** Export creations each user may start per hour (refused requests do not count). */
  exportRateLimitPerHour: number;
  /** Video registrations (uploads and URL/key registrations, each starting a probe) per user per hour. */
  videoRateLimitPerHour: number;
  /** Bytes each user may upload per UTC day, across all API processes. */
  uploadBytesPerDay: number;
  /** Progress streams (SSE) each user may hold open at once, across all API processes. */
  sseStreamsPerUser: number;
  uploadMaxBytes: number;
  downloadUrlTtlSeconds: number;
  /** Origin on which download and source links are built, whatever the request's Host. */
  publicBaseUrl: string | undefined;
  /** Hosts (`host` or `host:port`) whose requests get links on their own origin, when no publicBaseUrl. */
  allowedHosts: string[];
  /** Origin of finished files on a CDN; output_url is built on it when set. */
  cdnBaseUrl: string | undefined;
  /** Whether source URLs may point at private, loopback or link-local addresses (off: SSRF protection). */
  allowPrivateSourceUrls: boolean;
  /** Storage key prefixes (besides each user's own uploads) from which videos may be registered. */
  sourceKeyPrefixes: string[];
  logLevel: z.infer<typeof EnvironmentSchema>['LOG_LEVEL'];
  /** A folder of static files (the demo page) served at `/`, when set. */
  demoDir: string | undefined;
  /**
   * The user for whom `/demo-config.json` mints a short-lived development token, playing the part of a host
   * app's backend for the demo page (loopback clients only, JWT_SECRET only). Set by `npm start`; never in
   * production.
   */
  demoUser: string | undefined;
  trustProxy: boolean;
}

/** Thrown when the environment does not describe a valid configuration; its message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const HMAC = /^HS/;

function readAuthConfig(values: z.infer<typeof EnvironmentSchema>): AuthConfig {
  const sources = [values.JWT_SECRET, values.JWT_PUBLIC_KEY, values.JWKS_URL].filter(Boolean);
  if (sources.length !== 1) {
    throw new ConfigError(
      'invalid configuration:\n  set exactly one of JWT_SECRET (HS256), JWT_PUBLIC_KEY or JWKS_URL (RS256/ES256)',
    );
  }
  const symmetric = values.JWT_SECRET !== undefined;
  const algorithms = values.JWT_ALGORITHMS ?? (symmetric ? ['HS256'] : ['RS256', 'ES256']);
  if (algorithms.some((algorithm) => HMAC.test(algorithm) !== symmetric)) {
    throw new ConfigError(
      `invalid configuration:\n  JWT_ALGORITHMS must be ${symmetric ? 'HS*' : 'RS*/ES*/PS*'} for the configured key`,
    );
  }
  return {
    secret: values.JWT_SECRET,
    publicKey: values.JWT_PUBLIC_KEY?.replaceAll('\\n', '\n'),
    jwksUrl: values.JWKS_URL,
    algorithms,
    issuer: values.JWT_ISSUER,
    audience: values.JWT_AUDIENCE,
    maxLifetimeSeconds: values.JWT_MAX_LIFETIME_SECONDS,
  };
}

/** Reads and validates the API's configuration from environment variables. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  const auth = readAuthConfig(values);
  let storage: StorageConfig;
  try {
    storage = readStorageConfig(env, { signingSecret: values.JWT_SECRET });
  } catch (error) {
    if (error instanceof StorageConfigError)
      throw new ConfigError(`invalid configuration:\n  ${error.message}`);
    throw error;
  }
  if (storage.driver === 'local' && !storage.signingSecret) {
    throw new ConfigError(
      'invalid configuration:\n  STORAGE_SIGNING_SECRET is needed to sign local download URLs',
    );
  }
  if (values.VEXPORT_DEMO_USER && !auth.secret) {
    throw new ConfigError(
      'invalid configuration:\n  VEXPORT_DEMO_USER needs JWT_SECRET: the demo mints its tokens with it',
    );
  }
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    queuePrefix: values.QUEUE_PREFIX,
    auth,
    storage,
    corsOrigins: values.CORS_ORIGINS,
    exportRateLimitPerHour: values.EXPORT_RATE_LIMIT_PER_HOUR,
    videoRateLimitPerHour: values.VIDEO_RATE_LIMIT_PER_HOUR,
    uploadBytesPerDay: values.UPLOAD_BYTES_PER_DAY,
    sseStreamsPerUser: values.SSE_STREAMS_PER_USER,
    uploadMaxBytes: values.UPLOAD_MAX_BYTES,
    downloadUrlTtlSeconds: values.DOWNLOAD_URL_TTL_SECONDS,
    publicBaseUrl: values.PUBLIC_BASE_URL,
    allowedHosts: values.ALLOWED_HOSTS,
    cdnBaseUrl: values.CDN_BASE_URL,
    allowPrivateSourceUrls: values.ALLOW_PRIVATE_SOURCE_URLS,
    sourceKeyPrefixes: values.SOURCE_KEY_PREFIXES,
    logLevel: values.LOG_LEVEL,
    demoDir: values.VEXPORT_DEMO_DIR,
    demoUser: values.VEXPORT_DEMO_USER,
    trustProxy: values.TRUST_PROXY,
  };
}
