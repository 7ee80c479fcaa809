import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from './config.js';

const secret = 'a-secret-that-is-at-least-32-characters';
const minimal = {
  DATABASE_URL: 'postgres://u:p@localhost/db',
  REDIS_URL: 'redis://localhost:6379',
  JWT_SECRET: secret,
  STORAGE_DIR: '/tmp/vexport-storage',
};
const publicKey =
  '-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----';

describe('loadServerConfig', () => {
  it('applies defaults for everything but the services and the key', () => {
    const config = loadServerConfig(minimal);
    expect(config).toMatchObject({
      port: 8080,
      logLevel: 'info',
      trustProxy: false,
      exportRateLimitPerHour: 10,
      videoRateLimitPerHour: 30,
      uploadBytesPerDay: 20 * 1024 ** 3,
      sseStreamsPerUser: 20,
    });
    expect(config.auth).toEqual({
      secret,
      algorithms: ['HS256'],
      maxLifetimeSeconds: 86_400,
    } as typeof config.auth);
    expect(config).toMatchObject({ publicBaseUrl: undefined, allowedHosts: [], demoUser: undefined });
    expect(config.storage).toEqual({ driver: 'local', root: '/tmp/vexport-storage', signingSecret: secret });
  });

  it('lists every invalid variable in one error', () => {
    const attempt = () =>
      loadServerConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', JWT_SECRET: 'short' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL[\s\S]*REDIS_URL|REDIS_URL[\s\S]*DATABASE_URL/);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });

  it('uses public-key algorithms with a public key, and refuses HMAC ones for it (algorithm confusion)', () => {
    const { JWT_SECRET: _secret, ...withoutSecret } = minimal;
    const config = loadServerConfig({
      ...withoutSecret,
      JWT_PUBLIC_KEY: publicKey,
      STORAGE_SIGNING_SECRET: secret,
    });
    expect(config.auth.algorithms).toEqual(['RS256', 'ES256']);
    expect(config.auth.publicKey).toContain('\n');
    expect(() =>
      loadServerConfig({
        ...withoutSecret,
        JWT_PUBLIC_KEY: publicKey,
        JWT_ALGORITHMS: 'HS256',
        STORAGE_SIGNING_SECRET: secret,
      }),
    ).toThrow(/JWT_ALGORITHMS must be RS\*/);
  });

  it('needs exactly one key source', () => {
    const { JWT_SECRET: _secret, ...withoutSecret } = minimal;
    expect(() => loadServerConfig(withoutSecret)).toThrow(/exactly one of JWT_SECRET/);
    expect(() => loadServerConfig({ ...minimal, JWKS_URL: 'https://id.example.com/jwks.json' })).toThrow(
      /exactly one/,
    );
  });

  it('chooses S3 storage when S3_BUCKET is set', () => {
    const config = loadServerConfig({
      ...minimal,
      S3_BUCKET: 'b',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(config.storage).toEqual({
      driver: 's3',
      bucket: 'b',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      region: undefined,
    });
  });

  it('reads the longest token lifetime, refusing less than a minute', () => {
    expect(loadServerConfig({ ...minimal, JWT_MAX_LIFETIME_SECONDS: '3600' }).auth.maxLifetimeSeconds).toBe(
      3600,
    );
    expect(() => loadServerConfig({ ...minimal, JWT_MAX_LIFETIME_SECONDS: '10' })).toThrow(
      /JWT_MAX_LIFETIME_SECONDS/,
    );
  });

  it('reads ALLOWED_HOSTS as host[:port] entries, refusing URLs and paths', () => {
    expect(
      loadServerConfig({ ...minimal, ALLOWED_HOSTS: 'videos.example.com, api.example.com:8443' })
        .allowedHosts,
    ).toEqual(['videos.example.com', 'api.example.com:8443']);
    expect(() => loadServerConfig({ ...minimal, ALLOWED_HOSTS: 'https://videos.example.com' })).toThrow(
      /ALLOWED_HOSTS/,
    );
  });

  it('takes a printable demo user, only with JWT_SECRET to mint its tokens', () => {
    expect(loadServerConfig({ ...minimal, VEXPORT_DEMO_USER: 'demo-user' }).demoUser).toBe('demo-user');
    expect(() => loadServerConfig({ ...minimal, VEXPORT_DEMO_USER: 'demo\nuser' })).toThrow(
      /VEXPORT_DEMO_USER/,
    );
    const { JWT_SECRET: _secret, ...withoutSecret } = minimal;
    expect(() =>
      loadServerConfig({
        ...withoutSecret,
        JWT_PUBLIC_KEY: publicKey,
        STORAGE_SIGNING_SECRET: secret,
        VEXPORT_DEMO_USER: 'demo-user',
      }),
    ).toThrow(/VEXPORT_DEMO_USER needs JWT_SECRET/);
  });

  it('parses the CORS origins list', () => {
    expect(
      loadServerConfig({ ...minimal, CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });
});
