import type { SourceRefusalCode } from '@vexport/sdk';
import { SourceDownloadError, SourceUrlRefusedError, StorageObjectNotFoundError } from '@vexport/storage';
import { UnreadableMediaError } from '../media/media-probe.js';

/**
 * A failure that trying again cannot fix (bad input, unsupported media). The job ends at once with the
 * message shown to the user; bee-queue retries every other error.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** True when retrying the job cannot help. */
export function isPermanent(error: unknown): boolean {
  if (error instanceof PermanentJobError || error instanceof UnreadableMediaError) return true;
  if (error instanceof SourceUrlRefusedError || error instanceof StorageObjectNotFoundError) return true;
  return error instanceof SourceDownloadError && !error.retryable;
}

/** The words stored as a record's error_message: what happened, for a person, never an ffmpeg dump. */
export function describeFailure(error: unknown): string {
  if (error instanceof StorageObjectNotFoundError) return 'The source file is missing from storage.';
  if (isPermanent(error) || error instanceof SourceDownloadError) return (error as Error).message;
  return 'Processing failed because of a temporary problem on our side. Try again.';
}

/**
 * The code stored as a video's error_code: why its source was refused, for clients. Null for any failure that
 * is not the source's content (a download, storage, a temporary problem), where no refusal code applies.
 */
export function refusalCode(error: unknown): SourceRefusalCode | null {
  return error instanceof UnreadableMediaError ? error.code : null;
}
