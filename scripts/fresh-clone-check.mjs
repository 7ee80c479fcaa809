// `npm run test:fresh-clone`: what a newcomer does, on a fresh clone of this checkout's last commit (work
// not committed is not in it): `npm start` with every default (it installs and builds by itself, and keeps
// its data in the clone's `.vexport`), the health check, `npx vexport token --user alice` with no secret
// in the environment, and examples/node's command with that token; then Ctrl-C. Exits non-zero with
// `npm start`'s output when a step fails.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SetupError, log, runScript } from './lib/log.mjs';
import { cleanEnv, startNpmStart } from './lib/npm-start.mjs';
import { findFreePort } from './lib/ports.mjs';
import { readmeCommand } from './lib/readme-commands.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

async function step(name, action) {
  log.step(`fresh clone: ${name}…`);
  try {
    return await action();
  } catch (error) {
    throw new SetupError(`fresh clone: ${name} failed: ${error.stderr || error.message}`);
  }
}

async function check(clone) {
  const port = await findFreePort();
  const base = `http://localhost:${port}`;
  const system = startNpmStart({ cwd: clone, env: { PORT: String(port) }, timeoutMs: 900_000 });
  try {
    await step('npm start', () => system.ready);
    const health = await step('GET /healthz', async () => (await fetch(`${base}/healthz`)).json());
    if (health.status !== 'ok') throw new SetupError(`fresh clone: /healthz says ${JSON.stringify(health)}`);

    const token = await step('npx vexport token --user alice', async () => {
      const { stdout } = await run('npx', ['vexport', 'token', '--user', 'alice'], {
        cwd: clone,
        env: cleanEnv(),
      });
      return stdout.trim();
    });
    const videos = await fetch(`${base}/api/videos`, { headers: { authorization: `Bearer ${token}` } });
    if (videos.status !== 200) throw new SetupError(`fresh clone: alice's token got ${videos.status}`);

    const command = await step('reading examples/node/README.md', () =>
      readmeCommand(join(clone, 'examples/node/README.md'), 'npx vexport token'),
    );
    execFileSync('ffmpeg', [
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=4'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', join(clone, 'my-video.mp4')],
    ]);
    const { stdout } = await step(command, () =>
      run('bash', ['-c', command], { cwd: clone, env: cleanEnv({ VEXPORT_API: base }) }),
    );
    if (!/Saved .*clips\.zip/.test(stdout))
      throw new SetupError(`fresh clone: ${command} printed:\n${stdout}`);
  } catch (error) {
    process.stderr.write(`npm start's output:\n${system.output()}\n`);
    throw error;
  } finally {
    await system.interrupt();
  }
  if (!/stopped\.\s*$/.test(system.output())) {
    throw new SetupError(`fresh clone: npm start did not stop cleanly on Ctrl-C:\n${system.output()}`);
  }
}

async function main() {
  const started = Date.now();
  const parent = mkdtempSync(join(tmpdir(), 'vexport-fresh-'));
  // as root, PostgreSQL runs as its own user and must enter the clone's `.vexport`
  chmodSync(parent, 0o755);
  const clone = join(parent, 'vexport');
  try {
    execFileSync('git', ['clone', '--quiet', root, clone], { stdio: 'inherit' });
    await check(clone);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  log.ok(`fresh clone: npm start, npx vexport token and examples/node's command worked (${seconds} s)`);
}

await runScript(main);
process.exit(process.exitCode ?? 0);
