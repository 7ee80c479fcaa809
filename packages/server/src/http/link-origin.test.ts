import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { createLinkOrigin, isHostEntry, linkOn } from './link-origin.js';

const requestFor = (host: string | undefined, protocol = 'http') =>
  ({ host, protocol }) as unknown as Request;

describe('createLinkOrigin', () => {
  it('builds on a loopback Host when nothing is configured, and on nothing else', () => {
    const origin = createLinkOrigin({ allowedHosts: [] });
    expect(origin(requestFor('localhost:8080'))).toBe('http://localhost:8080');
    expect(origin(requestFor('127.0.0.1'))).toBe('http://127.0.0.1');
    expect(origin(requestFor('[::1]:5173'))).toBe('http://[::1]:5173');
    for (const host of [
      'evil.example',
      'localhost.evil.example',
      'localhost@evil.example',
      'localhost:80/x',
      '',
      undefined,
    ]) {
      expect(origin(requestFor(host))).toBeUndefined();
    }
  });

  it('builds only on ALLOWED_HOSTS when set: a bare host allows any port, host:port only that port', () => {
    const origin = createLinkOrigin({ allowedHosts: ['videos.example.com', 'api.example.com:8443'] });
    expect(origin(requestFor('Videos.Example.com:444', 'https'))).toBe('https://videos.example.com:444');
    expect(origin(requestFor('api.example.com:8443'))).toBe('http://api.example.com:8443');
    expect(origin(requestFor('api.example.com'))).toBeUndefined();
    expect(origin(requestFor('localhost:8080'))).toBeUndefined();
  });

  it('takes only http or https from the request, whatever a proxy header says', () => {
    const origin = createLinkOrigin({ allowedHosts: [] });
    expect(origin(requestFor('localhost', 'javascript'))).toBe('http://localhost');
  });

  it('builds on PUBLIC_BASE_URL whatever the Host', () => {
    const origin = createLinkOrigin({ publicBaseUrl: 'https://cdn.example.com/vexport/', allowedHosts: [] });
    expect(origin(requestFor('evil.example'))).toBe('https://cdn.example.com/vexport');
  });
});

describe('linkOn', () => {
  it('puts a path on the origin, and leaves absolute URLs and paths without an origin as they are', () => {
    expect(linkOn('https://a.example', '/api/files/k?s=1')).toBe('https://a.example/api/files/k?s=1');
    expect(linkOn(undefined, '/api/files/k')).toBe('/api/files/k');
    expect(linkOn('https://a.example', 'https://bucket.s3.example/k')).toBe('https://bucket.s3.example/k');
  });
});

describe('isHostEntry', () => {
  it('accepts host names with an optional port, and nothing else', () => {
    for (const entry of ['example.com', 'example.com:8080', '127.0.0.1', '[::1]:80'])
      expect(isHostEntry(entry)).toBe(true);
    for (const entry of ['https://example.com', 'example.com/path', 'user@example.com', '*.example.com', ''])
      expect(isHostEntry(entry)).toBe(false);
  });
});
