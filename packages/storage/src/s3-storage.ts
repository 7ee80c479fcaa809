import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  StorageObjectNotFoundError,
  assertSafeKey,
  type DownloadUrl,
  type DownloadUrlOptions,
  type ObjectStorage,
  type PutOptions,
  type StoredObjectInfo,
} from './storage.js';
import { contentDisposition } from './content-disposition.js';
import { allowedContentType, servedContentType } from './served-content-type.js';

export interface S3StorageOptions {
  bucket: string;
  region?: string | undefined;
  /** For S3-compatible servers (MinIO, R2, s3rver…). */
  endpoint?: string | undefined;
  /** Address buckets as `endpoint/bucket/key` rather than `bucket.endpoint/key`. */
  forcePathStyle?: boolean | undefined;
  credentials?: S3ClientConfig['credentials'];
  /** Bytes per part of a multipart upload. */
  partSize?: number | undefined;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404;
}

/**
 * Objects in an S3 bucket. Uploads stream through multipart upload (the object appears only when complete);
 * downloads are presigned GET URLs.
 */
export class S3Storage implements ObjectStorage {
  readonly driver = 's3' as const;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #partSize: number;

  constructor({ bucket, region, endpoint, forcePathStyle, credentials, partSize }: S3StorageOptions) {
    if (!bucket) throw new TypeError('S3Storage: `bucket` is required.');
    this.#bucket = bucket;
    this.#partSize = Math.max(partSize ?? 8 * 1024 * 1024, MIN_PART_SIZE);
    this.#client = new S3Client({
      region: region ?? 'us-east-1',
      ...(endpoint && { endpoint }),
      forcePathStyle: forcePathStyle ?? false,
      ...(credentials && { credentials }),
      maxAttempts: 3,
    });
  }

  async put(
    key: string,
    body: Readable | { filePath: string },
    { contentType, signal }: PutOptions = {},
  ): Promise<{ size: number }> {
    assertSafeKey(key);
    const source = 'filePath' in body ? createReadStream(body.filePath) : body;
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.#bucket, Key: key, Body: source, ContentType: allowedContentType(contentType) },
      partSize: this.#partSize,
      queueSize: 2,
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if ('filePath' in body) return { size: (await stat(body.filePath)).size };
    const info = await this.head(key);
    return { size: info?.size ?? 0 };
  }

  async get(key: string, { signal }: { signal?: AbortSignal } = {}): Promise<Readable> {
    assertSafeKey(key);
    try {
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }), {
        abortSignal: signal,
      });
      return response.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new StorageObjectNotFoundError(key);
      throw error;
    }
  }

  async head(key: string): Promise<StoredObjectInfo | undefined> {
    assertSafeKey(key);
    try {
      const response = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return { size: response.ContentLength ?? 0, contentType: response.ContentType };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    if (!prefix.endsWith('/')) throw new TypeError('deletePrefix: the prefix must end with "/"');
    assertSafeKey(prefix);
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      if (keys.length > 0) {
        await this.#client.send(
          new DeleteObjectsCommand({ Bucket: this.#bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  async createDownloadUrl(
    key: string,
    { expiresInSeconds, filename, contentType }: DownloadUrlOptions,
  ): Promise<DownloadUrl> {
    assertSafeKey(key);
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: key,
      // the bucket's origin serves the file: its type and name come from our allow list, never the uploader
      ResponseContentDisposition: contentDisposition(filename || basename(key)),
      ResponseContentType: contentType ? allowedContentType(contentType) : servedContentType(key),
    });
    const url = await getSignedUrl(this.#client, command, { expiresIn: expiresInSeconds });
    return { url, expiresAt: new Date(Date.now() + expiresInSeconds * 1000) };
  }

  /** Releases the HTTP connections. */
  close(): void {
    this.#client.destroy();
  }
}
