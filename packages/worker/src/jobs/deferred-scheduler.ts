import type { Logger } from 'pino';
import type { ExportSlots } from './export-slots.js';

/** Queues an export job; resolves false when a job for it still exists (it is then deferred again). */
export type EnqueueExport = (exportId: string) => Promise<boolean>;

/**
 * Starts deferred exports once the concurrency limits allow: on a timer (which also covers slots freed by
 * workers that died) and right after a slot is released here. Any number of workers may run it at once:
 * claiming a deferred export is atomic in Redis.
 */
export class DeferredScheduler {
  readonly #slots: ExportSlots;
  readonly #enqueue: EnqueueExport;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(slots: ExportSlots, enqueue: EnqueueExport, logger: Logger) {
    this.#slots = slots;
    this.#enqueue = enqueue;
    this.#logger = logger;
  }

  /** Queues the deferred exports that may start now; resolves to how many were queued. */
  sweep(): Promise<number> {
    this.#running ??= this.#sweepOnce().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #sweepOnce(): Promise<number> {
    let queued = 0;
    for (const { exportId, userId } of await this.#slots.takeReady(10)) {
      const created = await this.#enqueue(exportId).catch(() => false);
      if (created) queued += 1;
      else await this.#slots.defer(exportId, userId);
    }
    if (queued > 0) this.#logger.debug({ queued }, 'deferred exports queued');
    return queued;
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.sweep().catch(() => undefined), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
