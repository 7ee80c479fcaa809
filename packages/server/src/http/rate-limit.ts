import type { RequestHandler } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from './problem.js';
import { currentUser } from './request-context.js';

const HOUR_MS = 60 * 60 * 1000;

/** 429 with the seconds until the next attempt can succeed. */
export class RateLimitedError extends AppError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many requests', { detail, retryAfterSeconds });
  }
}

/**
 * At most `perHour` export creations per user per hour, counted in Redis so the limit holds across every
 * API process. Sends `RateLimit-Limit/Remaining/Reset` headers; over the limit, a 429 problem.
 */
export function exportCreationLimit(redis: Redis, perHour: number): RequestHandler {
  return rateLimit({
    windowMs: HOUR_MS,
    limit: perHour,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    keyGenerator: (request) => currentUser(request).userId,
    store: new RedisStore({
      prefix: 'vexport:rate:export-create:',
      sendCommand: (command: string, ...args: string[]) =>
        redis.call(command, ...args) as Promise<RedisReply>,
    }),
    passOnStoreError: false,
    handler: (request, _response, next) => {
      const info = (request as typeof request & { rateLimit?: RateLimitInfo }).rateLimit;
      const resetTime = info?.resetTime?.getTime() ?? Date.now() + HOUR_MS;
      const retryAfterSeconds = Math.max(1, Math.ceil((resetTime - Date.now()) / 1000));
      next(
        new RateLimitedError(
          `At most ${perHour} exports can be started per hour. Try again in ${Math.ceil(retryAfterSeconds / 60)} min.`,
          retryAfterSeconds,
        ),
      );
    },
  });
}
