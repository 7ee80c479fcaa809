import type { Request } from 'express';

/** Who made an authenticated request: our user id and the host app's id for them (the JWT `sub`). */
export interface AuthenticatedUser {
  userId: string;
  externalId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the authenticate middleware on every /api route. */
    auth?: AuthenticatedUser;
  }
}

/** The authenticated user of a request behind the authenticate middleware. */
export function currentUser(request: Request): AuthenticatedUser {
  if (!request.auth) throw new Error('currentUser() called on a route without authentication');
  return request.auth;
}
