// The whole product on the throwaway test services, for tests that drive it from a browser: one worker and
// one API process per demo app (several API processes on one database and Redis, as in production), a user
// with a token, and a probed sample video.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './ports.mjs';
import { ManagedProcess, waitFor } from './processes.mjs';
import { workerArgs } from './worker-process.mjs';

async function adminQuery(adminUrl, sql) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Starts the stack. `apps` maps a name to a folder of static files served by that API process ('' for an
 * API without pages); `env` adds settings for every process: an object, or a function of the stack's own
 * settings (e.g. to route DATABASE_URL through a proxy). `workerCommand(command, args)` may wrap the
 * worker's command line (e.g. to give it its own small temp disk); `signToken(user)` replaces the HS256
 * development token (set JWT_SECRET to undefined in `env` then, and the key the API should trust).
 * `onWorkerLine(line)` receives each line the workers print (their JSON logs). Resolves to `{ urls, token, user, secret,
 * video, sharedKey, apis, workers, startWorker(), stop() }`; `apis` and `workers` are the processes.
 */
export async function startAppStack({
  root,
  servicesEnv,
  apps = { api: '' },
  user = 'demo-user',
  env: extraEnv = {},
  workerCommand = (command, args) => [command, args],
  signToken,
  onWorkerLine,
}) {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-app-stack-'));
  const database = `vexport_stack_${randomBytes(4).toString('hex')}`;
  const adminUrl = servicesEnv.VEXPORT_TEST_POSTGRES_ADMIN_URL;
  await adminQuery(adminUrl, `CREATE DATABASE ${database}`);
  const secret = randomBytes(24).toString('hex');
  const { signDevelopmentToken } = await import(join(root, 'packages/server/dist/index.js'));
  const token = signToken ? signToken(user) : signDevelopmentToken({ user, secret, expiresIn: '2h' });
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: adminUrl.replace(/\/postgres$/, `/${database}`),
    REDIS_URL: servicesEnv.REDIS_URL,
    QUEUE_PREFIX: `stack-${randomBytes(4).toString('hex')}`,
    STORAGE_DIR: join(dir, 'storage'),
    WORKER_TEMP_DIR: join(dir, 'work'),
    JWT_SECRET: secret,
    CORS_ORIGINS: '*',
    EXPORT_RATE_LIMIT_PER_HOUR: '1000',
    LOG_LEVEL: 'warn',
    // the sample video, registrable by every test user
    SOURCE_KEY_PREFIXES: 'shared/',
  };
  const env = { ...baseEnv, ...(typeof extraEnv === 'function' ? extraEnv(baseEnv) : extraEnv) };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const running = [];
  const workers = [];
  const startWorker = () => {
    const [command, args] = workerCommand(process.execPath, workerArgs(root));
    const worker = new ManagedProcess(`stack-worker-${workers.length + 1}`, command, args, {
      env,
      onLine: onWorkerLine,
    });
    running.push(worker);
    workers.push(worker);
    return worker;
  };
  startWorker();
  const stop = async () => {
    for (const piece of running.reverse()) await piece.stop({ graceMs: 5_000 }).catch(() => undefined);
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const urls = {};
    const apis = {};
    for (const [name, demoDir] of Object.entries(apps)) {
      const port = await findFreePort();
      const appEnv = {
        ...env,
        PORT: String(port),
        ...(demoDir && { VEXPORT_DEMO_DIR: demoDir, VEXPORT_DEMO_USER: user }),
      };
      apis[name] = new ManagedProcess(
        `stack-${name}`,
        process.execPath,
        [join(root, 'packages/server/dist/main.js')],
        { env: appEnv },
      );
      running.push(apis[name]);
      urls[name] = `http://127.0.0.1:${port}`;
      // the first API applies the migrations; the others find them applied
      await waitFor(async () => (await fetch(`${urls[name]}/readyz`)).ok, {
        timeoutMs: 30_000,
        message: `the ${name} API did not start`,
      });
    }
    const { createClient } = await import(join(root, 'packages/sdk/dist/index.js'));
    const client = createClient({ baseUrl: Object.values(urls)[0], token });
    const sample = join(dir, 'sample.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=30:duration=6',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=6',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      sample,
    ]);
    mkdirSync(join(env.STORAGE_DIR, 'shared'), { recursive: true });
    copyFileSync(sample, join(env.STORAGE_DIR, 'shared', 'sample.mp4'));
    let video = await client.registerVideo({
      file: new Blob([readFileSync(sample)]),
      filename: 'sample.mp4',
      title: 'Sample',
    });
    await waitFor(
      async () => {
        video = await client.getVideo(video.id);
        return video.status === 'completed';
      },
      { timeoutMs: 30_000, message: 'the sample video was not probed' },
    );
    return {
      urls,
      apis,
      env,
      token,
      user,
      secret,
      video,
      sharedKey: 'shared/sample.mp4',
      storageDir: env.STORAGE_DIR,
      workDir: env.WORKER_TEMP_DIR,
      workers,
      startWorker,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
