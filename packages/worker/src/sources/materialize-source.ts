import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LocalDiskStorage, downloadUrlToFile, type ObjectStorage } from '@vexport/storage';

export interface MaterializeOptions {
  storage: ObjectStorage;
  /** Folder for a downloaded copy (the job's own). */
  dir: string;
  allowPrivateSourceUrls: boolean;
  maxSourceBytes: number;
  signal?: AbortSignal | undefined;
}

/** A source as a local file; `downloaded` tells whether it was fetched (and how many bytes). */
export interface LocalSource {
  path: string;
  downloadedBytes: number;
}

const URL_SOURCE = /^https?:\/\//i;

/** True when a video's `source` is a URL rather than a storage key. */
export function isUrlSource(source: string): boolean {
  return URL_SOURCE.test(source);
}

/** The extension to keep for a source, from its key or URL path (".mp4"), or "". */
export function sourceExtension(source: string): string {
  const path = isUrlSource(source) ? new URL(source).pathname : source;
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(path);
  return match ? `.${match[1]!.toLowerCase()}` : '';
}

/**
 * Makes a source readable as a local file: a local-disk object is used in place, an S3 object is streamed
 * into the job folder, and a URL is downloaded with the SSRF checks at every hop.
 */
export async function materializeSource(source: string, options: MaterializeOptions): Promise<LocalSource> {
  const { storage, dir, signal } = options;
  const path = join(dir, `source${sourceExtension(source)}`);
  if (isUrlSource(source)) {
    const downloadedBytes = await downloadUrlToFile(source, path, {
      allowPrivate: options.allowPrivateSourceUrls,
      maxBytes: options.maxSourceBytes,
      signal,
    });
    return { path, downloadedBytes };
  }
  if (storage instanceof LocalDiskStorage) return { path: storage.resolvePath(source), downloadedBytes: 0 };
  const stream = await storage.get(source, { signal });
  let downloadedBytes = 0;
  stream.on('data', (chunk: Buffer) => (downloadedBytes += chunk.length));
  await pipeline(stream, createWriteStream(path), { signal });
  return { path, downloadedBytes };
}
