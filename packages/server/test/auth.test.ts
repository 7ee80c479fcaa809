import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET, startTestApi, type TestApi } from './support/test-api.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function status(api: TestApi, token: string | undefined) {
  const response = await fetch(`${api.baseUrl}/api/me/export-settings`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { code?: string; detail?: string };
  return { status: response.status, body, challenge: response.headers.get('www-authenticate') };
}

describe('authentication with a shared secret (HS256)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      config: {
        auth: {
          secret: TEST_JWT_SECRET,
          algorithms: ['HS256'],
          audience: 'vexport',
          issuer: 'host-app',
          maxLifetimeSeconds: 3600,
        },
      },
    });
  });
  afterAll(() => api.close());

  const sign = (payload: object, options: jwt.SignOptions = {}) =>
    jwt.sign(payload, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      audience: 'vexport',
      issuer: 'host-app',
      expiresIn: 60,
      ...options,
    });

  it('accepts a valid token and creates the user on first sight', async () => {
    expect((await status(api, sign({ sub: 'first-timer' }))).status).toBe(200);
    expect(await api.models.User.count({ where: { external_id: 'first-timer' } })).toBe(1);
    await status(api, sign({ sub: 'first-timer' }));
    expect(await api.models.User.count({ where: { external_id: 'first-timer' } })).toBe(1);
  });

  it.each([
    ['no token', undefined, /bearer token is required/],
    ['a malformed token', 'not.a.jwt', /invalid/],
    [
      'another secret',
      jwt.sign({ sub: 'x' }, 'x'.repeat(40), { audience: 'vexport', issuer: 'host-app' }),
      /invalid/,
    ],
  ])('refuses %s with 401 problem+json and a challenge', async (_name, token, detail) => {
    const answer = await status(api, token);
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('unauthorized');
    expect(answer.body.detail).toMatch(detail);
    if (token !== undefined) expect(answer.challenge).toMatch(/^Bearer error="invalid_token"/);
  });

  it('takes a token it verified a moment ago again, but not one that differs from it in the signature', async () => {
    const token = sign({ sub: 'poller' });
    expect((await status(api, token)).status).toBe(200);
    expect((await status(api, token)).status).toBe(200);
    const lastCharacter = token.at(-1) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -1)}${lastCharacter}`;
    expect((await status(api, tampered)).status).toBe(401);
  });

  it('refuses an expired token, saying so', async () => {
    const expired = jwt.sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, {
      audience: 'vexport',
      issuer: 'host-app',
    });
    const answer = await status(api, expired);
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/expired/);
  });

  it('refuses the wrong audience and the wrong issuer', async () => {
    expect((await status(api, sign({ sub: 'alice' }, { audience: 'someone-else' }))).body.detail).toMatch(
      /not issued for this service/,
    );
    expect((await status(api, sign({ sub: 'alice' }, { issuer: 'evil' }))).status).toBe(401);
  });

  it('refuses alg:none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'alice', aud: 'vexport', iss: 'host-app', iat: now, exp: now + 60 })}.`;
    expect((await status(api, unsigned)).status).toBe(401);
  });

  it('refuses a token without a usable subject', async () => {
    expect((await status(api, sign({}))).body.detail).toMatch(/subject/);
    expect((await status(api, sign({ sub: 'x'.repeat(300) }))).status).toBe(401);
  });

  it('refuses a token without an expiry, even when it is sent again', async () => {
    const forever = jwt.sign({ sub: 'alice' }, TEST_JWT_SECRET, { audience: 'vexport', issuer: 'host-app' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await status(api, forever);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        code: 'unauthorized',
        detail: expect.stringMatching(/no expiry \(`exp`\)/),
      });
      expect(answer.challenge).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('accepts a token that lives as long as the configured maximum and refuses a longer one, every time', async () => {
    expect((await status(api, sign({ sub: 'alice' }, { expiresIn: 3600 }))).status).toBe(200);
    const tooLong = sign({ sub: 'alice' }, { expiresIn: 3600 + 60 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await status(api, tooLong);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code: 'unauthorized', detail: expect.stringMatching(/3600 s/) });
    }
  });

  it.each([
    ['a NUL', 'x\u0000y'],
    ['a tab', 'alice\tadmin'],
    ['a line break', 'alice\nadmin'],
    ['DEL', 'alice\u007f'],
    ['a C1 control', 'alice\u0085'],
    ['a line separator', 'alice\u2028'],
    ['a paragraph separator', 'alice\u2029'],
    ['a lone surrogate', 'alice\ud800'],
    ['an empty string', ''],
    ['256 characters', 'x'.repeat(256)],
    ['a number', 42],
  ])('refuses a subject with %s, saying what a subject must be', async (_name, sub) => {
    const answer = await status(api, sign({ sub }));
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      code: 'unauthorized',
      detail: "The token's subject (`sub`) must be 1-255 printable characters.",
    });
  });

  it('accepts printable Unicode subjects of up to 255 characters, emoji included', async () => {
    for (const sub of ['José Núñez 名前', '🎬'.repeat(255), 'x'.repeat(255)]) {
      expect((await status(api, sign({ sub }))).status).toBe(200);
      expect(await api.models.User.count({ where: { external_id: sub } })).toBe(1);
    }
  });
});

describe('authentication with a public key (RS256/ES256)', () => {
  let api: TestApi;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

  beforeAll(async () => {
    api = await startTestApi({
      config: { auth: { publicKey: pem(rsa.publicKey), algorithms: ['RS256', 'ES256'] } },
    });
  });
  afterAll(() => api.close());

  it('accepts a token signed with the matching private key', async () => {
    const token = jwt.sign({ sub: 'alice' }, rsa.privateKey, { algorithm: 'RS256', expiresIn: 60 });
    expect((await status(api, token)).status).toBe(200);
  });

  it('refuses a token signed with another key', async () => {
    const token = jwt.sign({ sub: 'alice' }, ec.privateKey, { algorithm: 'ES256', expiresIn: 60 });
    expect((await status(api, token)).status).toBe(401);
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { createHmac } = await import('node:crypto');
    const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: 'alice', iat: now, exp: now + 60 })}`;
    const signature = createHmac('sha256', pem(rsa.publicKey)).update(unsigned).digest('base64url');
    expect((await status(api, `${unsigned}.${signature}`)).status).toBe(401);
  });
});

describe('authentication with a JWKS URL', () => {
  let api: TestApi;
  let jwksServer: Server;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    const jwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    api = await startTestApi({
      config: { auth: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, algorithms: ['RS256'] } },
    });
  });

  afterAll(async () => {
    await api.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('accepts a token whose kid is in the key set, and refuses an unknown kid', async () => {
    const good = jwt.sign({ sub: 'alice' }, keys.privateKey, {
      algorithm: 'RS256',
      keyid: 'key-1',
      expiresIn: 60,
    });
    expect((await status(api, good)).status).toBe(200);
    const unknown = jwt.sign({ sub: 'alice' }, keys.privateKey, {
      algorithm: 'RS256',
      keyid: 'key-9',
      expiresIn: 60,
    });
    expect((await status(api, unknown)).status).toBe(401);
  });
});
