import { VideoListQuery, VideoRegisterRequest } from '@vexport/sdk';
import type { ObjectStorage } from '@vexport/storage';
import { Router } from 'express';
import { AppError } from '../http/problem.js';
import { currentUser } from '../http/request-context.js';
import { requestOrigin } from '../http/request-origin.js';
import { parseId, parseRequest } from '../http/validate.js';
import { toVideoResponse } from './video-serializer.js';
import type { VideoService } from './video-service.js';
import { storeUpload } from './video-upload.js';

export interface VideoRouteOptions {
  videos: VideoService;
  storage: ObjectStorage;
  uploadMaxBytes: number;
  downloadUrlTtlSeconds: number;
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
}: VideoRouteOptions): Router {
  const router = Router();

  router.post('/', async (request, response) => {
    const { userId } = currentUser(request);
    let video;
    if (request.is('multipart/form-data')) {
      const upload = await storeUpload(request, storage, userId, uploadMaxBytes);
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
      requestOrigin(request),
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
