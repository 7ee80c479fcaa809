import { contentDisposition, type LocalDiskStorage } from '@vexport/storage';
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
    const headers: Record<string, string> = { 'Cache-Control': 'private, no-transform' };
    if (signed.filename) headers['Content-Disposition'] = contentDisposition(signed.filename);
    response.sendFile(
      path,
      { headers, dotfiles: 'deny' },
      (error?: Error & { status?: number; code?: string }) => {
        // a player that stops reading (seeking, closing) aborts the request: nothing to answer
        if (!error || response.headersSent || error.code === 'ECONNABORTED') return;
        next(error.status === 404 ? new NotFoundError('The file no longer exists.') : error);
      },
    );
  });
  return router;
}
