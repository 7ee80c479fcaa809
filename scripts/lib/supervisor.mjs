// Keeps `npm start`'s own processes (API, worker) running: one that dies is started again after a pause
// that doubles with each quick failure, so a crash loop cannot spin the machine, and one bad request that
// kills a process no longer stops the whole system.
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from './log.mjs';

/** The pause before restart number `failures` (1, 2, …): 1 s, 2 s, 4 s … at most `maxMs`. */
export function restartDelayMs(failures, { minMs = 1_000, maxMs = 30_000 } = {}) {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, failures - 1));
}

/**
 * A process started by `start()` (which returns a ManagedProcess) and started again whenever it exits
 * without `stop()` having been called. A run that lasted `stableMs` resets the pause to its minimum.
 */
export class SupervisedProcess {
  #start;
  #options;
  #current;
  #stopped = false;
  #wake = () => {};
  restarts = 0;

  constructor(name, start, { minMs = 1_000, maxMs = 30_000, stableMs = 60_000, stopGraceMs } = {}) {
    this.name = name;
    this.#start = start;
    this.#options = { minMs, maxMs, stableMs, stopGraceMs };
    this.#current = start();
    this.done = this.#keepRunning();
  }

  /** The process running now. */
  get current() {
    return this.#current;
  }

  async #keepRunning() {
    let failures = 0;
    while (!this.#stopped) {
      const startedAt = Date.now();
      const { code, signal } = await this.#current.exited;
      if (this.#stopped) return;
      failures = Date.now() - startedAt >= this.#options.stableMs ? 1 : failures + 1;
      const delayMs = restartDelayMs(failures, this.#options);
      log.warn(`the ${this.name} stopped (exit ${code ?? signal}); starting it again in ${delayMs / 1000} s`);
      await Promise.race([sleep(delayMs), new Promise((resolve) => (this.#wake = resolve))]);
      if (this.#stopped) return;
      this.restarts += 1;
      this.#current = this.#start();
    }
  }

  /** Stops the process and the supervision, giving it `stopGraceMs` (if set) to finish. */
  async stop() {
    this.#stopped = true;
    this.#wake();
    const { stopGraceMs } = this.#options;
    await this.#current.stop(stopGraceMs === undefined ? undefined : { graceMs: stopGraceMs });
  }
}
