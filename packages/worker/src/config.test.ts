import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from './config.js';

const BASE = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://vexport@127.0.0.1/vexport',
  STORAGE_DIR: '/tmp/vexport-storage',
};

describe('loadWorkerConfig', () => {
  it('splits long re-encodes by default, in chunks of 10 to 30 s', () => {
    const config = loadWorkerConfig(BASE);
    expect(config.chunkedExports).toBe(true);
    expect(config.chunkMinOutputSeconds).toBe(60);
    expect(config.chunkSeconds).toEqual({ min: 10, max: 30 });
    expect(config.chunkConcurrency).toBe(config.exportConcurrency);
  });

  it('reads the chunk lengths and the switch', () => {
    const config = loadWorkerConfig({
      ...BASE,
      CHUNKED_EXPORTS: 'false',
      CHUNK_MIN_SECONDS: '5',
      CHUNK_MAX_SECONDS: '12.5',
    });
    expect(config.chunkedExports).toBe(false);
    expect(config.chunkSeconds).toEqual({ min: 5, max: 12.5 });
  });

  it('refuses a longest chunk under twice the shortest, naming the setting', () => {
    expect(() => loadWorkerConfig({ ...BASE, CHUNK_MIN_SECONDS: '10', CHUNK_MAX_SECONDS: '15' })).toThrow(
      ConfigError,
    );
    expect(() => loadWorkerConfig({ ...BASE, CHUNK_MIN_SECONDS: '10', CHUNK_MAX_SECONDS: '15' })).toThrow(
      /CHUNK_MAX_SECONDS: must be at least twice CHUNK_MIN_SECONDS/,
    );
  });

  it('lists every invalid setting at once', () => {
    expect(() => loadWorkerConfig({ ...BASE, REDIS_URL: 'http://x', CHUNKED_EXPORTS: 'maybe' })).toThrow(
      /REDIS_URL[\s\S]*CHUNKED_EXPORTS|CHUNKED_EXPORTS[\s\S]*REDIS_URL/,
    );
  });
});
