// A redis-server child on 127.0.0.1, with its files under a folder of ours.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { SetupError } from './log.mjs';
import {
  ManagedProcess,
  isProcessAlive,
  processCommandLine,
  terminateProcess,
  waitFor,
} from './processes.mjs';

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/** Stops a redis-server that an earlier run left behind in the same folder. */
async function stopLeftoverServer(pidFile) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (isProcessAlive(pid) && processCommandLine(pid).includes('redis-server')) await terminateProcess(pid);
}

/**
 * Starts redis-server on 127.0.0.1:`port`. With `persistent`, an append-only file under `dir` keeps queued
 * jobs across restarts. Resolves to `{ url, stop() }`.
 */
export async function startRedis({ dir, port, persistent }) {
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'redis.pid');
  await stopLeftoverServer(pidFile);
  const recentLines = [];
  const server = new ManagedProcess(
    'redis',
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--pidfile',
      pidFile,
      '--daemonize',
      'no',
      '--save',
      '',
      '--appendonly',
      persistent ? 'yes' : 'no',
      '--loglevel',
      'warning',
    ],
    { quiet: true, onLine: (line) => recentLines.push(line) },
  );
  const exitedEarly = { failed: undefined };
  server.exited.then(() => {
    exitedEarly.failed = new SetupError(`redis-server stopped while starting:\n${recentLines.join('\n')}`);
  });
  await waitFor(() => ping(port), {
    timeoutMs: 15_000,
    abortOn: exitedEarly,
    message: `redis-server did not answer on port ${port}`,
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: server.pid,
    exited: server.exited,
    stop: () => server.stop({ signal: 'SIGTERM', graceMs: 10_000 }),
  };
}
