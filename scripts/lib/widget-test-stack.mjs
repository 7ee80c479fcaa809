// A real API and worker for the widget's component tests in Chromium, on the throwaway services, with a
// user, a token and a probed video ready for the tests.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './ports.mjs';
import { ManagedProcess, waitFor } from './processes.mjs';

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

/** Starts the stack; resolves to the variables the browser tests read, and a `stop()`. */
export async function startWidgetTestStack({ root, servicesEnv }) {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-widget-stack-'));
  const database = `vexport_widget_${randomBytes(4).toString('hex')}`;
  await adminQuery(servicesEnv.VEXPORT_TEST_POSTGRES_ADMIN_URL, `CREATE DATABASE ${database}`);
  const port = await findFreePort();
  const secret = randomBytes(24).toString('hex');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: servicesEnv.VEXPORT_TEST_POSTGRES_ADMIN_URL.replace(/\/postgres$/, `/${database}`),
    REDIS_URL: servicesEnv.REDIS_URL,
    QUEUE_PREFIX: `widget-${randomBytes(4).toString('hex')}`,
    STORAGE_DIR: join(dir, 'storage'),
    WORKER_TEMP_DIR: join(dir, 'work'),
    JWT_SECRET: secret,
    CORS_ORIGINS: '*',
    EXPORT_RATE_LIMIT_PER_HOUR: '1000',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    // the sample video, registrable by every test user
    SOURCE_KEY_PREFIXES: 'shared/',
  };
  const running = [
    new ManagedProcess('widget-api', process.execPath, [join(root, 'packages/server/dist/main.js')], { env }),
    new ManagedProcess('widget-worker', process.execPath, [join(root, 'packages/worker/dist/main.js')], {
      env,
    }),
  ];
  const stop = async () => {
    for (const piece of running.reverse()) await piece.stop({ graceMs: 5_000 }).catch(() => undefined);
    await adminQuery(
      servicesEnv.VEXPORT_TEST_POSTGRES_ADMIN_URL,
      `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
    ).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const apiBase = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${apiBase}/readyz`)).ok, {
      timeoutMs: 30_000,
      message: 'the widget test API did not start',
    });
    const { signDevelopmentToken } = await import(join(root, 'packages/server/dist/index.js'));
    const { createClient } = await import(join(root, 'packages/sdk/dist/index.js'));
    const token = signDevelopmentToken({ user: 'widget-tester', secret, expiresIn: '2h' });
    const client = createClient({ baseUrl: apiBase, token });
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
      filename: 'widget-sample.mp4',
      title: 'Widget sample',
    });
    await waitFor(
      async () => {
        video = await client.getVideo(video.id);
        return video.status === 'completed';
      },
      { timeoutMs: 30_000, message: 'the widget test video was not probed' },
    );
    return {
      env: {
        VEXPORT_TEST_API: apiBase,
        VEXPORT_TEST_TOKEN: token,
        // throwaway, for tests that sign tokens for users of their own
        VEXPORT_TEST_JWT_SECRET: secret,
        VEXPORT_TEST_VIDEO_ID: video.id,
        VEXPORT_TEST_VIDEO_DURATION: String(video.duration_seconds),
        VEXPORT_TEST_SHARED_KEY: 'shared/sample.mp4',
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
