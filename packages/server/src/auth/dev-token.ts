import jwt from 'jsonwebtoken';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, SUBJECT_RULE, isUsableSubject } from './token-rules.js';

/** Lifetime of a development token unless another is asked for: 12 hours, within the API's default maximum. */
export const DEFAULT_DEVELOPMENT_TOKEN_LIFETIME_SECONDS = 43_200;

export interface DevelopmentTokenOptions {
  /** The user the token speaks for (its `sub`). */
  user: string;
  secret: string;
  /** Lifetime, e.g. "12h" or a number of seconds; 12 hours when unset. */
  expiresIn?: string | number;
  /** The longest lifetime the API accepts (its JWT_MAX_LIFETIME_SECONDS): a longer one is refused. */
  maxLifetimeSeconds?: number;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** Thrown for a development token the API would refuse; the message says what to change. */
export class DevelopmentTokenError extends Error {
  override name = 'DevelopmentTokenError';
}

/**
 * An HS256 token such as a host app's backend would mint for its end user. For development and tests;
 * production host apps sign their own. Refuses to mint what the API would refuse: a subject that is not 1-255
 * printable characters, or a lifetime over `maxLifetimeSeconds`.
 */
export function signDevelopmentToken({
  user,
  secret,
  expiresIn = DEFAULT_DEVELOPMENT_TOKEN_LIFETIME_SECONDS,
  maxLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  issuer,
  audience,
}: DevelopmentTokenOptions): string {
  if (!isUsableSubject(user)) throw new DevelopmentTokenError(SUBJECT_RULE);
  let token: string;
  try {
    token = jwt.sign({}, secret, {
      algorithm: 'HS256',
      subject: user,
      expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
      ...(issuer && { issuer }),
      ...(audience && { audience }),
    });
  } catch (error) {
    if (!/expiresIn/.test((error as Error).message)) throw error;
    throw new DevelopmentTokenError(
      `"${expiresIn}" is not a lifetime: give seconds, or a span such as "30m" or "12h".`,
    );
  }
  const { iat, exp } = jwt.decode(token) as jwt.JwtPayload;
  const lifetime = exp! - iat!;
  if (lifetime <= 0) throw new DevelopmentTokenError(`A lifetime of ${expiresIn} has already ended.`);
  if (lifetime > maxLifetimeSeconds) {
    throw new DevelopmentTokenError(
      `A lifetime of ${expiresIn} (${lifetime} s) is longer than the API accepts (JWT_MAX_LIFETIME_SECONDS=${maxLifetimeSeconds}): ask for a shorter one, or raise JWT_MAX_LIFETIME_SECONDS for the API and here.`,
    );
  }
  return token;
}
