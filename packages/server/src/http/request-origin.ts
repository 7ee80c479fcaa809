import type { Request } from 'express';

/** The origin the client used to reach the API (behind a proxy, with TRUST_PROXY set). */
export function requestOrigin(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}
