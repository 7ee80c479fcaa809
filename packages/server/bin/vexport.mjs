#!/usr/bin/env node
// The `vexport` command. npm links a workspace's commands when it installs, before anything is built, and
// leaves out one whose file does not exist yet: this file exists from the start, builds the CLI when a fresh
// checkout has not built it, and runs it. Build output goes to stderr: stdout carries only the CLI's answer
// (`VEXPORT_TOKEN=$(npx vexport token --user alice)`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function build() {
  process.stderr.write('vexport: building the CLI first (`npm start` and `npm run build` build it too)…\n');
  const result = spawnSync(
    'npx',
    ['lerna', 'run', 'build', '--scope', '@vexport/server', '--include-dependencies', '--loglevel', 'warn'],
    {
      cwd: packageDir,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    },
  );
  if (result.status !== 0 || !existsSync(cli)) {
    process.stderr.write(
      'vexport: the build failed (see above). Run `npm run build` at the repository root, then try again.\n',
    );
    process.exit(1);
  }
}

if (!existsSync(cli)) build();
await import(pathToFileURL(cli).href);
