import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive } from './processes.mjs';

/** Thrown when another live process holds the lock; `holder` is what it wrote. */
export class LockHeldError extends Error {
  constructor(holder) {
    super(`lock held by pid ${holder.pid}`);
    this.holder = holder;
  }
}

/**
 * Takes the lock file at `path` for this process, or throws LockHeldError when a live process holds it.
 * A lock left by a dead process is taken over. Returns a function that releases it.
 * `details` are stored beside the pid so the next caller can say what is running.
 */
export function acquireRunLock(path, details = {}) {
  mkdirSync(dirname(path), { recursive: true });
  const record = { pid: process.pid, started_at: new Date().toISOString(), ...details };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, JSON.stringify(record), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = readLockHolder(path);
      if (holder && isProcessAlive(holder.pid)) throw new LockHeldError(holder);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

/** What the lock file says about its holder, or undefined when it is unreadable. */
export function readLockHolder(path) {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8'));
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}
