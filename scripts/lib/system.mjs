// Runs the whole system in the foreground until Ctrl-C: services, worker, API; then stops all of it in order.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError, log } from './log.mjs';
import { isPortFree, findFreePort } from './ports.mjs';
import { ManagedProcess, waitFor } from './processes.mjs';
import { SupervisedProcess } from './supervisor.mjs';
import { LockHeldError, acquireRunLock } from './run-lock.mjs';
import { loadOrCreateSecrets } from './secrets.mjs';
import { writeServicesEnv } from './services-env.mjs';
import { workerArgs } from './worker-process.mjs';

const DEFAULT_PORT = 8080;
/** The user the demo page and the printed token act as. */
const DEMO_USER = 'demo-user';
/** Most worker processes `WORKERS` may ask for on one machine. */
const MAX_WORKERS = 16;

function describeHolder(holder) {
  const where = holder.url ? ` at ${holder.url}` : '';
  return `another vexport is already running${where} (pid ${holder.pid}, started ${holder.started_at}). Stop it with Ctrl-C in its terminal, or set VEXPORT_HOME to run a second, separate copy.`;
}

async function fetchJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return { status: response.status, body: await response.json() };
}

/**
 * Starts every piece, prints the URL and a development token, and waits for SIGINT/SIGTERM or for a piece to
 * stop on its own; then stops the rest, newest first.
 */
