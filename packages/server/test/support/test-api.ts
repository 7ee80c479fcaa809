import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSequelize, initModels, migrateToLatest, type Models } from '@vexport/db';
import { createClient, type VexportClient } from '@vexport/sdk';
import { LocalDiskStorage, type ObjectStorage } from '@vexport/storage';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Sequelize } from 'sequelize';
import { createApp, type AppConfig } from '../../src/app.js';
import { signDevelopmentToken } from '../../src/auth/dev-token.js';
import { ProgressEventHub } from '../../src/exports/progress-event-hub.js';
import { JobQueues } from '../../src/queue/job-queues.js';
import { createRedis } from '../../src/redis.js';
import { createTestDatabase, serviceEnv, uniqueName } from '../../../../testing/services.js';
import { listen } from './http.js';

export const TEST_JWT_SECRET = 'integration-test-secret-of-at-least-32-chars';

export const defaultTestConfig: AppConfig = {
  auth: { secret: TEST_JWT_SECRET, algorithms: ['HS256'] },
  corsOrigins: [],
  exportRateLimitPerHour: 10,
  videoRateLimitPerHour: 30,
  uploadBytesPerDay: 1024 ** 3,
  sseStreamsPerUser: 20,
  uploadMaxBytes: 20 * 1024 * 1024,
  downloadUrlTtlSeconds: 3600,
  allowPrivateSourceUrls: false,
  sourceKeyPrefixes: [],
  demoDir: undefined,
  publicBaseUrl: undefined,
  allowedHosts: [],
  demoUser: undefined,
  trustProxy: false,
};

export interface TestApi {
  baseUrl: string;
  databaseUrl: string;
  sequelize: Sequelize;
  models: Models;
  redis: Redis;
  storage: ObjectStorage;
  queuePrefix: string;
  /** The progress hub of the main instance (open SSE streams). */
  events: ProgressEventHub;
  tokenFor(user: string): string;
  clientFor(user: string, options?: { maxRetries?: number }): VexportClient;
  /** Another API process (same database, Redis and storage): for limits that must hold across processes. */
  startPeer(): Promise<{ baseUrl: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  config?: Partial<AppConfig>;
  storage?: ObjectStorage;
}

/**
 * A real API on a loopback port, on a fresh database of the test PostgreSQL and the test Redis (queues under
 * a prefix of its own), with local-disk storage in a temporary folder unless another storage is given.
 */
export async function startTestApi({
  config = {},
  storage: givenStorage,
}: TestApiOptions = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const sequelize = createSequelize(database.url);
  await migrateToLatest(sequelize);
  const models = initModels(sequelize);
  const redisUrl = serviceEnv('REDIS_URL');
  const redis = createRedis(redisUrl).on('error', () => undefined);
  const storageDir = mkdtempSync(join(tmpdir(), 'vexport-api-storage-'));
  const storage = givenStorage ?? new LocalDiskStorage({ root: storageDir, signingSecret: TEST_JWT_SECRET });
  const queuePrefix = uniqueName('bq-test');
  const logger = pino({ level: 'silent' });
  const appConfig = { ...defaultTestConfig, ...config };
  const peers: { close(): Promise<void> }[] = [];

  const startInstance = async () => {
    const instanceRedis = createRedis(redisUrl).on('error', () => undefined);
    const queues = new JobQueues(redisUrl, { prefix: queuePrefix });
    const events = new ProgressEventHub(instanceRedis);
    const app = createApp({
      config: appConfig,
      sequelize,
      models,
      redis: instanceRedis,
      storage,
      queues,
      events,
      logger,
    });
    const server = await listen(app);
    return {
      baseUrl: server.baseUrl,
      events,
      close: async () => {
        await events.close();
        await server.close();
        await queues.close();
        await instanceRedis.quit();
      },
    };
  };
  const main = await startInstance();
  const tokenFor = (user: string) =>
    signDevelopmentToken({ user, secret: TEST_JWT_SECRET, expiresIn: '10m' });

  return {
    baseUrl: main.baseUrl,
    databaseUrl: database.url,
    sequelize,
    models,
    redis,
    storage,
    queuePrefix,
    events: main.events,
    tokenFor,
    clientFor: (user, { maxRetries = 0 } = {}) =>
      createClient({ baseUrl: main.baseUrl, getToken: () => tokenFor(user), maxRetries }),
    startPeer: async () => {
      const peer = await startInstance();
      peers.push(peer);
      return peer;
    },
    close: async () => {
      for (const peer of peers) await peer.close();
      await main.close();
      await redis.quit();
      await sequelize.close();
      await database.drop();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/** Our id for a host-app user, created as the API would on their first request. */
export async function userIdOf(models: Models, externalId: string): Promise<string> {
  const [user] = await models.User.findOrCreate({ where: { external_id: externalId } });
  return user.id;
}

/** A video whose probe has finished, as the worker leaves it. */
export async function createProbedVideo(
  models: Models,
  externalId: string,
  values: { duration?: number; status?: 'pending' | 'completed' | 'failed'; title?: string } = {},
) {
  return models.Video.create({
    user_id: await userIdOf(models, externalId),
    title: values.title ?? 'Beach trip',
    source: 'uploads/test/source.mp4',
    status: values.status ?? 'completed',
    duration_seconds: values.duration ?? 60,
    width: 1920,
    height: 1080,
    fps: 30,
    video_codec: 'h264',
    audio_codec: 'aac',
    rotation: 0,
  });
}
