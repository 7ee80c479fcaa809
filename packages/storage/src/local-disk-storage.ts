import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  StorageObjectNotFoundError,
  assertSafeKey,
  type DownloadUrl,
  type DownloadUrlOptions,
  type ObjectStorage,
  type PutOptions,
  type StoredObjectInfo,
} from './storage.js';

export interface LocalDiskStorageOptions {
  /** Folder holding every object. */
  root: string;
  /** Secret for signing download URLs (HMAC-SHA256); needed only by processes that make or check them. */
  signingSecret?: string | undefined;
  /** Origin that serves `urlPath`, e.g. `https://api.example.com`; URLs are relative without it. */
  publicBaseUrl?: string | undefined;
  /** Path under which the API serves signed downloads. */
  urlPath?: string;
}

/** The parts of a signed download URL that the serving route checks. */
export interface SignedDownload {
  key: string;
  expires: number;
  filename: string;
  signature: string;
}

const TEMP_MARKER = '.part-';

async function countFiles(path: string): Promise<number> {
  const entries = await readdir(path, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !entry.name.includes(TEMP_MARKER)).length;
}

/**
 * Objects as files under one folder: the embedded default. Writes go to a temporary file renamed into place,
 * so a reader never sees half an object; downloads are served by the API at signed, expiring URLs.
 */
export class LocalDiskStorage implements ObjectStorage {
  readonly driver = 'local' as const;
  readonly #root: string;
  readonly #secret: string | undefined;
  readonly #publicBaseUrl: string;
  readonly #urlPath: string;

  constructor({ root, signingSecret, publicBaseUrl = '', urlPath = '/api/files' }: LocalDiskStorageOptions) {
    if (!root) throw new TypeError('LocalDiskStorage: `root` (a folder) is required.');
    if (signingSecret !== undefined && signingSecret.length < 16) {
      throw new TypeError('LocalDiskStorage: `signingSecret` needs 16+ characters.');
    }
    this.#root = root;
    this.#secret = signingSecret;
    this.#publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');
    this.#urlPath = urlPath;
  }

  #path(key: string): string {
    assertSafeKey(key);
    return join(this.#root, key);
  }

  /** The file behind a key, for the API route that serves signed downloads. */
  resolvePath(key: string): string {
    return this.#path(key);
  }

  async put(
    key: string,
    body: Readable | { filePath: string },
    { signal }: PutOptions = {},
  ): Promise<{ size: number }> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}${TEMP_MARKER}${randomBytes(6).toString('hex')}`;
    const source = 'filePath' in body ? createReadStream(body.filePath) : body;
    try {
      await pipeline(source, createWriteStream(temporary), { signal });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { size: (await stat(path)).size };
  }

  async get(key: string): Promise<Readable> {
    const path = this.#path(key);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new StorageObjectNotFoundError(key);
    return createReadStream(path);
  }

  async head(key: string): Promise<StoredObjectInfo | undefined> {
    const info = await stat(this.#path(key)).catch(() => undefined);
    return info?.isFile() ? { size: info.size, contentType: undefined } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    if (!prefix.endsWith('/')) throw new TypeError('deletePrefix: the prefix must end with "/"');
    const path = this.#path(prefix);
    const count = await countFiles(path);
    await rm(path, { recursive: true, force: true });
    return count;
  }

  async createDownloadUrl(
    key: string,
    { expiresInSeconds, filename = '' }: DownloadUrlOptions,
  ): Promise<DownloadUrl> {
    assertSafeKey(key);
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const query = new URLSearchParams({ expires: String(expires) });
    if (filename) query.set('filename', filename);
    query.set('signature', this.#sign(key, expires, filename));
    return {
      url: `${this.#publicBaseUrl}${this.#urlPath}/${key}?${query}`,
      expiresAt: new Date(expires * 1000),
    };
  }

  /** True when the signature was made by this storage for this key, expiry and file name, and has not expired. */
  verifyDownload({ key, expires, filename, signature }: SignedDownload, now = Date.now()): boolean {
    if (!Number.isInteger(expires) || expires * 1000 < now) return false;
    const expected = Buffer.from(this.#sign(key, expires, filename));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  #sign(key: string, expires: number, filename: string): string {
    if (!this.#secret) throw new Error('LocalDiskStorage: download URLs need a `signingSecret`.');
    return createHmac('sha256', this.#secret).update(`${key}\n${expires}\n${filename}`).digest('base64url');
  }
}
