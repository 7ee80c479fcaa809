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
  SourceDownloadError,
  SourceUrlRefusedError,
  type DownloadOptions,
  type SourceUrlPolicy,
} from './remote-source.js';
export { isPublicAddress, type InterfaceList } from './public-address.js';
export { contentDisposition } from './content-disposition.js';
export {
  allowedContentType,
  DOWNLOAD_CONTENT_TYPE,
  mediaExtension,
  servedContentType,
} from './served-content-type.js';
