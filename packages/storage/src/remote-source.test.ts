import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertFetchableUrl,
  downloadUrlToFile,
  publicOnlyLookup,
  SourceUrlRefusedError,
  type ResolveAll,
} from './remote-source.js';

let server: Server;
let port: number;
let scratch: string;

beforeAll(async () => {
  server = createServer((_request, response) => response.end('video bytes'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  scratch = await mkdtemp(join(tmpdir(), 'vexport-remote-source-'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

const refusedHosts = [
  ['[::7f00:1]', 'IPv4-compatible loopback'],
  ['[::ffff:7f00:1]', 'IPv4-mapped loopback'],
  ['[64:ff9b::7f00:1]', 'NAT64'],
  ['[2002:7f00:1::1]', '6to4'],
  ['[2001:0:4136:e378:8000:63bf:3fff:fdd2]', 'Teredo'],
  ['[fec0::1]', 'site-local'],
  ['[2001:db8::1]', 'IPv6 documentation'],
  ['192.0.2.1', 'TEST-NET-1'],
  ['198.51.100.1', 'TEST-NET-2'],
  ['203.0.113.1', 'TEST-NET-3'],
  ['198.18.0.1', 'benchmarking'],
] as const;

describe('assertFetchableUrl', () => {
  it.each(refusedHosts)('refuses a URL on %s (%s)', async (host) => {
    await expect(
      assertFetchableUrl(`http://${host}:${port}/video.mp4`, { allowPrivate: false }),
    ).rejects.toThrow(SourceUrlRefusedError);
  });

  it('lets a public address literal through', async () => {
    await expect(
      assertFetchableUrl('https://[2606:4700:4700::1111]/video.mp4', { allowPrivate: false }),
    ).resolves.toBeUndefined();
  });

  it('lets anything through when private addresses are allowed', async () => {
    await expect(
      assertFetchableUrl(`http://[::7f00:1]:${port}/video.mp4`, { allowPrivate: true }),
    ).resolves.toBeUndefined();
  });
});

describe('downloadUrlToFile', () => {
  const options = { allowPrivate: false, maxBytes: 1024 };

  it.each(refusedHosts)('refuses %s (%s) before connecting, and writes nothing', async (host) => {
    const path = join(scratch, 'refused');
    await expect(downloadUrlToFile(`http://${host}:${port}/video.mp4`, path, options)).rejects.toThrow(
      SourceUrlRefusedError,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('refuses, at connect time, a name that resolves to loopback', async () => {
    await expect(
      downloadUrlToFile(`http://localhost:${port}/video.mp4`, join(scratch, 'by-name'), options),
    ).rejects.toThrow(/private address/);
  });

  it('downloads from a name when private addresses are allowed', async () => {
    const path = join(scratch, 'allowed');
    const written = await downloadUrlToFile(`http://localhost:${port}/video.mp4`, path, {
      ...options,
      allowPrivate: true,
    });
    expect(written).toBe('video bytes'.length);
    expect(await readFile(path, 'utf8')).toBe('video bytes');
  });
});

describe('publicOnlyLookup', () => {
  function resolvingTo(addresses: LookupAddress[]): ResolveAll {
    return (_hostname, _options, callback) => callback(null, addresses);
  }

  function lookUp(resolveAll: ResolveAll, all: boolean) {
    return new Promise<{ error: Error | null; address: unknown; family: number | undefined }>((resolve) => {
      publicOnlyLookup(resolveAll)('video.example', { all }, (error, address, family) =>
        resolve({ error, address, family }),
      );
    });
  }

  const publicAndPrivate = resolvingTo([
    { address: '8.8.8.8', family: 4 },
    { address: '10.0.0.1', family: 4 },
  ]);
  const allPublic = resolvingTo([
    { address: '2606:4700:4700::1111', family: 6 },
    { address: '1.1.1.1', family: 4 },
  ]);

  it.each([true, false])(
    'refuses a name with one private address among public ones (all: %s)',
    async (all) => {
      expect((await lookUp(publicAndPrivate, all)).error).toBeInstanceOf(SourceUrlRefusedError);
    },
  );

  it('refuses a name with no address', async () => {
    expect((await lookUp(resolvingTo([]), false)).error).toBeInstanceOf(SourceUrlRefusedError);
  });

  it('answers with the first checked address when Node asks for one', async () => {
    expect(await lookUp(allPublic, false)).toEqual({
      error: null,
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it('answers with every checked address when Node asks for all', async () => {
    const { error, address } = await lookUp(allPublic, true);
    expect(error).toBeNull();
    expect(address).toEqual([
      { address: '2606:4700:4700::1111', family: 6 },
      { address: '1.1.1.1', family: 4 },
    ]);
  });

  it('passes resolver failures on', async () => {
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND video.example'), { code: 'ENOTFOUND' });
    const failing: ResolveAll = (_hostname, _options, callback) => callback(failure, []);
    expect((await lookUp(failing, false)).error).toBe(failure);
  });
});
