import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { DevelopmentTokenError, signDevelopmentToken } from './dev-token.js';

const secret = 'a-development-secret-of-32-characters!!';

describe('signDevelopmentToken', () => {
  it('signs an HS256 token for the user that expires', () => {
    const token = signDevelopmentToken({ user: 'alice', secret, expiresIn: 60, audience: 'vexport' });
    const payload = jwt.verify(token, secret, {
      algorithms: ['HS256'],
      audience: 'vexport',
    }) as jwt.JwtPayload;
    expect(payload.sub).toBe('alice');
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
  });

  it("lives 12 hours by default, within the API's default maximum of 24", () => {
    const payload = jwt.decode(signDevelopmentToken({ user: 'alice', secret })) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(12 * 3600);
  });

  it('refuses to mint a token that lives longer than the maximum, naming the setting to raise', () => {
    expect(() => signDevelopmentToken({ user: 'alice', secret, expiresIn: '30d' })).toThrow(
      /longer than the API accepts \(JWT_MAX_LIFETIME_SECONDS=86400\)/,
    );
    expect(() =>
      signDevelopmentToken({ user: 'alice', secret, expiresIn: '2h', maxLifetimeSeconds: 3600 }),
    ).toThrow(DevelopmentTokenError);
    const raised = signDevelopmentToken({
      user: 'alice',
      secret,
      expiresIn: '30d',
      maxLifetimeSeconds: 30 * 86_400,
    });
    expect((jwt.decode(raised) as jwt.JwtPayload).sub).toBe('alice');
  });

  it('refuses a subject the API would refuse, and a lifetime it cannot read', () => {
    expect(() => signDevelopmentToken({ user: 'alice\nadmin', secret })).toThrow(
      /1-255 printable characters/,
    );
    expect(() => signDevelopmentToken({ user: 'alice', secret, expiresIn: 'soon' })).toThrow(
      /not a lifetime/,
    );
  });

  it('cannot be verified with another secret', () => {
    const token = signDevelopmentToken({ user: 'alice', secret });
    expect(() => jwt.verify(token, `${secret}-other`)).toThrow(/invalid signature/);
  });
});