export async function runSystem({ root, home, env, build }) {
  const port = env.PORT ? Number(env.PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new SetupError(`PORT=${env.PORT} is not a port number.`);
  const url = `http://localhost:${port}`;
  const workerCount = env.WORKERS ? Number(env.WORKERS) : 1;
  if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > MAX_WORKERS)
    throw new SetupError(`WORKERS=${env.WORKERS} is not a number of workers from 1 to ${MAX_WORKERS}.`);

  let releaseLock;
  try {
    releaseLock = acquireRunLock(join(home, 'run.lock'), { url });
  } catch (error) {
    if (error instanceof LockHeldError) throw new SetupError(describeHolder(error.holder));
    throw error;
  }
  const interruption = waitForSignal();
  const stoppedEarly = { failed: undefined };
  interruption.then((signal) => {
    stoppedEarly.failed ??= new SetupError(`interrupted (${signal}) while starting; stopped everything.`);
  });
  const throwIfInterrupted = () => {
    if (stoppedEarly.failed) throw stoppedEarly.failed;
  };
  const running = [];
  let removeServicesEnv = () => undefined;
  const stopAll = async () => {
    for (const piece of running.reverse()) await piece.stop().catch(() => undefined);
    running.length = 0;
    removeServicesEnv();
    releaseLock();
  };

  try {
    if (!(await isPortFree(port, '0.0.0.0')) || !(await isPortFree(port, '127.0.0.1'))) {
      throw new SetupError(
        `Port ${port} is already in use by another program. Stop it, or start on another port: PORT=8081 npm start`,
      );
    }
    build();
    throwIfInterrupted();
    const secrets = loadOrCreateSecrets(join(home, 'secrets.json'));
    const serviceEnv = await startServices({ home, env, secrets, running });
    throwIfInterrupted();
    const childEnv = {
      ...env,
      ...serviceEnv,
      JWT_SECRET: env.JWT_SECRET ?? secrets.jwt_secret,
      PORT: String(port),
      // the demo hands out working tokens: reachable from this machine only, unless HOST says otherwise
      HOST: env.HOST ?? '127.0.0.1',
      VEXPORT_DEMO_DIR: env.VEXPORT_DEMO_DIR ?? join(root, 'examples', 'vanilla', 'dist'),
      LOG_LEVEL: env.LOG_LEVEL ?? 'info',
      // the API mints the demo page a fresh token for this user on each visit
      VEXPORT_DEMO_USER: DEMO_USER,
    };

    const servicesEnvPath = join(home, 'services.env');
    removeServicesEnv = writeServicesEnv(servicesEnvPath, childEnv);
    const token = await developmentToken(root, childEnv);
    const services = [...running];
    const workers = Array.from({ length: workerCount }, (_unused, index) => {
      const name = workerCount === 1 ? 'worker' : `worker-${index + 1}`;
      return new SupervisedProcess(
        name,
        () => new ManagedProcess(name, process.execPath, workerArgs(root), { env: childEnv }),
        // its own grace period to finish running exports and hand the rest over, then some
        { stopGraceMs: Number(childEnv.SHUTDOWN_GRACE_SECONDS ?? 25) * 1000 + 15_000 },
      );
    });
    running.push(...workers);
    const api = new SupervisedProcess(
      'api',
      () =>
        new ManagedProcess('api', process.execPath, [join(root, 'packages/server/dist/main.js')], {
          env: childEnv,
        }),
    );
    running.push(api);
    // until the system is ready, a process that stops is a set-up failure (a bad setting, a taken port)
    for (const piece of [...workers, api]) {
      piece.current.exited.then(({ code, signal }) => {
        if (stoppedEarly.ready) return;
        stoppedEarly.failed ??= new SetupError(
          `the ${piece.name} stopped (exit ${code ?? signal}); see its output above.`,
        );
      });
    }
    await waitFor(
      async () => {
        const { status, body } = await fetchJson(`http://127.0.0.1:${port}/healthz`);
        return status === 200 && body.status === 'ok' && body.workers.length >= workerCount;
      },
      {
        timeoutMs: 60_000,
        abortOn: stoppedEarly,
        message: 'the API and worker did not become ready within 60 s',
      },
    );

    const { body: health } = await fetchJson(`http://127.0.0.1:${port}/healthz`);
    log.ok(`${log.bold('ready')} on ${log.bold(url)}`);
    log.ok(
      `PostgreSQL ${health.postgres.version}, Redis ${health.redis.version}, ffmpeg ${health.ffmpeg.version}`,
    );
    log.ok(`development token (user "${DEMO_USER}", ${token.hours} hours):\n${token.text}`);
    log.ok(
      `${workerCount} worker${workerCount === 1 ? '' : 's'}; one more, on the same services:\n  node --env-file=${servicesEnvPath} ${workerArgs(root).join(' ')}`,
    );
    log.ok(`health: curl ${url}/healthz    stop: Ctrl-C`);

    stoppedEarly.ready = true;
    // from here on the API and worker are restarted when they stop; PostgreSQL or Redis stopping ends it all
    const reason = await Promise.race([
      interruption,
      Promise.race(services.map((piece) => piece.exited.then(() => `the ${piece.name} stopped`))),
    ]);
    log.step(`${reason}; stopping everything…`);
    const failed = !reason.startsWith('SIG');
    await stopAll();
    log.ok('stopped.');
    if (failed) process.exitCode = 1;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A token for the developer's own calls, living 12 hours or the API's maximum lifetime if shorter. */
async function developmentToken(root, childEnv) {
  const server = await import(join(root, 'packages/server/dist/index.js'));
  const maxLifetimeSeconds = childEnv.JWT_MAX_LIFETIME_SECONDS
    ? Number(childEnv.JWT_MAX_LIFETIME_SECONDS)
    : server.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const seconds = Math.min(server.DEFAULT_DEVELOPMENT_TOKEN_LIFETIME_SECONDS, maxLifetimeSeconds);
  try {
    const text = server.signDevelopmentToken({
      user: DEMO_USER,
      secret: childEnv.JWT_SECRET,
      expiresIn: seconds,
      maxLifetimeSeconds,
      issuer: childEnv.JWT_ISSUER,
      audience: childEnv.JWT_AUDIENCE,
    });
    return { text, hours: Math.round((seconds / 3600) * 10) / 10 };
  } catch (error) {
    if (error instanceof server.DevelopmentTokenError) throw new SetupError(error.message);
    throw error;
  }
}

/**
 * The first stop signal. Later ones are swallowed: a terminal's Ctrl-C reaches this process both directly
 * and through npm, which passes it on, and a second signal must not end the process while it stops the
 * services it started (they run in their own process groups and would be left running).
 */
function waitForSignal() {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => resolve(signal));
  });
}

/** Starts the embedded services that the environment does not replace; returns their environment. */
async function startServices({ home, env, secrets, running }) {
  const serviceEnv = {};
  if (!env.DATABASE_URL) {
    const { startPostgres } = await import('./postgres.mjs');
    log.step('starting PostgreSQL…');
    const postgres = await startPostgres({
      dataDir: join(home, 'postgres'),
      port: await findFreePort(),
      user: 'vexport',
      password: secrets.postgres_password,
      database: 'vexport',
    });
    running.push({ ...postgres, name: 'PostgreSQL' });
    serviceEnv.DATABASE_URL = postgres.url;
  }
  if (!env.REDIS_URL) {
    const { startRedis } = await import('./redis.mjs');
    log.step('starting Redis…');
    const redis = await startRedis({
      dir: join(home, 'redis'),
      port: await findFreePort(),
      persistent: true,
    });
    running.push({ ...redis, name: 'Redis' });
    serviceEnv.REDIS_URL = redis.url;
  }
  if (!env.S3_BUCKET && !env.STORAGE_DIR) {
    serviceEnv.STORAGE_DIR = join(home, 'storage');
    mkdirSync(serviceEnv.STORAGE_DIR, { recursive: true });
  }
  return serviceEnv;
}
