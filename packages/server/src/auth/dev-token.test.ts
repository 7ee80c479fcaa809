import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { signDevelopmentToken } from './dev-token.js';

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

  it('cannot be verified with another secret', () => {
    const token = signDevelopmentToken({ user: 'alice', secret });
    expect(() => jwt.verify(token, `${secret}-other`)).toThrow(/invalid signature/);
  });
});
