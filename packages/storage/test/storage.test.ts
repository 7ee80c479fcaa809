import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LocalDiskStorage,
  S3Storage,
  StorageObjectNotFoundError,
  UnsafeStorageKeyError,
  assertSafeKey,
  type ObjectStorage,
} from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'vexport-storage-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function s3FromTestEnv(): S3Storage {
  const endpoint = process.env.S3_ENDPOINT;
  if (!endpoint || !process.env.S3_BUCKET) throw new Error('S3_ENDPOINT is not set: run through `npm test`.');
  return new S3Storage({
    bucket: process.env.S3_BUCKET,
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    partSize: 5 * 1024 * 1024,
  });
}

const drivers: [string, () => ObjectStorage][] = [
  [
    'local disk',
    () =>
      new LocalDiskStorage({ root: join(scratch, 'objects'), signingSecret: 'a-signing-secret-for-tests' }),
  ],
  ['S3 (s3rver)', s3FromTestEnv],
];

describe.each(drivers)('%s storage', (_name, create) => {
  const storage = create();
  const prefix = `tests/${Date.now()}-${Math.random().toString(36).slice(2)}/`;

  it('stores a stream and reads it back', async () => {
    const { size } = await storage.put(`${prefix}a.txt`, Readable.from(['hello ', 'world']), {
      contentType: 'text/plain',
    });
    expect(size).toBe(11);
    expect(await text(await storage.get(`${prefix}a.txt`))).toBe('hello world');
    expect((await storage.head(`${prefix}a.txt`))?.size).toBe(11);
  });

  it('stores a local file larger than one multipart part', async () => {
    const file = join(scratch, `big-${_name.replace(/\W/g, '')}.bin`);
    writeFileSync(file, Buffer.alloc(6 * 1024 * 1024 + 123, 7));
    const { size } = await storage.put(`${prefix}big.bin`, { filePath: file });
    expect(size).toBe(6 * 1024 * 1024 + 123);
    expect((await storage.head(`${prefix}big.bin`))?.size).toBe(size);
  });

  it('reports a missing object', async () => {
    expect(await storage.head(`${prefix}missing`)).toBeUndefined();
    await expect(storage.get(`${prefix}missing`)).rejects.toBeInstanceOf(StorageObjectNotFoundError);
  });

  it('deletes one object, then a whole prefix', async () => {
    await storage.put(`${prefix}d/1`, Readable.from(['1']));
    await storage.put(`${prefix}d/2`, Readable.from(['2']));
    await storage.delete(`${prefix}d/1`);
    await storage.delete(`${prefix}d/never-existed`);
    expect(await storage.head(`${prefix}d/1`)).toBeUndefined();
    expect(await storage.deletePrefix(`${prefix}d/`)).toBe(1);
    expect(await storage.head(`${prefix}d/2`)).toBeUndefined();
  });

  it('leaves nothing behind when the source stream fails half-way', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error('source broke'));
      },
    });
    await expect(storage.put(`${prefix}broken`, failing)).rejects.toThrow();
    expect(await storage.head(`${prefix}broken`)).toBeUndefined();
  });

  it('makes a download URL that fetches the object with its file name', async () => {
    await storage.put(`${prefix}dl.txt`, Readable.from(['download me']));
    const { url, expiresAt } = await storage.createDownloadUrl(`${prefix}dl.txt`, {
      expiresInSeconds: 3600,
      filename: 'my clip.txt',
    });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 3590_000);
    if (storage.driver === 's3') {
      const response = await fetch(url);
      expect(await response.text()).toBe('download me');
      expect(response.headers.get('content-disposition')).toContain('my%20clip.txt');
    } else {
      expect(url).toMatch(/^\/api\/files\/tests\/.+\/dl\.txt\?expires=\d+&filename=my\+clip\.txt&signature=/);
    }
  });

  it('refuses keys that could leave their folder', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', '.hidden', 'a/./b', 'a\\b', '']) {
      await expect(storage.put(key, Readable.from(['x']))).rejects.toBeInstanceOf(UnsafeStorageKeyError);
    }
  });
});

describe('S3 downloads of what an uploader sent', () => {
  it('serves an upload named and typed as a page as a download, never as HTML', async () => {
    const storage = s3FromTestEnv();
    const key = `tests/${Date.now()}-${Math.random().toString(36).slice(2)}/source.html`;
    await storage.put(key, Readable.from(['<script>alert(1)</script>']), { contentType: 'text/html' });
    expect((await storage.head(key))?.contentType).toBe('application/octet-stream');
    const { url } = await storage.createDownloadUrl(key, { expiresInSeconds: 60 });
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="source\.html"/);
    await storage.delete(key);
  });
});

describe('LocalDiskStorage signed downloads', () => {
  const storage = new LocalDiskStorage({
    root: join(scratch, 'signed'),
    signingSecret: 'another-signing-secret',
  });

  async function signed(key: string, filename = 'f.mp4') {
    const { url } = await storage.createDownloadUrl(key, { expiresInSeconds: 60, filename });
    const parsed = new URL(url, 'http://x');
    return {
      key,
      expires: Number(parsed.searchParams.get('expires')),
      filename: parsed.searchParams.get('filename') ?? '',
      signature: parsed.searchParams.get('signature')!,
    };
  }

  it('accepts its own signature until it expires', async () => {
    const download = await signed('exports/u/e/out.mp4');
    expect(storage.verifyDownload(download)).toBe(true);
    expect(storage.verifyDownload(download, Date.now() + 61_000)).toBe(false);
  });

  it('cannot be reused for another object, file name or expiry', async () => {
    const download = await signed('exports/u/e/out.mp4');
    expect(storage.verifyDownload({ ...download, key: 'exports/u/other/out.mp4' })).toBe(false);
    expect(storage.verifyDownload({ ...download, filename: 'x.mp4' })).toBe(false);
    expect(storage.verifyDownload({ ...download, expires: download.expires + 3600 })).toBe(false);
    const otherSecret = new LocalDiskStorage({ root: scratch, signingSecret: 'a-different-secret!!' });
    expect(otherSecret.verifyDownload(download)).toBe(false);
  });

  it('writes through a temporary file, so no partial object is ever visible', async () => {
    await storage.put('atomic/file', Readable.from(['data']));
    expect(readdirSync(join(scratch, 'signed', 'atomic'))).toEqual(['file']);
  });
});

describe('assertSafeKey', () => {
  it('accepts plain relative keys', () => {
    expect(() => assertSafeKey('exports/3f2a/9c1b/01-intro-00m05s.mp4')).not.toThrow();
    expect(() => assertSafeKey('exports/3f2a/')).not.toThrow();
  });
});
