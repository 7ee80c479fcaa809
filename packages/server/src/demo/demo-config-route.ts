import type { RequestHandler } from 'express';
import { DEFAULT_DEVELOPMENT_TOKEN_LIFETIME_SECONDS, signDevelopmentToken } from '../auth/dev-token.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../auth/token-rules.js';
import type { AuthConfig } from '../config.js';
import { isLoopbackAddress, isLoopbackHostName } from '../http/loopback.js';
import { AppError } from '../http/problem.js';

/** The name part of a Host header (`localhost`, `127.0.0.1`, `[::1]`), without its port. */
function hostName(host: string | undefined): string {
  if (!host) return '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

export interface DemoConfigOptions {
  /** The API's token settings: the secret signs the demo's tokens, which must pass the API's own checks. */
  auth: AuthConfig;
  /** The user the demo page acts as. */
  user: string;
}

/**
 * `GET /demo-config.json`: plays a host app's backend for the demo page under `npm start`, minting a fresh
 * development token per request (12 hours, or the API's maximum lifetime if shorter). Only for a client on
 * this machine, judged by the socket's own peer address (never by X-Forwarded-For): anyone who can reach this
 * route gets a working token.
 */
export function demoConfigRoute({ auth, user }: DemoConfigOptions): RequestHandler {
  const secret = auth.secret;
  if (!secret) throw new TypeError('demoConfigRoute: the demo needs JWT_SECRET to mint its tokens');
  const maxLifetimeSeconds = auth.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const expiresIn = Math.min(DEFAULT_DEVELOPMENT_TOKEN_LIFETIME_SECONDS, maxLifetimeSeconds);
  return (request, response) => {
    // the socket says who connected; the Host says which name the page used: a page on a name that
    // resolves to 127.0.0.1 (DNS rebinding) would otherwise be same-origin with the API and read the token
    if (
      !isLoopbackAddress(request.socket.remoteAddress) ||
      !isLoopbackHostName(hostName(request.headers.host))
    ) {
      throw new AppError(403, 'forbidden', 'Forbidden', {
        detail: 'The demo configuration is only handed to a browser on the machine that runs the API.',
      });
    }
    const token = signDevelopmentToken({
      user,
      secret,
      expiresIn,
      maxLifetimeSeconds,
      issuer: auth.issuer,
      audience: auth.audience,
    });
    response.set('Cache-Control', 'no-store').json({ apiBase: '', token });
  };
}
