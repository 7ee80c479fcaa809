import { RedisKeys } from '@vexport/sdk';
import type { Redis } from 'ioredis';
import type { OwnedProgress } from './progress-store.js';

type Listener = (progress: OwnedProgress) => void;

/**
 * Fans progress messages out to the SSE streams of this process over one Redis subscriber connection:
 * a channel is subscribed while at least one stream watches its export.
 */
export class ProgressEventHub {
  readonly #subscriber: Redis;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #closers = new Set<() => void>();

  constructor(redis: Redis) {
    this.#subscriber = redis.duplicate();
    this.#subscriber.on('error', () => undefined);
    this.#subscriber.on('message', (channel: string, message: string) => {
      const listeners = this.#listeners.get(channel);
      if (!listeners) return;
      let progress: OwnedProgress;
      try {
        progress = JSON.parse(message) as OwnedProgress;
      } catch {
        return;
      }
      for (const listener of listeners) listener(progress);
    });
  }

  /** Calls `listener` with each progress update of the export; resolves to a function that stops it. */
  async subscribe(exportId: string, listener: Listener): Promise<() => void> {
    const channel = RedisKeys.exportProgressChannel(exportId);
    let listeners = this.#listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
      await this.#subscriber.subscribe(channel);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners.get(channel) === listeners) {
        this.#listeners.delete(channel);
        this.#subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  /** Registers a way to end an open stream when the process shuts down; returns its removal. */
  trackStream(close: () => void): () => boolean {
    this.#closers.add(close);
    return () => this.#closers.delete(close);
  }

  /** How many streams are open in this process. */
  get openStreams(): number {
    return this.#closers.size;
  }

  /** Ends every open stream and the subscriber connection. */
  async close(): Promise<void> {
    for (const close of [...this.#closers]) close();
    this.#listeners.clear();
    await this.#subscriber.quit().catch(() => undefined);
  }
}
