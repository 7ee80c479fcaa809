// `npm start`: installs what is missing, builds, and runs the whole system on embedded defaults —
// PostgreSQL and Redis under .vexport/, local-disk storage, the API (serving the demo page) and one worker.
// Every embedded service is replaced by its environment variable (DATABASE_URL, REDIS_URL, …).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MEDIA_TOOLS,
  REDIS_TOOLS,
  buildPackages,
  ensureNodeModules,
  ensureSystemTools,
} from './lib/bootstrap.mjs';
import { runScript } from './lib/log.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const home = process.env.VEXPORT_HOME ?? join(root, '.vexport');

async function main() {
  ensureNodeModules(root);
  ensureSystemTools([...MEDIA_TOOLS, ...(process.env.REDIS_URL ? [] : REDIS_TOOLS)]);
  // Modules below may use dependencies, which exist from here on.
  const { runSystem } = await import('./lib/system.mjs');
  await runSystem({ root, home, env: process.env, build: () => buildPackages(root) });
}

await runScript(main);
if (process.exitCode) process.exit(process.exitCode);
