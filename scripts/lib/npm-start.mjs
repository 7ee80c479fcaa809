// Runs `npm start` as a person does in a terminal: from a shell without the test services' variables, in
// its own process group, stopped with Ctrl-C (SIGINT to the whole group, as a terminal sends it).
import { spawn } from 'node:child_process';

const TOKEN_LINE = /development token[^\n]*\n\s*(\S+\.\S+\.\S+)/;

/** The environment of a fresh shell: none of the test services' variables, so every default is embedded. */
export function cleanEnv(extra = {}) {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...extra };
}

/**
 * Starts `npm start` in `cwd` with `env` added to a clean environment. `ready` resolves once it prints that
 * it is ready (and rejects if it exits first); `token()` is the development token it printed.
 */
export function startNpmStart({ cwd, env = {}, timeoutMs = 240_000 }) {
  const child = spawn('npm', ['start'], {
    cwd,
    env: cleanEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const ready = new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      if (output.includes('ready on')) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`npm start was not ready after ${timeoutMs / 1000} s:\n${output}`));
      }
    }, 100);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return {
    ready,
    exited,
    output: () => output,
    token: () => TOKEN_LINE.exec(output)?.[1],
    /** Ctrl-C; resolves once npm has exited (with its code, or the signal it ended itself with). */
    async interrupt() {
      try {
        process.kill(-child.pid, 'SIGINT');
      } catch {
        // already gone
      }
      return exited;
    },
  };
}
