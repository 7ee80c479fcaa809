export {
  assertSafeKey,
  StorageObjectNotFoundError,
  UnsafeStorageKeyError,
  type ObjectStorage,
  type StoredObjectInfo,
  type PutOptions,
  type DownloadUrl,
  type DownloadUrlOptions,
} from './storage.js';
export { LocalDiskStorage, type LocalDiskStorageOptions, type SignedDownload } from './local-disk-storage.js';
export { S3Storage, type S3StorageOptions } from './s3-storage.js';
export {
  readStorageConfig,
  createStorage,
  StorageConfigError,
  type StorageConfig,
} from './storage-config.js';
export {
  assertFetchableUrl,
  describeByteLimit,
  downloadUrlToFile,
  isPrivateAddress,
  SourceDownloadError,
  SourceUrlRefusedError,
  type DownloadOptions,
  type SourceUrlPolicy,
} from './remote-source.js';
export { contentDisposition } from './content-disposition.js';
