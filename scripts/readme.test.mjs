// The README's configuration table against the code: every environment variable the API, the worker, the
// `vexport` CLI and `npm start` read is in the table, and every variable in the table is read by each
// program its "Used by" column names. The variables are found in the code itself: the API's and the
// worker's configuration loaders are run over an environment that records what they read, and the CLI and
// `npm start` scripts are read for `process.env.X` and `env.X`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Variables of the operating system and terminal that the scripts honour; no row of ours describes them. */
const SYSTEM_VARIABLES = new Set(['PATH', 'NO_COLOR']);

/** The configuration table's rows: each variable with the programs its "Used by" column names. */
function readmeTable() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  const table = new Map();
  for (const row of rows) {
    const [names, usedBy] = row.split('|').slice(1, 3);
    const programs = usedBy.split(',').map((name) => name.replaceAll('`', '').trim());
    for (const [, name] of names.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) table.set(name, programs);
  }
  return table;
}

/** The names an environment-reading function reads, over each of the given environments. */
async function namesRead(load, environments) {
  const names = new Set();
  for (const values of environments) {
    const env = new Proxy(values, {
      get(target, name) {
        if (typeof name === 'string' && /^[A-Z][A-Z0-9_]*$/.test(name)) names.add(name);
        return target[name];
      },
    });
    load(env);
  }
  return names;
}

const SOURCE_IMPORT = /(?:\bfrom|\bimport\()\s*'(\.{1,2}\/[^']+)'/g;
const ENV_READ = /(?:\bprocess\.env|(?<![\w.])env)\.([A-Z][A-Z0-9_]*)/g;

/** `process.env.X` and `env.X` in a source file and every file it imports by a relative path. */
function sourceEnvReads(entry) {
  const names = new Set();
  const seen = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, name] of text.matchAll(ENV_READ)) names.add(name);
    for (const [, specifier] of text.matchAll(SOURCE_IMPORT)) {
      const target = resolve(dirname(file), specifier);
      // TypeScript sources import each other by their built name (`./x.js` is `./x.ts`)
      const typescript = target.replace(/\.js$/, '.ts');
      pending.push(existsSync(typescript) ? typescript : target);
    }
  }
  return names;
}

async function readsByProgram() {
  const { loadServerConfig } = await import('../packages/server/dist/index.js');
  const { loadWorkerConfig } = await import('../packages/worker/dist/index.js');
  const { readStorageConfig } = await import('../packages/storage/dist/index.js');
  const services = { DATABASE_URL: 'postgres://db/vexport', REDIS_URL: 'redis://redis:6379' };
  // one environment per storage driver, since each reads its own variables
  const storages = [{ STORAGE_DIR: '/var/lib/vexport' }, { S3_BUCKET: 'exports' }];
  const secret = { JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters' };
  return {
    API: await namesRead(
      loadServerConfig,
      storages.map((storage) => ({ ...services, ...secret, ...storage })),
    ),
    worker: await namesRead(
      loadWorkerConfig,
      storages.map((storage) => ({ ...services, ...storage })),
    ),
    CLI: sourceEnvReads(join(root, 'packages/server/src/cli.ts')),
    'npm start': sourceEnvReads(join(root, 'scripts/start.mjs')),
    storage: await namesRead(readStorageConfig, storages),
  };
}

describe('README configuration table', () => {
  it('lists every environment variable the API, worker, CLI and npm start read', async () => {
    const table = readmeTable();
    const programs = await readsByProgram();
    const missing = Object.entries(programs).flatMap(([program, names]) =>
      [...names]
        .filter((name) => !table.has(name) && !SYSTEM_VARIABLES.has(name))
        .map((name) => `${name} (read by ${program})`),
    );
    expect(missing).toEqual([]);
  });

  it('lists only variables that the programs in its "Used by" column read', async () => {
    const table = readmeTable();
    const programs = await readsByProgram();
    const unread = [...table].flatMap(([name, usedBy]) =>
      usedBy
        .filter((program) => !programs[program]?.has(name))
        .map((program) => `${name} (the table says ${program})`),
    );
    expect(unread).toEqual([]);
  });

  it('names the API, worker and CLI in "Used by" for each of their own settings', async () => {
    const table = readmeTable();
    const programs = await readsByProgram();
    // the API and the worker read the storage settings through one shared loader; the table says which
    // program each of them matters to
    const own = (program) => [...programs[program]].filter((name) => !programs.storage.has(name));
    const unnamed = ['API', 'worker', 'CLI'].flatMap((program) =>
      own(program)
        .filter((name) => table.has(name) && !table.get(name).includes(program))
        .map((name) => `${name} (read by ${program})`),
    );
    expect(unnamed).toEqual([]);
  });
});
