import type { Models, Video } from '@vexport/db';
import type { VideoList, VideoListQuery, VideoRegisterRequest } from '@vexport/sdk';
import { SourceUrlRefusedError, assertFetchableUrl, type ObjectStorage } from '@vexport/storage';
import type { CreationAttributes } from 'sequelize';
import { linkOn } from '../http/link-origin.js';
import { AppError, NotFoundError } from '../http/problem.js';
import type { JobQueues } from '../queue/job-queues.js';
import { toVideoResponse } from './video-serializer.js';
import type { StoredUpload } from './video-upload.js';

export interface VideoServiceOptions {
  models: Models;
  storage: ObjectStorage;
  queues: JobQueues;
  allowPrivateSourceUrls: boolean;
  sourceKeyPrefixes: readonly string[];
  /** Cancels the running exports of a video that is being deleted. */
  cancelExportsOfVideo: (userId: string, videoId: string) => Promise<void>;
}

const DEFAULT_TITLE = 'Untitled video';

/** A title as people see it in lists: control characters and line breaks become spaces, 200 characters at most. */
export function cleanTitle(text: string | undefined): string | undefined {
  const title = text
    ?.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .trim()
    .slice(0, 200);
  return title || undefined;
}

/** A title from a file name: the name without its extension ("Holiday 100% best.mp4" → "Holiday 100% best"). */
function titleFromFileName(name: string): string | undefined {
  return cleanTitle(name.replace(/\.[A-Za-z0-9]{1,5}$/, ''));
}

/** A title from a URL path's last segment, percent-decoded where it is valid percent-encoding. */
function titleFromUrlPath(path: string): string | undefined {
  const segment = path.split('/').pop() ?? '';
  try {
    return titleFromFileName(decodeURIComponent(segment));
  } catch {
    return titleFromFileName(segment);
  }
}

/** Registering source videos (upload, URL or storage key), reading and deleting them. */
export class VideoService {
  readonly #options: VideoServiceOptions;

  constructor(options: VideoServiceOptions) {
    this.#options = options;
  }

  get #Video() {
    return this.#options.models.Video;
  }

  /** Registers a source by URL or by a storage key the user may use; the probe job fills its metadata. */
  async register(userId: string, request: VideoRegisterRequest): Promise<Video> {
    if ('source_url' in request) {
      await this.#assertFetchable(request.source_url);
      const title = request.title ?? titleFromUrlPath(new URL(request.source_url).pathname) ?? DEFAULT_TITLE;
      return this.#createAndProbe({ user_id: userId, title, source: request.source_url });
    }
    const key = request.storage_key;
    const allowedPrefixes = [`uploads/${userId}/`, ...this.#options.sourceKeyPrefixes];
    const stored = allowedPrefixes.some((prefix) => key.startsWith(prefix))
      ? await this.#options.storage.head(key).catch(() => undefined)
      : undefined;
    if (!stored) {
      throw new AppError(422, 'validation_failed', 'Validation failed', {
        detail: 'There is no stored object at this key that you may use.',
        errors: [{ path: 'storage_key', message: 'no usable stored object at this key' }],
      });
    }
    const title = request.title ?? titleFromFileName(key.split('/').pop() ?? '') ?? DEFAULT_TITLE;
    return this.#createAndProbe({ user_id: userId, title, source: key, size_bytes: stored.size });
  }

  /** Registers an upload already streamed into storage; removes the stored file if that fails. */
  async registerUpload(userId: string, upload: StoredUpload): Promise<Video> {
    try {
      return await this.#createAndProbe({
        id: upload.videoId,
        user_id: userId,
        title: cleanTitle(upload.title) ?? titleFromFileName(upload.filename) ?? DEFAULT_TITLE,
        source: upload.key,
        size_bytes: upload.size,
      });
    } catch (error) {
      await this.#options.storage.delete(upload.key).catch(() => undefined);
      throw error;
    }
  }

  async #assertFetchable(url: string): Promise<void> {
    try {
      await assertFetchableUrl(url, { allowPrivate: this.#options.allowPrivateSourceUrls });
    } catch (error) {
      if (!(error instanceof SourceUrlRefusedError)) throw error;
      throw new AppError(422, 'source_url_refused', 'Source URL refused', {
        detail: error.message,
        errors: [{ path: 'source_url', message: error.message }],
      });
    }
  }

  async #createAndProbe(values: CreationAttributes<Video>): Promise<Video> {
    const video = await this.#Video.create(values);
    try {
      await this.#options.queues.enqueueProbe(video.id);
    } catch (error) {
      await video.destroy();
      throw error;
    }
    return video;
  }

  /** A time-limited URL of the source file, for playing it in an editor. */
  async createSourceUrl(
    userId: string,
    videoId: string,
    origin: string | undefined,
    ttlSeconds: number,
  ): Promise<{ url: string; expires_at: string }> {
    const video = await this.get(userId, videoId);
    if (video.status !== 'completed') {
      throw new AppError(409, 'video_not_ready', 'Video not ready', {
        detail: 'The video can be played once it has been analysed.',
      });
    }
    const { url, expiresAt } = await this.#options.storage.createDownloadUrl(video.source, {
      expiresInSeconds: ttlSeconds,
    });
    return { url: linkOn(origin, url), expires_at: expiresAt.toISOString() };
  }

  /** The user's video, or a 404 (also for another user's id). */
  async get(userId: string, videoId: string): Promise<Video> {
    const video = await this.#Video.findOne({ where: { id: videoId, user_id: userId } });
    if (!video) throw new NotFoundError('No video with this id.');
    return video;
  }

  async list(userId: string, { page, limit }: VideoListQuery): Promise<VideoList> {
    const { rows, count } = await this.#Video.findAndCountAll({
      where: { user_id: userId },
      order: [
        ['created_at', 'DESC'],
        ['id', 'DESC'],
      ],
      limit,
      offset: (page - 1) * limit,
    });
    return { videos: rows.map(toVideoResponse), total: count, page, limit };
  }

  /**
   * Deletes the video with its exports: running exports are cancelled, their files and the uploaded source
   * are removed from storage, then the rows (exports go with the video through ON DELETE CASCADE).
   */
  async delete(userId: string, videoId: string): Promise<void> {
    const video = await this.get(userId, videoId);
    await this.#options.cancelExportsOfVideo(userId, videoId);
    const { Export } = this.#options.models;
    const exports = await Export.findAll({ where: { video_id: videoId }, attributes: ['id'] });
    const storage = this.#options.storage;
    await Promise.all(exports.map((record) => storage.deletePrefix(`exports/${userId}/${record.id}/`)));
    if (video.source.startsWith(`uploads/${userId}/${videoId}/`)) {
      await storage.deletePrefix(`uploads/${userId}/${videoId}/`);
    }
    await video.destroy();
  }
}
