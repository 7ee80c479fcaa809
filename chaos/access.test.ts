import { createHmac, generateKeyPairSync } from 'node:crypto';
import { Problem } from '@vexport/sdk';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingLost } from './support/nothing-lost.js';
import { listOperations, startStack, waitFor, type Operation, type Stack } from './support/stack.js';

const ISSUER = 'https://host-app.example';
const AUDIENCE = 'vexport';
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const trusted = rsa();
const stranger = rsa();
const publicPem = trusted.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function sign(user: string, overrides: jwt.SignOptions = {}, key: jwt.Secret = trusted.privateKey) {
  return jwt.sign({}, key, {
    algorithm: 'RS256',
    subject: user,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: '1h',
    ...overrides,
  });
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function hs256WithPublicKey(user: string): string {
  const claims = { sub: user, iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 };
  const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
  return `${unsigned}.${createHmac('sha256', publicPem).update(unsigned).digest('base64url')}`;
}

/** Tokens the API must refuse on every endpoint, each for a different reason. */
const badTokens: [string, () => string][] = [
  ['expired', () => sign('alice', { expiresIn: -60 })],
  ['for another audience', () => sign('alice', { audience: 'someone-else' })],
  ['from another issuer', () => sign('alice', { issuer: 'https://evil.example' })],
  ['signed by another key', () => sign('alice', {}, stranger.privateKey)],
  [
    'alg:none',
    () =>
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
        sub: 'alice',
        iss: ISSUER,
        aud: AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 3600,
      })}.`,
  ],
  // HS/RS confusion: HS256 with the public key as the shared secret
  ['HS256 signed with the public key', () => hs256WithPublicKey('alice')],
];

const validBody = JSON.stringify({
  export_type: 'single',
  segment_selections: [{ start_time: 0, end_time: 1 }],
});

/**
 * Every operation of the OpenAPI document, swept with another user's ids and with tokens that must be
 * refused, on an API that trusts RS256 tokens of one issuer and audience.
 */
describe('access to every endpoint', () => {
  let stack: Stack;
  let operations: Operation[];
  let ids: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack({
      user: 'alice',
      env: {
        JWT_SECRET: undefined,
        JWT_PUBLIC_KEY: publicPem,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        STORAGE_SIGNING_SECRET: 'a-signing-secret-for-local-download-urls',
      },
      signToken: (user) => sign(user),
    });
    operations = await listOperations(stack);
    const exported = await stack.client.createExport(stack.video.id, {
      export_type: 'clips',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [
        { start_time: 0, end_time: 1, label: '../../../etc/passwd' },
        { start_time: 1, end_time: 2, label: '..\\..\\windows\\system32' },
      ],
    });
    await waitFor(async () => (await stack.client.getExport(exported.id)).status === 'completed', {
      timeoutMs: 60_000,
      message: 'alice’s export did not complete',
    });
    ids = { videoId: stack.video.id, exportId: exported.id };
  });
  afterAll(async () => stack?.stop());

  const authenticated = () =>
    operations.filter(
      ({ path }) => path.startsWith('/api/') && !['/api/openapi.json', '/api/files/{key}'].includes(path),
    );
  const withIds = (path: string) => path.replace(/\{(\w+)\}/g, (_match, name: string) => ids[name]!);

  async function call({ method, path }: Operation, token: string) {
    const response = await fetch(`${stack.urls.api}${withIds(path)}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      // a valid body, so that only the token or the owner can be what is refused
      body: method === 'POST' || method === 'PUT' ? validBody : undefined,
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text };
  }

  it('covers every authenticated operation of the API document', () => {
    expect(authenticated().length).toBeGreaterThanOrEqual(15);
    expect(authenticated().filter(({ path }) => path.includes('{'))).not.toHaveLength(0);
  });

  for (const [reason, token] of badTokens) {
    it(`refuses a token ${reason} on every endpoint (401 problem+json)`, async () => {
      for (const operation of authenticated()) {
        const { status, type, text } = await call(operation, token());
        const where = `${operation.method} ${operation.path}`;
        expect(status, where).toBe(401);
        expect(type, where).toMatch(/^application\/problem\+json/);
        expect(Problem.parse(JSON.parse(text)).code, where).toBe('unauthorized');
      }
    });
  }

  it('answers 404 to another user for every id of alice’s, and lists nothing of hers', async () => {
    const bob = sign('bob');
    for (const operation of authenticated().filter(({ path }) => path.includes('{'))) {
      const { status, text } = await call(operation, bob);
      expect(status, `${operation.method} ${operation.path}: ${text.slice(0, 120)}`).toBe(404);
    }
    const list = await call({ method: 'GET', path: '/api/exports' }, bob);
    expect(JSON.parse(list.text).total).toBe(0);
    const videos = await call({ method: 'GET', path: '/api/videos' }, bob);
    expect(JSON.parse(videos.text).total).toBe(0);
    // and alice still has everything
    expect((await stack.client.getExport(ids.exportId!)).status).toBe('completed');
  });

  it('signs download URLs for one object: another key with the same signature is refused', async () => {
    const { url } = await stack.client.getExportDownloadUrl(ids.exportId!);
    const absolute = new URL(url, stack.urls.api);
    expect((await fetch(absolute)).status).toBe(200);
    const swapped = new URL(absolute);
    swapped.pathname = swapped.pathname.replace(/[^/]+$/, 'another-file.mp4');
    expect((await fetch(swapped)).status).toBe(403);
    const extended = new URL(absolute);
    extended.searchParams.set('expires', String(Number(extended.searchParams.get('expires')) + 86_400));
    expect((await fetch(extended)).status).toBe(403);
  });

  it('keeps ZIP entry names inside the archive whatever the segment labels say', async () => {
    const archive = Buffer.from(await (await stack.client.fetchExport(ids.exportId!)).arrayBuffer());
    const names = zipEntryNames(archive);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^[^/\\]+\.mp4$/);
    for (const name of names) expect(name).not.toContain('..');
  });

  it('refuses source URLs on loopback and private addresses (SSRF)', async () => {
    for (const url of [
      'http://127.0.0.1:9/video.mp4',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/video.mp4',
      'http://[::1]/video.mp4',
      'http://localhost/video.mp4',
    ]) {
      const response = await fetch(`${stack.urls.api}/api/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source_url: url, title: 'ssrf' }),
      });
      expect(response.status, url).toBe(422);
      expect((await response.json()).code, url).toBe('source_url_refused');
    }
  });

  it('loses nothing: every export finished, exactly its files stored, no temp left', async () => {
    await expectNothingLost(stack);
  });
});

/** The names in a ZIP's central directory. */
function zipEntryNames(archive: Buffer): string[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    names.push(archive.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
