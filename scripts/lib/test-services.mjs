// Throwaway services for the test suite: nothing is kept, everything listens on loopback only.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from './log.mjs';
import { findFreePort } from './ports.mjs';
import { startPostgres } from './postgres.mjs';
import { startRedis } from './redis.mjs';

const S3_BUCKET = 'vexport-test';
const S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

async function startS3(dir) {
  const { default: S3rver } = await import('s3rver');
  const port = await findFreePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: S3_BUCKET }],
  });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

/** Starts PostgreSQL, Redis and s3rver; resolves to the environment the tests read and a `stop()`. */
export async function startTestServices() {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-test-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when we are root and must enter this folder
  const started = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const began = Date.now();
    const [postgres, redis, s3] = await Promise.all([
      findFreePort().then((port) =>
        startPostgres({
          dataDir: join(dir, 'postgres'),
          port,
          user: 'vexport',
          password: 'vexport-test',
          database: 'vexport',
          durable: false,
        }),
      ),
      findFreePort().then((port) => startRedis({ dir: join(dir, 'redis'), port, persistent: false })),
      startS3(join(dir, 's3')),
    ]);
    started.push(postgres, redis, s3);
    log.step(`test services up in ${Date.now() - began} ms: PostgreSQL ${postgres.version}, Redis, s3rver`);
    return {
      env: {
        DATABASE_URL: postgres.url,
        VEXPORT_TEST_POSTGRES_ADMIN_URL: postgres.adminUrl,
        REDIS_URL: redis.url,
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET,
        S3_REGION: 'us-east-1',
        S3_FORCE_PATH_STYLE: 'true',
        ...S3_CREDENTIALS,
        VEXPORT_TEST_SERVICES: '1',
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
