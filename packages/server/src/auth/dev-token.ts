import jwt from 'jsonwebtoken';

export interface DevelopmentTokenOptions {
  /** The user the token speaks for (its `sub`). */
  user: string;
  secret: string;
  /** Lifetime, e.g. "12h" or a number of seconds. */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
}

/**
 * An HS256 token such as a host app's backend would mint for its end user. For development and tests;
 * production host apps sign their own.
 */
export function signDevelopmentToken({
  user,
  secret,
  expiresIn = '12h',
  issuer,
  audience,
}: DevelopmentTokenOptions): string {
  return jwt.sign({}, secret, {
    algorithm: 'HS256',
    subject: user,
    expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
    ...(issuer && { issuer }),
    ...(audience && { audience }),
  });
}
