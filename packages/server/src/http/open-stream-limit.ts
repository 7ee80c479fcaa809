import { randomUUID } from 'node:crypto';
import { RedisKeys } from '@vexport/sdk';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimitedError, setRateLimitHeaders } from './rate-limit.js';

const REFRESH_MS = 15_000;
// a stream not refreshed for this long belongs to a process that died (or lost Redis): it no longer counts
const STALE_AFTER_MS = 3 * REFRESH_MS;
const RETRY_AFTER_SECONDS = 15;

/**
 * At most `perUser` open progress streams per user across every API process. Each open stream is a member of
 * the user's sorted set in Redis, scored by when its process last vouched for it; each process refreshes its
 * own streams every 15 s, and members left by a process that died are pruned when the next stream opens.
 */
export class OpenStreamLimit {
  readonly #redis: Redis;
  readonly #perUser: number;
  readonly #processId = randomUUID();
  /** This process's open streams: member → the user's key. */
  readonly #open = new Map<string, string>();
  #refresher: NodeJS.Timeout | undefined;

  constructor(redis: Redis, perUser: number) {
    this.#redis = redis;
    this.#perUser = perUser;
  }

  /**
   * Takes one of the user's stream slots until `response` closes, and sets its `RateLimit-*` headers. Throws a
   * 429 when the user already has `perUser` streams open.
   */
  async acquire(userId: string, response: Response): Promise<void> {
    const key = RedisKeys.openStreams(userId);
    const member = `${this.#processId}:${randomUUID()}`;
    const now = Date.now();
    const results = await this.#redis
      .multi()
      .zremrangebyscore(key, '-inf', now - STALE_AFTER_MS)
      .zadd(key, now, member)
      .zcard(key)
      .pexpire(key, STALE_AFTER_MS)
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw failed ?? new Error('the open stream was not counted');
    const open = Number(results[2]![1]);
    setRateLimitHeaders(response, {
      limit: this.#perUser,
      remaining: this.#perUser - open,
      resetSeconds: RETRY_AFTER_SECONDS,
    });
    if (open > this.#perUser) {
      await this.#redis.zrem(key, member).catch(() => undefined);
      throw new RateLimitedError(
        `At most ${this.#perUser} progress streams can be open at once. Close one, or try again shortly.`,
        RETRY_AFTER_SECONDS,
      );
    }
    this.#open.set(member, key);
    this.#refresher ??= setInterval(() => void this.#refresh(), REFRESH_MS).unref();
    const release = () => this.#release(member, key);
    response.once('close', release);
    // the client may have gone while the slot was being taken: its 'close' has been and gone
    if (response.closed) release();
  }

  #release(member: string, key: string): void {
    if (!this.#open.delete(member)) return;
    if (this.#open.size === 0) {
      clearInterval(this.#refresher);
      this.#refresher = undefined;
    }
    // if Redis is away, the member goes stale and is pruned later
    this.#redis.zrem(key, member).catch(() => undefined);
  }

  async #refresh(): Promise<void> {
    const now = Date.now();
    const pipeline = this.#redis.pipeline();
    // XX: a stream released meanwhile must not come back
    for (const [member, key] of this.#open)
      pipeline.zadd(key, 'XX', now, member).pexpire(key, STALE_AFTER_MS);
    await pipeline.exec().catch(() => undefined);
  }
}
