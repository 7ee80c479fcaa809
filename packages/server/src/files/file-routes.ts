import { basename } from 'node:path';
import { contentDisposition, servedContentType, type LocalDiskStorage } from '@vexport/storage';
import { Router } from 'express';
import { AppError, NotFoundError } from '../http/problem.js';

function expiredLink(): AppError {
  return new AppError(403, 'forbidden', 'Download link invalid', {
    detail: 'This download link has expired or is not valid. Ask for a new one.',
  });
}

/**
 * `GET /api/files/{key}` for the local-disk driver: serves a stored file to whoever holds a signed, unexpired
 * link for exactly that key and file name (what S3 presigned URLs do for the S3 driver). Supports ranges.
 * Mounted at `/api/files`.
 */
export function fileRoutes(storage: LocalDiskStorage): Router {
  const router = Router();
  router.get('/*key', (request, response, next) => {
    const key = ([] as string[]).concat(request.params.key ?? []).join('/');
    const query = request.query;
    const signed = {
      key,
      expires: Number(query.expires),
      filename: typeof query.filename === 'string' ? query.filename : '',
      signature: typeof query.signature === 'string' ? query.signature : '',
    };
    let path: string;
    try {
      if (!storage.verifyDownload(signed)) throw expiredLink();
      path = storage.resolvePath(key);
    } catch (error) {
      next(error instanceof AppError ? error : expiredLink());
      return;
    }
    // the type comes from our allow list by the key's extension (send would guess it from any extension,
    // `.html` included), and every file is an attachment, whoever opens the link
    response.set({
      'Cache-Control': 'private, no-transform',
      'Content-Type': servedContentType(key),
      'Content-Disposition': contentDisposition(signed.filename || basename(key)),
    });
    response.sendFile(
      path,
      // a safe key has no dot-led segment (assertSafeKey); the storage folder itself may (`.vexport/storage`)
      { dotfiles: 'allow' },
      (error?: Error & { status?: number; code?: string }) => {
        // a player that stops reading (seeking, closing) aborts the request: nothing to answer
        if (!error || response.headersSent || error.code === 'ECONNABORTED') return;
        next(error.status === 404 ? new NotFoundError('The file no longer exists.') : error);
      },
    );
  });
  return router;
}
