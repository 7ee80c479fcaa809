import { createSequelize, initModels, migrateToLatest } from '@vexport/db';
import { createStorage } from '@vexport/storage';
import { createApp } from './app.js';
import { ConfigError, loadServerConfig, type ServerConfig } from './config.js';
import { ProgressEventHub } from './exports/progress-event-hub.js';
import { createExpressServer } from './http/express-server.js';
import { createLogger } from './logger.js';
import { JobQueues } from './queue/job-queues.js';
import { createRedis } from './redis.js';

const SHUTDOWN_GRACE_MS = 10_000;

function readConfig(): ServerConfig {
  try {
    return loadServerConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`vexport-api: ${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const sequelize = createSequelize(config.databaseUrl);
  try {
    await sequelize.authenticate();
  } catch (error) {
    logger.fatal(`cannot reach PostgreSQL at DATABASE_URL: ${(error as Error).message}`);
    process.exit(1);
  }
  const applied = await migrateToLatest(sequelize);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const models = initModels(sequelize);
  const redis = createRedis(config.redisUrl);
  redis.on('error', (error) => logger.warn(`redis: ${error.message}`));
  const storage = createStorage(config.storage);
  const queues = new JobQueues(config.redisUrl, { prefix: config.queuePrefix });
  const events = new ProgressEventHub(redis);

  const app = createApp({ config, sequelize, models, redis, storage, queues, events, logger });
  const server = createExpressServer(app);
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      logger.fatal(`port ${config.port} is already in use; stop what uses it or set PORT to another port`);
    } else {
      logger.fatal({ err: error }, 'the HTTP server failed');
    }
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, storage: config.storage.driver }, `vexport API listening on port ${port}`);
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, openStreams: events.openStreams }, 'shutting down: finishing in-flight requests');
    const forceExit = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close(async () => {
      await Promise.allSettled([queues.close(), sequelize.close(), redis.quit()]);
      clearTimeout(forceExit);
      process.exit(0);
    });
    void events.close();
    server.closeIdleConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

await main();
