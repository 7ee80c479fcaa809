import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwksRsa from 'jwks-rsa';
import { Passport } from 'passport';
import {
  ExtractJwt,
  Strategy as JwtStrategy,
  type SecretOrKeyProvider,
  type StrategyOptionsWithoutRequest,
} from 'passport-jwt';
import {
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  SUBJECT_RULE,
  isUsableSubject,
} from '../auth/token-rules.js';
import type { AuthConfig } from '../config.js';
import type { UserDirectory } from '../users/user-directory.js';
import { AppError } from './problem.js';
import { VerifiedTokens } from './verified-tokens.js';

const STRATEGY = 'vexport-jwt';
/** A verified token is taken again without verification for at most this long (and never past its `exp`). */
const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;
const VERIFIED_TOKENS_REMEMBERED = 10_000;
const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/** 401 with a `WWW-Authenticate` challenge naming what was wrong with the token. */
export class UnauthorizedError extends AppError {
  constructor(detail: string) {
    super(401, 'unauthorized', 'Unauthorized', { detail });
  }
}

/**
 * The verification key as a KeyObject, made once. Given a string, jsonwebtoken builds a KeyObject on every
 * verify, first trying the string as a public key, which throws for an HMAC secret: about half a
 * millisecond of CPU per request, the largest single cost of a cheap request.
 */
function keyObjectFor(material: string, symmetric: boolean): KeyObject {
  return symmetric ? createSecretKey(Buffer.from(material)) : createPublicKey(material);
}

/** Distinct JWKS keys remembered as KeyObjects (a key set holds a few; rotation adds one now and then). */
const JWKS_KEY_CACHE_LIMIT = 32;

/** A passport-jwt key provider that hands jsonwebtoken KeyObjects made once per distinct key. */
function keyObjectProvider(provide: SecretOrKeyProvider, symmetric: boolean): SecretOrKeyProvider {
  const made = new Map<string, KeyObject>();
  return (request, rawJwtToken, done) =>
    provide(request, rawJwtToken, (error, key) => {
      if (error || !key) return done(error, key);
      const material = typeof key === 'string' ? key : key.toString();
      let keyObject = made.get(material);
      if (!keyObject) {
        keyObject = keyObjectFor(material, symmetric);
        if (made.size >= JWKS_KEY_CACHE_LIMIT) made.delete(made.keys().next().value!);
        made.set(material, keyObject);
      }
      // jsonwebtoken takes KeyObjects; passport-jwt's types only name strings and buffers
      done(null, keyObject as unknown as string);
    });
}

function jwtOptions(auth: AuthConfig): StrategyOptionsWithoutRequest {
  const common = {
    jwtFromRequest: bearerToken,
    algorithms: auth.algorithms,
    ...(auth.issuer && { issuer: auth.issuer }),
    ...(auth.audience && { audience: auth.audience }),
    jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
  };
  const symmetric = auth.algorithms.every((algorithm) => algorithm.startsWith('HS'));
  if (auth.jwksUrl) {
    const fromKeySet = jwksRsa.passportJwtSecret({
      jwksUri: auth.jwksUrl,
      cache: true,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
    });
    return { ...common, secretOrKeyProvider: keyObjectProvider(fromKeySet, false) };
  }
  const key = keyObjectFor((auth.secret ?? auth.publicKey)!, symmetric);
  return { ...common, secretOrKeyProvider: (_request, _token, done) => done(null, key as unknown as string) };
}

/** Words for why passport-jwt refused a token (its `info`), without echoing the token. */
function describeRejection(info: unknown): string {
  const error = info as { name?: string; message?: string } | undefined;
  if (!error?.message) return 'A bearer token is required.';
  if (error.message === 'No auth token') return 'A bearer token is required (Authorization: Bearer <token>).';
  if (error.name === 'TokenExpiredError') return 'The token has expired; ask the host app for a new one.';
  if (error.name === 'NotBeforeError') return 'The token is not valid yet.';
  if (/audience|issuer/.test(error.message))
    return `The token was not issued for this service (${error.message}).`;
  if (/algorithm/.test(error.message))
    return 'The token is signed with an algorithm this service does not accept.';
  return 'The token is invalid.';
}

/**
 * Why a signature-checked payload is still refused, or undefined when it is usable: `exp` is required and at
 * most `maxLifetimeSeconds` away (a stolen token stays useful no longer), and `sub` must be printable.
 */
function payloadProblem(
  payload: { sub?: unknown; exp?: unknown },
  maxLifetimeSeconds: number,
): string | undefined {
  if (typeof payload.exp !== 'number') {
    return 'The token has no expiry (`exp`); ask the host app for a token that expires.';
  }
  const secondsLeft = payload.exp - Date.now() / 1000;
  if (secondsLeft > maxLifetimeSeconds + CLOCK_TOLERANCE_SECONDS) {
    return `The token expires too far in the future: this service accepts tokens that expire within ${maxLifetimeSeconds} s; ask the host app for a shorter-lived one.`;
  }
  if (!isUsableSubject(payload.sub)) return SUBJECT_RULE;
  return undefined;
}

/**
 * Verifies the bearer JWT of every request (signature with the configured key and algorithms only, a
 * required `exp` within the maximum lifetime, `iss`/`aud` when configured, a printable `sub`) and resolves
 * its `sub` to our user, created on first sight. A token verified a moment ago is recognised by its exact
 * text instead of being verified again (VerifiedTokens); only a token that passed every check is remembered.
 */
export function createAuthenticate(auth: AuthConfig, users: UserDirectory): RequestHandler {
  const passport = new Passport();
  passport.use(STRATEGY, new JwtStrategy(jwtOptions(auth), (payload: unknown, done) => done(null, payload)));
  const maxLifetimeSeconds = auth.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const verified = new VerifiedTokens({
    maxAgeMs: VERIFIED_TOKEN_MAX_AGE_MS,
    limit: VERIFIED_TOKENS_REMEMBERED,
  });
  const reject = (response: Parameters<RequestHandler>[1], detail: string) => {
    response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
    return new UnauthorizedError(detail);
  };
  return (request, response, next) => {
    const token = bearerToken(request);
    const holder = token ? verified.holderOf(token) : undefined;
    if (holder) {
      request.auth = holder;
      next();
      return;
    }
    const verify = passport.authenticate(
      STRATEGY,
      { session: false },
      (error: unknown, payload: { sub?: unknown; exp?: unknown } | false, info: unknown) => {
        if (error) return next(reject(response, 'The token could not be checked.'));
        if (!payload) return next(reject(response, describeRejection(info)));
        const problem = payloadProblem(payload, maxLifetimeSeconds);
        if (problem) return next(reject(response, problem));
        const subject = payload.sub as string;
        users.resolve(subject).then((userId) => {
          request.auth = { userId, externalId: subject };
          if (token) verified.remember(token, request.auth, payload.exp);
          next();
        }, next);
      },
    ) as RequestHandler;
    verify(request, response, next);
  };
}
