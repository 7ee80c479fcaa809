import { RedisKeys } from '@vexport/sdk';
import { describeByteLimit } from '@vexport/storage';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from './problem.js';
import { RateLimitedError, setRateLimitHeaders } from './rate-limit.js';

// a day key only has to outlive its day (plus clock differences between processes)
const DAY_KEY_TTL_SECONDS = 2 * 24 * 60 * 60;

interface Reservation {
  key: string;
  bytes: number;
  /** What was left of the day before this upload. */
  left: number;
  /** Whether the daily allowance, not the per-upload limit, set `bytes`. */
  cutByAllowance: boolean;
}

/**
 * How many bytes each user may upload per UTC day, counted in Redis across every API process. An upload
 * first reserves what it may store (the per-upload limit, the request's Content-Length when smaller, and no
 * more than is left of the day), so concurrent uploads cannot together pass the allowance; once stored, the
 * reservation becomes the stored size, and a failed upload gives it back.
 */
export class UploadAllowance {
  readonly #redis: Redis;
  readonly #bytesPerDay: number;

  constructor(redis: Redis, bytesPerDay: number) {
    this.#redis = redis;
    this.#bytesPerDay = bytesPerDay;
  }

  /**
   * Runs `store` with a byte cap (a file reaching it is refused with a 413) from the user's allowance of the
   * day and counts what it stored. A user with nothing left gets a 429 before `store` reads anything; an
   * upload cut off by the allowance (its 413) becomes a 429 too. Either way `response` carries the
   * allowance's `RateLimit-*` headers.
   */
  async storeWithin<Stored extends { size: number }>(
    userId: string,
    request: Request,
    response: Response,
    maxBytes: number,
    store: (capBytes: number) => Promise<Stored>,
  ): Promise<Stored> {
    const now = new Date();
    const reservation = await this.#reserve(userId, now, wantedBytes(request, maxBytes));
    if (reservation.left <= 0) throw this.#refuse(response, now, 0);
    let stored: Stored;
    try {
      // `store` refuses a file that reaches its cap (as with UPLOAD_MAX_BYTES); one of exactly what is left fits
      stored = await store(reservation.cutByAllowance ? reservation.bytes + 1 : reservation.bytes);
    } catch (error) {
      await this.#giveBack(reservation.key, reservation.bytes);
      if (reservation.cutByAllowance && error instanceof AppError && error.status === 413) {
        throw this.#refuse(response, now, await this.#left(reservation.key));
      }
      throw error;
    }
    await this.#giveBack(reservation.key, reservation.bytes - stored.size);
    return stored;
  }

  async #reserve(userId: string, now: Date, wanted: number): Promise<Reservation> {
    const key = RedisKeys.uploadBytes(userId, now.toISOString().slice(0, 10));
    const [incremented] =
      (await this.#redis.multi().incrby(key, wanted).expire(key, DAY_KEY_TTL_SECONDS).exec()) ?? [];
    if (!incremented || incremented[0]) throw incremented?.[0] ?? new Error('upload bytes were not counted');
    // what others had counted or reserved before us decides how much of ours fits
    const left = this.#bytesPerDay - (Number(incremented[1]) - wanted);
    const bytes = Math.max(0, Math.min(wanted, left));
    await this.#giveBack(key, wanted - bytes);
    return { key, bytes, left, cutByAllowance: bytes < wanted };
  }

  async #left(key: string): Promise<number> {
    const used = Number((await this.#redis.get(key).catch(() => null)) ?? 0);
    return this.#bytesPerDay - used;
  }

  async #giveBack(key: string, bytes: number): Promise<void> {
    if (bytes <= 0) return;
    // if Redis cannot take them back, the bytes stay counted until the day ends: the safe side of a limit
    await this.#redis.decrby(key, bytes).catch(() => undefined);
  }

  #refuse(response: Response, now: Date, left: number): RateLimitedError {
    const resetSeconds = secondsUntilNextUtcDay(now);
    setRateLimitHeaders(response, { limit: this.#bytesPerDay, remaining: left, resetSeconds });
    const allowance = describeByteLimit(this.#bytesPerDay);
    const renews = `It renews at midnight UTC, in ${Math.ceil(resetSeconds / 3600)} h.`;
    return new RateLimitedError(
      left > 0
        ? `This file is larger than the ${describeByteLimit(left)} left of your ${allowance} upload allowance for today. ${renews}`
        : `You have used your ${allowance} upload allowance for today. ${renews}`,
      resetSeconds,
    );
  }
}

/** The most an upload can store: the per-upload limit, or less when the request says its body is smaller. */
function wantedBytes(request: Request, maxBytes: number): number {
  const declared = Number(request.get('content-length'));
  return Number.isSafeInteger(declared) && declared >= 0 ? Math.min(maxBytes, declared) : maxBytes;
}

function secondsUntilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}
