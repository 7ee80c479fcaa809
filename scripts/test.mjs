// `npm test`: installs what is missing, builds, starts throwaway PostgreSQL, Redis and an S3-compatible server
// on free loopback ports, runs every package's tests against them, and stops them all again.
// Arguments are passed to vitest (e.g. `npm test -- packages/server`); the widget's component tests run in
// Chromium through @web/test-runner unless arguments narrow the run to other files.
import { fileURLToPath } from 'node:url';
import {
  BROWSER_TOOLS,
  MEDIA_TOOLS,
  REDIS_TOOLS,
  buildPackages,
  ensureNodeModules,
  ensureSystemTools,
} from './lib/bootstrap.mjs';
import { runScript } from './lib/log.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main() {
  ensureNodeModules(root);
  ensureSystemTools([...MEDIA_TOOLS, ...REDIS_TOOLS, ...BROWSER_TOOLS]);
  buildPackages(root);
  const { runTests } = await import('./lib/test-run.mjs');
  process.exitCode = await runTests({ root, vitestArgs: process.argv.slice(2) });
}

await runScript(main);
process.exit(process.exitCode ?? 0);
