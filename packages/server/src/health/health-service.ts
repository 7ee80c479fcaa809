import { listLiveWorkers } from '@vexport/queue';
import type { HealthReport } from '@vexport/sdk';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { readPostgresVersion } from '@vexport/db';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type VersionCheck = { version: string; error?: undefined } | { version: null; error: string };

async function checkVersion(what: string, read: () => Promise<string>): Promise<VersionCheck> {
  try {
    return { version: await withTimeout(read(), what) };
  } catch (error) {
    return { version: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The Redis server's version from `INFO server`. */
async function readRedisVersion(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  const match = /^redis_version:(.+)$/m.exec(info);
  if (!match?.[1]) throw new Error('Redis did not report its version');
  return match[1].trim();
}

export interface HealthDependencies {
  sequelize: Sequelize;
  redis: Redis;
  version: string;
}

/** Checks PostgreSQL, Redis and the workers (who report the ffmpeg they run). */
export async function buildHealthReport({
  sequelize,
  redis,
  version,
}: HealthDependencies): Promise<HealthReport> {
  const [postgres, redisCheck] = await Promise.all([
    checkVersion('PostgreSQL', () => readPostgresVersion(sequelize)),
    checkVersion('Redis', () => readRedisVersion(redis)),
  ]);
  const workers = redisCheck.version
    ? await withTimeout(listLiveWorkers(redis), 'Redis').catch(() => [])
    : [];
  return {
    status: postgres.version && redisCheck.version ? 'ok' : 'degraded',
    version,
    postgres,
    redis: redisCheck,
    ffmpeg: { version: workers[0]?.ffmpeg_version ?? null },
    workers,
  };
}
