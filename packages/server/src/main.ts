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
  const shutdown = (signal: NodeJS.Signals | 'uncaughtException', exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, openStreams: events.openStreams }, 'shutting down: finishing in-flight requests');
    const forceExit = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close(async () => {
      await Promise.allSettled([queues.close(), sequelize.close(), redis.quit()]);
      clearTimeout(forceExit);
      process.exit(exitCode);
    });
    void events.close();
    server.closeIdleConnections();
  };
  // (a signal listener is also given the signal's number, which must not become the exit code)
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A rejected promise nobody awaited belongs to one request, which has failed; the process state is sound.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (the process goes on)');
  });
  // After an uncaught exception the state is unknown: finish what can be finished and exit, for the
  // supervisor (npm start, systemd, Kubernetes) to start a fresh process.
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception: stopping this process');
    shutdown('uncaughtException', 1);
  });
}

await main();
