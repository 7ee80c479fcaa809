import type { Readable } from 'node:stream';

/** What a stored object is. */
export interface StoredObjectInfo {
  size: number;
  contentType: string | undefined;
}

export interface PutOptions {
  contentType?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface DownloadUrlOptions {
  /** Seconds the URL stays valid. */
  expiresInSeconds: number;
  /** File name offered to the browser (Content-Disposition: attachment). */
  filename?: string | undefined;
  contentType?: string | undefined;
}

/** A time-limited URL that fetches one object without credentials. */
export interface DownloadUrl {
  /** Absolute, or relative to the API's origin for the local-disk driver without a public base URL. */
  url: string;
  expiresAt: Date;
}

/**
 * Where sources and finished exports live. Keys are relative paths such as `exports/{user}/{export}/out.mp4`
 * (see {@link assertSafeKey}). A put is atomic: readers see the whole object or nothing.
 */
export interface ObjectStorage {
  readonly driver: 'local' | 's3';
  /** Stores a stream (never buffered whole) or a local file under `key`; resolves to the stored size. */
  put(key: string, body: Readable | { filePath: string }, options?: PutOptions): Promise<{ size: number }>;
  /** Streams an object; throws {@link StorageObjectNotFoundError} when there is none. */
  get(key: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  /** The object's size and type, or undefined when there is none. */
  head(key: string): Promise<StoredObjectInfo | undefined>;
  /** Removes one object; no error when it does not exist. */
  delete(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix` (which must end with `/`); resolves to how many. */
  deletePrefix(prefix: string): Promise<number>;
  createDownloadUrl(key: string, options: DownloadUrlOptions): Promise<DownloadUrl>;
}

export class StorageObjectNotFoundError extends Error {
  override name = 'StorageObjectNotFoundError';

  constructor(readonly key: string) {
    super(`no stored object at ${key}`);
  }
}

export class UnsafeStorageKeyError extends Error {
  override name = 'UnsafeStorageKeyError';
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*\/?$/;

/**
 * Throws unless `key` is a plain relative path of letters, digits, `.`, `_`, `-` segments: no `..`, no
 * leading `/`, no empty or dot-led segments, at most 1024 characters. Keeps every key inside its folder.
 */
export function assertSafeKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    !SAFE_KEY.test(key) ||
    key.split('/').some((part) => part === '..')
  ) {
    throw new UnsafeStorageKeyError(`unsafe storage key: ${JSON.stringify(key).slice(0, 80)}`);
  }
}
