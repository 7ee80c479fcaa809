import type { Models } from '@vexport/db';
import { LocalDiskStorage, type ObjectStorage } from '@vexport/storage';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import type { ServerConfig } from './config.js';
import { exportEstimateRoutes } from './exports/export-estimate-routes.js';
import { ExportService } from './exports/export-service.js';
import { exportRoutes } from './exports/export-routes.js';
import type { ProgressEventHub } from './exports/progress-event-hub.js';
import { ProgressStore } from './exports/progress-store.js';
import { fileRoutes } from './files/file-routes.js';
import { healthRoutes } from './health/health-routes.js';
import { demoConfigRoute } from './demo/demo-config-route.js';
import { createAuthenticate } from './http/authenticate.js';
import { corsForOrigins } from './http/cors.js';
import { createLinkOrigin } from './http/link-origin.js';
import { createErrorHandler, notFoundHandler } from './http/problem.js';
import { apiSecurityHeaders, fileSecurityHeaders, pageSecurityHeaders } from './http/security-headers.js';
import { OpenStreamLimit } from './http/open-stream-limit.js';
import { exportCreationLimit, videoRegistrationLimit } from './http/rate-limit.js';
import { UploadAllowance } from './http/upload-allowance.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import type { JobQueues } from './queue/job-queues.js';
import { SettingsService } from './settings/settings-service.js';
import { settingsRoutes } from './settings/settings-routes.js';
import { UserDirectory } from './users/user-directory.js';
import { VideoService } from './videos/video-service.js';
import { videoRoutes } from './videos/video-routes.js';
import { SERVER_VERSION } from './version.js';

/** The parts of the configuration the application reads. */
export type AppConfig = Pick<
  ServerConfig,
  | 'auth'
  | 'corsOrigins'
  | 'exportRateLimitPerHour'
  | 'videoRateLimitPerHour'
  | 'uploadBytesPerDay'
  | 'sseStreamsPerUser'
  | 'uploadMaxBytes'
  | 'downloadUrlTtlSeconds'
  | 'publicBaseUrl'
  | 'allowedHosts'
  | 'allowPrivateSourceUrls'
  | 'sourceKeyPrefixes'
  | 'demoDir'
  | 'demoUser'
  | 'trustProxy'
>;

/** The connections the application uses; main.ts (or a test) opens and closes them. */
export interface AppDependencies {
  config: AppConfig;
  sequelize: Sequelize;
  models: Models;
  redis: Redis;
  storage: ObjectStorage;
  queues: JobQueues;
  events: ProgressEventHub;
  logger: Logger;
}

const JSON_BODY_LIMIT = '256kb';

/** Builds the Express application; listening is the caller's job (see main.ts). */
export function createApp({
  config,
  sequelize,
  models,
  redis,
  storage,
  queues,
  events,
  logger,
}: AppDependencies): Express {
  const settings = new SettingsService(models);
  const progress = new ProgressStore(redis, models, logger);
  const exports = new ExportService({
    models,
    redis,
    queues,
    storage,
    settings,
    progress,
    logger,
    downloadUrlTtlSeconds: config.downloadUrlTtlSeconds,
  });
  const videos = new VideoService({
    models,
    storage,
    queues,
    allowPrivateSourceUrls: config.allowPrivateSourceUrls,
    sourceKeyPrefixes: config.sourceKeyPrefixes,
    cancelExportsOfVideo: (userId, videoId) => exports.cancelExportsOfVideo(userId, videoId),
  });
  const openApiDocument = buildOpenApiDocument(SERVER_VERSION);
  const linkOrigin = createLinkOrigin(config);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // every answer carries the API's headers; file and page routes below replace them with their own
  app.use(apiSecurityHeaders());
  app.use(healthRoutes({ sequelize, redis, version: SERVER_VERSION }));
  app.use('/api', corsForOrigins(config.corsOrigins));
  app.get('/api/openapi.json', (_request, response) => {
    response.json(openApiDocument);
  });
  if (storage instanceof LocalDiskStorage) app.use('/api/files', fileSecurityHeaders(), fileRoutes(storage));
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  app.use('/api', createAuthenticate(config.auth, new UserDirectory(sequelize)));
  // each router under its own prefix: a request walks only the routes that can match it (every route it
  // walks past costs a path match and its allocations)
  app.use('/api/me', settingsRoutes(settings));
  app.use(
    '/api/videos',
    videoRoutes({
      videos,
      storage,
      uploadMaxBytes: config.uploadMaxBytes,
      downloadUrlTtlSeconds: config.downloadUrlTtlSeconds,
      linkOrigin,
      registrationLimit: videoRegistrationLimit(redis, config.videoRateLimitPerHour),
      uploadAllowance: new UploadAllowance(redis, config.uploadBytesPerDay),
    }),
  );
  app.use('/api/exports/estimate', exportEstimateRoutes({ videos, redis }));
  app.use(
    '/api',
    exportRoutes({
      exports,
      progress,
      events,
      creationLimit: exportCreationLimit(redis, config.exportRateLimitPerHour),
      streamLimit: new OpenStreamLimit(redis, config.sseStreamsPerUser),
      linkOrigin,
    }),
  );
  if (config.demoDir) {
    app.use(pageSecurityHeaders());
    if (config.demoUser)
      app.get('/demo-config.json', demoConfigRoute({ auth: config.auth, user: config.demoUser }));
    app.use(express.static(config.demoDir, { index: 'index.html' }));
  }
  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}
