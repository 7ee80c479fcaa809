import { VideoListQuery, VideoRegisterRequest } from '@vexport/sdk';
import type { ObjectStorage } from '@vexport/storage';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../http/problem.js';
import type { UploadAllowance } from '../http/upload-allowance.js';
import { currentUser } from '../http/request-context.js';
import type { LinkOrigin } from '../http/link-origin.js';
import { parseId, parseRequest } from '../http/validate.js';
import { toVideoResponse } from './video-serializer.js';
import type { VideoService } from './video-service.js';
import { storeUpload } from './video-upload.js';

export interface VideoRouteOptions {
  videos: VideoService;
  storage: ObjectStorage;
  uploadMaxBytes: number;
  downloadUrlTtlSeconds: number;
  /** Where the source links point (see createLinkOrigin). */
  linkOrigin: LinkOrigin;
  /** Applied to registration before the body is read. */
  registrationLimit: RequestHandler;
  uploadAllowance: UploadAllowance;
}

/**
 * `POST /api/videos` (multipart upload or JSON), `GET /api/videos`, `GET`/`DELETE /api/videos/{id}`; mounted
 * at `/api/videos`.
 */
export function videoRoutes({
  videos,
  storage,
  uploadMaxBytes,
  downloadUrlTtlSeconds,
  linkOrigin,
  registrationLimit,
  uploadAllowance,
}: VideoRouteOptions): Router {
  const router = Router();

  router.post('/', registrationLimit, async (request, response) => {
    const { userId } = currentUser(request);
    let video;
    if (request.is('multipart/form-data')) {
      const upload = await uploadAllowance
        .storeWithin(userId, request, response, uploadMaxBytes, (capBytes) =>
          storeUpload(request, storage, userId, capBytes),
        )
        .catch((error: unknown) => {
          // the rest of a refused or broken body is never read: the connection cannot carry another request
          response.set('Connection', 'close');
          throw error;
        });
      video = await videos.registerUpload(userId, upload);
    } else if (request.is('application/json')) {
      video = await videos.register(userId, parseRequest(VideoRegisterRequest, request.body));
    } else {
      throw new AppError(415, 'unsupported_media_type', 'Unsupported media type', {
        detail:
          'Send the video as multipart/form-data (field `file`), or JSON with `source_url` or `storage_key`.',
      });
    }
    response.status(201).location(`/api/videos/${video.id}`).json(toVideoResponse(video));
  });

  router.get('/', async (request, response) => {
    const query = parseRequest(VideoListQuery, request.query, 'query');
    response.json(await videos.list(currentUser(request).userId, query));
  });

  router.get('/:videoId', async (request, response) => {
    const video = await videos.get(currentUser(request).userId, parseId(request.params.videoId, 'video'));
    response.json(toVideoResponse(video));
  });

  router.get('/:videoId/source', async (request, response) => {
    const source = await videos.createSourceUrl(
      currentUser(request).userId,
      parseId(request.params.videoId, 'video'),
      linkOrigin(request),
      downloadUrlTtlSeconds,
    );
    response.set('Cache-Control', 'no-store').json(source);
  });

  router.delete('/:videoId', async (request, response) => {
    await videos.delete(currentUser(request).userId, parseId(request.params.videoId, 'video'));
    response.status(204).end();
  });

  return router;
}
