import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from './config.js';

const minimal = { DATABASE_URL: 'postgres://u:p@localhost/db', REDIS_URL: 'redis://localhost:6379' };

describe('loadServerConfig', () => {
  it('applies defaults for everything but the service URLs', () => {
    const config = loadServerConfig(minimal);
    expect(config).toMatchObject({ port: 8080, logLevel: 'info', trustProxy: false, host: undefined });
  });

  it('lists every invalid variable in one error', () => {
    const attempt = () =>
      loadServerConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', JWT_SECRET: 'short' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL[\s\S]*REDIS_URL|REDIS_URL[\s\S]*DATABASE_URL/);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });
});
