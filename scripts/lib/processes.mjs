import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when a process with this pid exists. */
export function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Sends `signal`, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function terminateProcess(pid, { signal = 'SIGTERM', graceMs = 10_000 } = {}) {
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isProcessAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isProcessAlive(pid)) await sleep(20);
  }
}

/**
 * A child process whose output lines are prefixed with its name. It gets its own process group, so a
 * Ctrl-C in the terminal reaches only the supervisor, which stops the children in order.
 */
export class ManagedProcess {
  #child;
  #exited;

  constructor(name, command, args, options = {}) {
    this.name = name;
    this.#child = spawn(command, args, {
      ...options,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.#child.pid;
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => resolve({ code, signal }));
      this.#child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    const prefix = `[${name}] `;
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          options.onLine?.(line);
          if (!options.quiet) process.stdout.write(prefix + line + '\n');
        }
      });
    }
  }

  /** Resolves with `{ code, signal }` once the process has exited. */
  get exited() {
    return this.#exited;
  }

  /**
   * Asks the process to stop, then kills it after `graceMs`, with everything it started (its process group:
   * a worker killed alone would leave its ffmpeg running).
   */
  async stop({ signal = 'SIGTERM', graceMs = 10_000 } = {}) {
    const timer = setTimeout(() => this.#killGroup(), graceMs);
    this.#child.kill(signal);
    await this.#exited;
    clearTimeout(timer);
  }

  #killGroup() {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      this.#child.kill('SIGKILL');
    }
  }
}

/** Polls `check` until it returns true, or throws `message` after `timeoutMs`. */
export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 100, message, abortOn } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (abortOn?.failed) throw abortOn.failed;
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(message ?? 'timed out');
    await sleep(intervalMs);
  }
}

/** The command line of a live process (Linux /proc), or '' when it cannot be read. */
export function processCommandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
