// Drives `npm start`'s script as a person would: start, check health, start again, Ctrl-C, start after a stop.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort, isPortFree } from './lib/ports.mjs';
import { isProcessAlive } from './lib/processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// a dot folder, as `npm start`'s own default (.vexport) is: downloads must work from under one
const parent = mkdtempSync(join(tmpdir(), 'vexport-home-'));
const home = join(parent, '.vexport');
mkdirSync(home);
chmodSync(parent, 0o755); // as root, PostgreSQL runs as its own user and must enter these folders
chmodSync(home, 0o755);
const children = new Set();

/** This machine's IPv4 addresses other than loopback (none on a machine without a network). */
function externalIpv4Addresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
}

/** The claims of a JWT, read without verifying it. */
function claimsOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/** The environment of a fresh shell: none of the test services' variables, so every default is embedded. */
function cleanEnv(extra) {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...extra };
}

/** The system started as `node scripts/start.mjs`, or with `{ viaNpm: true }` as `npm start` exactly. */
function startSystem(env, { viaNpm = false } = {}) {
  const [command, args] = viaNpm ? ['npm', ['start']] : [process.execPath, [join(root, 'scripts/start.mjs')]];
  const child = spawn(command, args, { cwd: root, env: cleanEnv(env) });
  children.add(child);
  let output = '';
  const onData = (chunk) => (output += chunk);
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  exited.then(() => children.delete(child));
  const ready = new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('ready on')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`start exited with ${code} before it was ready:\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return { child, exited, ready, output: () => output };
}

/** The pid of the API process listening on `port` (found by its command line and its PORT setting). */
function apiProcessOn(port) {
  const pids = execFileSync('pgrep', ['-f', 'packages/server/dist/main.js'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  return pids.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`PORT=${port}`);
    } catch {
      return false;
    }
  });
}

afterAll(async () => {
  for (const child of children) child.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  rmSync(parent, { recursive: true, force: true });
});

describe('npm start', () => {
  it('runs the system, refuses a second copy, stops cleanly on Ctrl-C, and keeps its data', async () => {
    const port = await findFreePort();
    const first = startSystem({ VEXPORT_HOME: home, PORT: String(port) });
    await first.ready;
    expect(first.output()).toMatch(/development token[^\n]*\n\s*\S+\.\S+\.\S+/);

    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health.status).toBe('ok');
    expect(health.postgres.version).toMatch(/^\d+/);
    expect(health.redis.version).toMatch(/^\d+/);
    expect(health.ffmpeg.version).toMatch(/\d/);

    const token = /development token[^\n]*\n\s*(\S+\.\S+\.\S+)/.exec(first.output())[1];
    const { createClient } = await import('../packages/sdk/dist/index.js');
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    const sample = join(home, 'sample.mp4');
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25:duration=2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      sample,
    ]);
    const video = await client.registerVideo({
      file: new Blob([readFileSync(sample)]),
      filename: 'sample.mp4',
    });
    let probed = video;
    for (let i = 0; i < 100 && probed.status !== 'completed' && probed.status !== 'failed'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      probed = await client.getVideo(video.id);
    }
    expect(probed).toMatchObject({ status: 'completed', width: 320, height: 240, video_codec: 'h264' });

    const created = await client.createExport(video.id, {
      export_type: 'combined',
      resolution: '720p',
      format: 'webm',
      quality_preset: 'low',
      segment_selections: [
        { start_time: 0, end_time: 0.8 },
        { start_time: 1.2, end_time: 2 },
      ],
    });
    const stages = [];
    for await (const progress of client.watchExport(created.id)) stages.push(progress.current_stage);
    expect(stages.at(-1)).toBe('complete');
    const exported = await client.getExport(created.id);
    expect(exported).toMatchObject({ status: 'completed', progress_percentage: 100 });
    const downloaded = join(home, 'export.webm');
    await client.saveExport(created.id, downloaded);
    const streams = execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', downloaded],
      { encoding: 'utf8' },
    );
    expect(streams.trim()).toBe('vp9,960,720');

    // examples/node, as its README runs it
    const zip = join(home, 'clips.zip');
    const script = execFileSync(
      process.execPath,
      [join(root, 'examples/node/export-clips.mjs'), sample, zip],
      {
        env: { PATH: process.env.PATH, VEXPORT_API: `http://127.0.0.1:${port}`, VEXPORT_TOKEN: token },
        encoding: 'utf8',
      },
    );
    expect(script).toMatch(/Saved .*clips\.zip/);
    const entries = execFileSync(
      'python3',
      ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zip],
      { encoding: 'utf8' },
    );
    const names = entries.trim().split('\n');
    expect(names.map((name) => name.replace(/-\d\dm\d\ds/g, ''))).toEqual([
      '01-opening.mp4',
      '02-middle.mp4',
      '03-ending.mp4',
    ]);

    const demoPage = await fetch(`http://127.0.0.1:${port}/`);
    expect(demoPage.status).toBe(200);
    expect(await demoPage.text()).toContain('<title>vexport demo</title>');
    // the demo page gets a token minted for it, for the same user, that the API accepts
    const demoConfig = await (await fetch(`http://127.0.0.1:${port}/demo-config.json`)).json();
    const demoClient = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: demoConfig.token });
    expect((await demoClient.getVideo(video.id)).id).toBe(video.id);
    // both tokens live 12 hours, within the API's default maximum lifetime of 24
    for (const minted of [token, demoConfig.token]) {
      const { sub, iat, exp } = claimsOf(minted);
      expect(sub).toBe('demo-user');
      expect(exp - iat).toBe(12 * 3600);
    }
    // the API listens on loopback only: the machine's other addresses are not answered
    for (const address of externalIpv4Addresses()) {
      await expect(fetch(`http://${address}:${port}/healthz`)).rejects.toThrow();
    }

    const again = startSystem({ VEXPORT_HOME: home, PORT: String(port) });
    expect(await again.exited).toBe(1);
    expect(again.output()).toMatch(/already running at http:\/\/localhost:\d+ \(pid \d+/);
    expect(again.output()).not.toMatch(/\n\s+at /);

    const otherHome = mkdtempSync(join(tmpdir(), 'vexport-home-'));
    const portTaken = startSystem({ VEXPORT_HOME: otherHome, PORT: String(port) });
    expect(await portTaken.exited).toBe(1);
    expect(portTaken.output()).toMatch(new RegExp(`Port ${port} is already in use`));
    rmSync(otherHome, { recursive: true, force: true });

    const postgresPid = Number(readFileSync(join(home, 'postgres/postmaster.pid'), 'utf8').split('\n')[0]);
    const redisPid = Number(readFileSync(join(home, 'redis/redis.pid'), 'utf8'));
    const workerPid = health.workers[0].pid;
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    for (const pid of [postgresPid, redisPid, workerPid]) expect(isProcessAlive(pid)).toBe(false);
    expect(await isPortFree(port)).toBe(true);
    expect(existsSync(join(home, 'run.lock'))).toBe(false);
    expect(first.output()).toContain('database migrated');

    // again, with two workers, and a third started by hand as the output says
    const restarted = startSystem({ VEXPORT_HOME: home, PORT: String(port), WORKERS: '2' });
    await restarted.ready;
    expect(restarted.output()).not.toContain('database migrated');
    const restartedClient = createClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    expect((await restartedClient.getVideo(video.id)).status).toBe('completed');
    const workersNow = async () =>
      (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).workers.length;
    expect(await workersNow()).toBe(2);
    const servicesEnv = join(home, 'services.env');
    expect(statSync(servicesEnv).mode & 0o777).toBe(0o600);
    expect(readFileSync(servicesEnv, 'utf8')).toMatch(
      /^DATABASE_URL=postgres:\/\/\S+\nREDIS_URL=redis:\/\/\S+\nSTORAGE_DIR=\S+\n$/,
    );
    const [command, ...args] = /one more, on the same services:\n\s*(.+)/
      .exec(restarted.output())[1]
      .trim()
      .split(' ');
    expect(command).toBe('node');
    const extra = spawn(process.execPath, args, { cwd: root, env: cleanEnv(), stdio: 'ignore' });
    children.add(extra);
    const extraExited = new Promise((resolve) => extra.on('exit', resolve));
    for (let waited = 0; waited < 30_000 && (await workersNow()) < 3; waited += 250)
      await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await workersNow()).toBe(3);
    extra.kill('SIGTERM');
    expect(await extraExited).toBe(0);
    restarted.child.kill('SIGINT');
    expect(await restarted.exited).toBe(0);
    expect(existsSync(servicesEnv)).toBe(false);
  });
  it('answers a cut-off upload with 400 and restarts an API process that dies, without stopping the rest', async () => {
    const port = await findFreePort();
    const dotHome = join(parent, 'second', '.vexport');
    mkdirSync(dotHome, { recursive: true });
    chmodSync(join(parent, 'second'), 0o755);
    chmodSync(dotHome, 0o755);
    const system = startSystem({ VEXPORT_HOME: dotHome, PORT: String(port) }, { viaNpm: true });
    await system.ready;
    const token = /development token[^\n]*\n\s*(\S+\.\S+\.\S+)/.exec(system.output())[1];
    const base = `http://127.0.0.1:${port}`;

    // the request that used to end every process: a multipart body that stops before its closing boundary
    const cutOff = await fetch(`${base}/api/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=XX' },
      body: '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\nabc',
    });
    expect(cutOff.status).toBe(400);
    expect((await cutOff.json()).code).toBe('validation_failed');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const apiPid = apiProcessOn(port);
    process.kill(apiPid, 'SIGKILL');
    let health;
    for (let i = 0; i < 150 && health?.status !== 'ok'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await fetch(`${base}/healthz`)
        .then((response) => response.json())
        .catch(() => undefined);
    }
    expect(health?.status).toBe('ok');
    expect(system.output()).toMatch(/the api stopped \(exit SIGKILL\); starting it again in 1 s/);
    expect(isProcessAlive(system.child.pid)).toBe(true);

    // what a supervisor (systemd, Docker) does: SIGTERM to the process it started, npm itself
    const restartedApiPid = apiProcessOn(port);
    system.child.kill('SIGTERM');
    expect(await system.exited).toBe(0);
    expect(isProcessAlive(restartedApiPid)).toBe(false);
    expect(await isPortFree(port)).toBe(true);
  });
});
