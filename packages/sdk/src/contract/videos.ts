import { z } from 'zod';
import { VideoStatus } from './enums.js';
import { EntityId, Timestamp } from './timestamps.js';
import { SOURCE_REFUSAL_CODES } from './values.js';

/** A registered source video and what its probe found. */
export const Video = z.object({
  id: EntityId,
  user_id: EntityId,
  title: z.string(),
  source: z.string(),
  status: VideoStatus,
  duration_seconds: z.number().min(0).nullable(),
  width: z.number().int().min(0).nullable(),
  height: z.number().int().min(0).nullable(),
  fps: z.number().min(0).nullable(),
  video_codec: z.string().nullable(),
  audio_codec: z.string().nullable(),
  /** Display rotation in degrees (0, 90, 180, 270) from the source's metadata. */
  rotation: z.number().int().nullable(),
  size_bytes: z.number().int().min(0).nullable(),
  error_message: z.string().nullable(),
  /**
   * Why the probe refused the source, for clients to act on (see {@link SOURCE_REFUSAL_CODES}); null unless
   * the video `failed` because of its source. `error_message` says the same for a person.
   */
  error_code: z.enum(SOURCE_REFUSAL_CODES).nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Video = z.infer<typeof Video>;

/** One page of videos, newest first. */
export const VideoList = z.object({
  videos: z.array(Video),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  limit: z.number().int().min(1).max(100),
});
export type VideoList = z.infer<typeof VideoList>;

/** Paging of the video list. */
export const VideoListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type VideoListQuery = z.infer<typeof VideoListQuery>;

/** Body of `POST /api/videos` as JSON: a source reachable by URL, or an object already in storage. */
export const VideoRegisterRequest = z.union([
  z.strictObject({ title: z.string().trim().min(1).max(200).optional(), source_url: z.url() }),
  z.strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    storage_key: z.string().min(1).max(1024),
  }),
]);
export type VideoRegisterRequest = z.infer<typeof VideoRegisterRequest>;
