import { LocalDiskStorage, type ObjectStorage } from '@vexport/storage';
import { allowMintedSourceUrl } from '../ffmpeg/source-input.js';

/** A stored source that ffmpeg reads where it lies; `close()` withdraws what opening it allowed. */
export interface OpenedSource {
  /** A local path, or a presigned URL that ffmpeg reads by range. */
  path: string;
  close(): void;
}

/**
 * Opens a source of our own storage for ffmpeg without copying it: a local-disk object in place, an S3
 * object through a presigned GET URL valid for `expiresInSeconds`, which ffmpeg's HTTP protocol reads with
 * Range requests (a chunk reads the bytes around its own frames, not the whole file). The URL is allowed
 * as a source only while it is open (see allowMintedSourceUrl).
 */
export async function openStoredSource(
  storage: ObjectStorage,
  key: string,
  { expiresInSeconds }: { expiresInSeconds: number },
): Promise<OpenedSource> {
  if (storage instanceof LocalDiskStorage) return { path: storage.resolvePath(key), close: () => undefined };
  const { url } = await storage.createDownloadUrl(key, { expiresInSeconds });
  if (!/^https?:\/\//i.test(url))
    throw new Error(`the storage gave no absolute URL to read ${key} by range from`);
  return { path: url, close: allowMintedSourceUrl(url) };
}
