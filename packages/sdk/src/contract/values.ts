// The contract's value lists, free of zod so that code which only needs the values (the client, the
// widget) does not bundle the schema library. The zod enums in enums.ts and problem.ts are built from these.

export const EXPORT_TYPES = ['single', 'combined', 'clips'] as const;
export const RESOLUTIONS = ['720p', '1080p', '4k'] as const;
export const FORMATS = ['mp4', 'mov', 'webm'] as const;
export const QUALITY_PRESETS = ['high', 'medium', 'low'] as const;
export const EXPORT_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export const STAGES = ['queued', 'downloading', 'processing', 'uploading', 'complete'] as const;
export const VIDEO_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

/**
 * The output picture's shape: the source's own (`original`), or portrait, square or landscape. A framed
 * export keeps the resolution's short side (1080p at 9:16 is 1080×1920).
 */
export const FRAMINGS = ['original', '9:16', '1:1', '16:9'] as const;
/**
 * How the source's picture meets a framing that differs from its shape: `crop` fills the frame and cuts the
 * excess from the centre, `pad` shows the whole picture with black bars.
 */
export const FRAMING_FITS = ['crop', 'pad'] as const;
/** An export's framing when the request leaves it out: the source's shape, as before framing existed. */
export const DEFAULT_FRAMING = 'original';
/** An export's framing fit when the request leaves it out. */
export const DEFAULT_FRAMING_FIT = 'crop';

/** The quietest integrated loudness target an export may ask for, in LUFS (EBU R128). */
export const MIN_LOUDNESS_LUFS = -30;
/** The loudest integrated loudness target an export may ask for, in LUFS (EBU R128). */
export const MAX_LOUDNESS_LUFS = -5;
/**
 * Usual integrated loudness targets, in LUFS, for clients to offer: what social platforms, podcast apps and
 * EBU R128 broadcast normalise to.
 */
export const LOUDNESS_TARGETS = Object.freeze({ social: -14, podcast: -16, broadcast: -23 } as const);

/**
 * Why an uploaded source was refused when it was probed (a video's `error_code`): stable, for clients to act
 * on; the video's `error_message` says the same for a person.
 */
export const SOURCE_REFUSAL_CODES = [
  /** Not a container this service opens (playlists, images, text, unknown formats). */
  'unsupported_format',
  /** A container ffprobe cannot read: corrupt or truncated. */
  'unreadable_file',
  /** No video stream (audio only, subtitles only). */
  'no_video_stream',
  /** A video stream whose pictures do not decode. */
  'undecodable_video',
  /** Neither the container nor the stream says how long it is. */
  'no_duration',
  /** No usable frame rate. */
  'no_frame_rate',
  /** Longer than the service's limit. */
  'too_long',
  /** A picture larger than the service's limit. */
  'picture_too_large',
] as const;
export type SourceRefusalCode = (typeof SOURCE_REFUSAL_CODES)[number];

/**
 * Stable machine-readable error codes. Clients branch on these, never on `title` or `detail`,
 * so a code is never renamed once released.
 */
export const PROBLEM_CODES = [
  'validation_failed',
  'invalid_json',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'video_not_ready',
  'segment_out_of_range',
  'export_type_mismatch',
  'export_not_completed',
  'export_not_cancellable',
  'source_url_refused',
  'service_unavailable',
  'internal_error',
] as const;

const TERMINAL_EXPORT_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** True when an export in this status will never change again. */
export function isTerminalExportStatus(status: (typeof EXPORT_STATUSES)[number]): boolean {
  return TERMINAL_EXPORT_STATUSES.has(status);
}
