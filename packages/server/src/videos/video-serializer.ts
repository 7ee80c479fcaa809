import type { Video as VideoRecord } from '@vexport/db';
import type { Video } from '@vexport/sdk';

/** A video record as the API returns it. */
export function toVideoResponse(video: VideoRecord): Video {
  return {
    id: video.id,
    user_id: video.user_id,
    title: video.title,
    source: video.source,
    status: video.status,
    duration_seconds: video.duration_seconds,
    width: video.width,
    height: video.height,
    fps: video.fps,
    video_codec: video.video_codec,
    audio_codec: video.audio_codec,
    rotation: video.rotation,
    size_bytes: video.size_bytes,
    error_message: video.error_message,
    error_code: video.error_code,
    created_at: video.created_at.toISOString(),
    updated_at: video.updated_at.toISOString(),
  };
}
