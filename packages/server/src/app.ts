import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import { healthRoutes } from './health/health-routes.js';
import { createErrorHandler, notFoundHandler } from './http/problem.js';
import { SERVER_VERSION } from './version.js';

export interface AppDependencies {
  sequelize: Sequelize;
  redis: Redis;
  logger: Logger;
  /** Static files (the demo page) served at `/`, when set. */
  demoDir?: string | undefined;
  trustProxy?: boolean;
}

/** Builds the Express application; listening is the caller's job (see main.ts). */
export function createApp({
  sequelize,
  redis,
  logger,
  demoDir,
  trustProxy = false,
}: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(healthRoutes({ sequelize, redis, version: SERVER_VERSION }));
  if (demoDir) app.use(express.static(demoDir, { index: 'index.html', fallthrough: true }));
  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}
