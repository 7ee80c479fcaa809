// What `npm start` and `npm test` do before anything else: install node modules and system tools that are
// missing. Only Node built-ins may be imported here, since node_modules may not exist yet.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { log, SetupError } from './log.mjs';

const INSTALL_STAMP = join('node_modules', '.vexport-install-stamp');

function manifestsDigest(root) {
  const hash = createHash('sha256');
  const manifests = ['package.json', 'package-lock.json'];
  const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];
  for (const pattern of workspaces) manifests.push(...expandWorkspace(root, pattern));
  for (const file of manifests) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  return hash.digest('hex');
}

function expandWorkspace(root, pattern) {
  if (!pattern.endsWith('/*')) return [join(pattern, 'package.json')];
  const parent = pattern.slice(0, -2);
  const result = spawnSync('ls', [join(root, parent)], { encoding: 'utf8' });
  return (result.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map((name) => join(parent, name, 'package.json'));
}

/** Runs `npm install` when node_modules is missing or the manifests changed since the last install. */
export function ensureNodeModules(root) {
  const digest = manifestsDigest(root);
  const stampPath = join(root, INSTALL_STAMP);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest) return;
  // `npm install` rather than `npm ci`: it follows the lock file too, and it tolerates the lock entries of
  // other platforms' optional packages that npm leaves out when the lock is written on this one.
  log.step('installing node modules (npm install)…');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new SetupError('npm install failed; see the output above.');
  writeFileSync(stampPath, manifestsDigest(root));
}

/** Finds an executable on PATH, like `command -v`. */
export function findExecutable(name, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes sure each command is on PATH. Missing ones are installed through apt when running as root on
 * Debian; elsewhere the error says what to install.
 * @param {{ command: string, aptPackage: string, purpose: string }[]} tools
 */
export function ensureSystemTools(tools) {
  const missing = tools.filter((tool) => !findExecutable(tool.command));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.aptPackage))];
  const list = missing.map((tool) => `  - ${tool.command} (${tool.purpose})`).join('\n');
  if (!isRoot() || !findExecutable('apt-get')) {
    throw new SetupError(
      `These programs are needed but not installed:\n${list}\n` +
        `Install them with your package manager (on Debian/Ubuntu: sudo apt-get install ${packages.join(' ')}) ` +
        'and run the command again.',
    );
  }
  log.step(`installing ${packages.join(', ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  if (update.status !== 0) throw new SetupError('apt-get update failed; see the output above.');
  const install = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  const stillMissing = tools.filter((tool) => !findExecutable(tool.command));
  if (install.status !== 0 || stillMissing.length > 0) {
    throw new SetupError(`apt-get could not install ${packages.join(' ')}; see the output above.`);
  }
}

/** The system programs every vexport process needs on this machine. */
export const MEDIA_TOOLS = [
  { command: 'ffmpeg', aptPackage: 'ffmpeg', purpose: 'encodes exports' },
  { command: 'ffprobe', aptPackage: 'ffmpeg', purpose: 'reads video metadata' },
];
export const BROWSER_TOOLS = [
  { command: 'chromium', aptPackage: 'chromium', purpose: 'component and end-to-end tests' },
];
export const REDIS_TOOLS = [{ command: 'redis-server', aptPackage: 'redis-server', purpose: 'job queue' }];

/** Builds every package (lerna runs the builds in dependency order and caches unchanged ones). */
export function buildPackages(root) {
  log.step('building packages…');
  const result = spawnSync('npx', ['lerna', 'run', 'build', '--loglevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new SetupError('the build failed; see the output above.');
  }
}
