import { LocalDiskStorage } from './local-disk-storage.js';
import { S3Storage } from './s3-storage.js';
import type { ObjectStorage } from './storage.js';

export type StorageConfig =
  | { driver: 'local'; root: string; signingSecret?: string | undefined; publicBaseUrl?: string | undefined }
  | {
      driver: 's3';
      bucket: string;
      region?: string | undefined;
      endpoint?: string | undefined;
      forcePathStyle?: boolean | undefined;
    };

/** Thrown when the storage variables do not describe a usable storage; the message says which. */
export class StorageConfigError extends Error {
  override name = 'StorageConfigError';
}

/**
 * Reads the storage settings: S3 when `S3_BUCKET` is set (with `S3_REGION`, `S3_ENDPOINT`,
 * `S3_FORCE_PATH_STYLE`, and credentials from the usual AWS variables), else a local folder `STORAGE_DIR`.
 * `signingSecret` signs local download URLs (`STORAGE_SIGNING_SECRET` overrides it).
 */
export function readStorageConfig(
  env: NodeJS.ProcessEnv,
  { signingSecret }: { signingSecret?: string } = {},
): StorageConfig {
  if (env.S3_BUCKET) {
    const forcePathStyle = env.S3_FORCE_PATH_STYLE;
    if (forcePathStyle !== undefined && !['true', 'false', '1', '0'].includes(forcePathStyle)) {
      throw new StorageConfigError('S3_FORCE_PATH_STYLE must be true or false');
    }
    if (env.S3_ENDPOINT && !/^https?:\/\//.test(env.S3_ENDPOINT)) {
      throw new StorageConfigError('S3_ENDPOINT must be an http(s):// URL');
    }
    return {
      driver: 's3',
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: forcePathStyle === 'true' || forcePathStyle === '1',
    };
  }
  if (!env.STORAGE_DIR) {
    throw new StorageConfigError(
      'set S3_BUCKET (S3 storage) or STORAGE_DIR (a local folder) to say where files go',
    );
  }
  return {
    driver: 'local',
    root: env.STORAGE_DIR,
    signingSecret: env.STORAGE_SIGNING_SECRET ?? signingSecret,
    publicBaseUrl: env.PUBLIC_BASE_URL,
  };
}

/** The storage a configuration describes. */
export function createStorage(config: StorageConfig): ObjectStorage {
  return config.driver === 's3' ? new S3Storage(config) : new LocalDiskStorage(config);
}
