import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import busboy from 'busboy';
import { describeByteLimit, mediaExtension, type ObjectStorage } from '@vexport/storage';
import { AppError, ValidationError } from '../http/problem.js';

/** What a multipart upload stored. */
export interface StoredUpload {
  videoId: string;
  key: string;
  size: number;
  filename: string;
  title: string | undefined;
}

/** Room for the multipart boundaries, part headers and small fields around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function malformedBody(): AppError {
  return new AppError(400, 'validation_failed', 'Bad request', {
    detail: 'The multipart body is malformed or cut off.',
  });
}

class UploadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', 'Upload too large', {
      detail: `The video is larger than the ${describeByteLimit(maxBytes)} this service accepts.`,
    });
  }
}

/**
 * Streams the `file` part of a multipart request straight into storage (never buffered whole) under
 * `uploads/{userId}/{videoId}/`, refusing files over `maxBytes`. On any failure nothing stays stored.
 */
export function storeUpload(
  request: Request,
  storage: ObjectStorage,
  userId: string,
  maxBytes: number,
): Promise<StoredUpload> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) {
      // no need to read a body that says it is too large
      reject(new UploadTooLargeError(maxBytes));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { files: 1, fileSize: maxBytes, fields: 5, fieldSize: 1_000 },
      });
    } catch {
      reject(malformedBody());
      return;
    }
    const videoId = randomUUID();
    const abort = new AbortController();
    let stopFile = () => {};
    // the video's whole folder, not only its object: local-disk storage made the folder to write into
    const removeUpload = () => storage.deletePrefix(`uploads/${userId}/${videoId}/`).catch(() => undefined);
    let title: string | undefined;
    let stored: Promise<{ key: string; size: number; filename: string }> | undefined;
    let failure: unknown;
    const fail = (error: unknown) => {
      failure ??= error;
    };

    parser.on('field', (name, value) => {
      if (name === 'title' && value.trim()) title = value.trim().slice(0, 200);
    });
    parser.on('file', (name, file, info) => {
      if (name !== 'file' || stored) {
        file.resume();
        return;
      }
      const key = `uploads/${userId}/${videoId}/source${mediaExtension(info.filename ?? '')}`;
      // busboy destroys the file stream with an error when the body is cut off, possibly before storage has
      // started reading it: without a listener from the first moment, that error would end the process
      file.on('error', (error) => {
        fail(malformedBody());
        abort.abort(error);
      });
      stopFile = () => {
        if (!file.readableEnded) abort.abort(new Error('the multipart body ended early'));
      };
      file.on('limit', () => {
        fail(new UploadTooLargeError(maxBytes));
        abort.abort();
        request.unpipe(parser);
        request.resume();
        void settle();
      });
      stored = storage
        .put(key, file, { contentType: info.mimeType, signal: abort.signal })
        .then(({ size }) => ({ key, size, filename: info.filename ?? 'video' }))
        .catch(async (error: unknown) => {
          await removeUpload();
          throw failure ?? error;
        });
      stored.catch(fail);
    });
    parser.on('error', () => {
      fail(malformedBody());
      stopFile();
      void settle();
    });
    let settled = false;
    const settle = async () => {
      if (settled) return;
      settled = true;
      if (!stored) {
        reject(
          failure ?? new ValidationError([{ path: 'file', message: 'attach the video as the `file` field' }]),
        );
        return;
      }
      try {
        const upload = await stored;
        if (failure) {
          await removeUpload();
          throw failure;
        }
        resolve({ videoId, title, ...upload });
      } catch (error) {
        reject(error);
      }
    };
    parser.on('close', () => void settle());
    request.on('aborted', () => parser.destroy(new Error('client aborted the upload')));
    request.on('error', (error) => parser.destroy(error));
    request.pipe(parser);
  });
}
