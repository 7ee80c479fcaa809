import { RedisKeys } from '@vexport/sdk';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type RateLimitInfo, type RateLimitRequestHandler, type Store } from 'express-rate-limit';
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

/** What a limit tells the client in its `RateLimit-*` headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * Sets the `RateLimit-Limit/Remaining/Reset` headers (IETF draft 6, as express-rate-limit sends them) for
 * the limits we count ourselves, so every limit of the API answers alike.
 */
export function setRateLimitHeaders(
  response: Response,
  { limit, remaining, resetSeconds }: RateLimitState,
): void {
  response.setHeader('RateLimit-Limit', String(limit));
  response.setHeader('RateLimit-Remaining', String(Math.max(0, remaining)));
  response.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(resetSeconds))));
}

/**
 * At most `perHour` export creations per user per hour, counted in Redis so the limit holds across every
 * API process. Only accepted creations count: a refused one (unknown video, video not ready, segment out of
 * range) is given back. Sends `RateLimit-*` headers; over the limit, a 429 problem.
 */
export function exportCreationLimit(redis: Redis, perHour: number): RequestHandler {
  const store = redisStore(redis, RedisKeys.exportCreateRatePrefix);
  const limiter = hourlyLimitPerUser(
    store,
    perHour,
    (minutes) => `At most ${perHour} exports can be started per hour. Try again in ${minutes} min.`,
  );
  return countOnlyAccepted(limiter, store);
}

/**
 * At most `perHour` video registrations (uploads and URL or storage-key registrations, each of which starts a
 * probe) per user per hour, across every API process. Every attempt counts, refused ones too: reading an
 * upload costs as much whether or not it ends well. Checked before the request body is read.
 */
export function videoRegistrationLimit(redis: Redis, perHour: number): RequestHandler {
  return hourlyLimitPerUser(
    redisStore(redis, RedisKeys.videoCreateRatePrefix),
    perHour,
    (minutes) => `At most ${perHour} videos can be added per hour. Try again in ${minutes} min.`,
  );
}

function redisStore(redis: Redis, prefix: string): RedisStore {
  return new RedisStore({
    prefix,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

function rateLimitInfo(request: Request): RateLimitInfo | undefined {
  return (request as Request & { rateLimit?: RateLimitInfo }).rateLimit;
}

function hourlyLimitPerUser(
  store: Store,
  perHour: number,
  describe: (minutesToWait: number) => string,
): RateLimitRequestHandler {
  return rateLimit({
    windowMs: HOUR_MS,
    limit: perHour,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    keyGenerator: (request) => currentUser(request).userId,
    store,
    passOnStoreError: false,
    handler: (request, _response, next) => {
      const resetTime = rateLimitInfo(request)?.resetTime?.getTime() ?? Date.now() + HOUR_MS;
      const retryAfterSeconds = Math.max(1, Math.ceil((resetTime - Date.now()) / 1000));
      next(new RateLimitedError(describe(Math.ceil(retryAfterSeconds / 60)), retryAfterSeconds));
    },
  });
}

/**
 * Gives a counted request back when its answer turns out to be a refusal (any status from 400), so that only
 * accepted requests use up the limit. Thrown errors reach the response through the error handler, so the
 * status is known once the answer is written (`finish`). A request whose client went away before its answer
 * keeps counting, since the work it asked for may still have been done (express-rate-limit's
 * `skipFailedRequests` gives those back too, which would let a client that hangs up create for free).
 */
function countOnlyAccepted(limiter: RateLimitRequestHandler, store: Store): RequestHandler {
  return (request, response, next) =>
    limiter(request, response, (error?: unknown) => {
      const info = rateLimitInfo(request);
      if (error === undefined && info) {
        response.once('finish', () => {
          if (response.statusCode < 400) return;
          // once the window that counted it is over, there is nothing left to give back
          if (info.resetTime && Date.now() >= info.resetTime.getTime()) return;
          // if Redis cannot take it back, the refusal keeps counting: the safe side of a limit
          Promise.resolve()
            .then(() => store.decrement(info.key))
            .catch(() => undefined);
        });
      }
      next(error);
    });
}
