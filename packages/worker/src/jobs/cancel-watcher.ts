import { RedisKeys } from '@vexport/sdk';
import type { Redis } from 'ioredis';

/** The reason a running export's signal carries when its user cancelled it. */
export class ExportCancelledError extends Error {
  override name = 'ExportCancelledError';

  constructor() {
    super('The export was cancelled.');
  }
}

/**
 * Turns cancellations into AbortSignals for the exports this worker runs: one Redis subscription for the
 * whole process, plus a look at `export_cancel:{id}` when an export starts (a cancel sent before it ran).
 */
export class CancelWatcher {
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  /** Several runs may watch one export: the pieces of a chunked export that one worker runs at once. */
  readonly #running = new Map<string, Set<AbortController>>();
  #subscribed: Promise<unknown> | undefined;

  constructor(redis: Redis) {
    this.#redis = redis;
    this.#subscriber = redis.duplicate();
    this.#subscriber.on('error', () => undefined);
    this.#subscriber.on('message', (_channel: string, exportId: string) => {
      for (const controller of this.#running.get(exportId) ?? [])
        controller.abort(new ExportCancelledError());
    });
  }

  /** A signal that aborts when the export is cancelled; call the returned `release` when it ends. */
  async watch(exportId: string): Promise<{ signal: AbortSignal; release: () => void }> {
    this.#subscribed ??= this.#subscriber.subscribe(RedisKeys.exportCancelChannel);
    await this.#subscribed;
    const controller = new AbortController();
    const watchers = this.#running.get(exportId) ?? new Set<AbortController>();
    watchers.add(controller);
    this.#running.set(exportId, watchers);
    if ((await this.#redis.exists(RedisKeys.exportCancel(exportId))) === 1)
      controller.abort(new ExportCancelledError());
    return {
      signal: controller.signal,
      release: () => {
        watchers.delete(controller);
        if (watchers.size === 0 && this.#running.get(exportId) === watchers) this.#running.delete(exportId);
      },
    };
  }

  async close(): Promise<void> {
    for (const watchers of this.#running.values())
      for (const controller of watchers) controller.abort(new Error('worker shutting down'));
    await this.#subscriber.quit().catch(() => undefined);
  }
}
