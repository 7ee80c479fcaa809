import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for the origins that embed the widget (`*` for any). Without configured origins the API answers
 * same-origin pages only. Exposes the headers the SDK reads.
 */
export function corsForOrigins(origins: readonly string[]): RequestHandler {
  return cors({
    origin: origins.includes('*') ? true : [...origins],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
    exposedHeaders: [
      'Location',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Idempotent-Replayed',
    ],
    maxAge: 600,
  });
}
