/**
 * The size an export's file will have, worked out from what the video record knows of its source, so the
 * dialog and the API give the same figure. Pure: no I/O.
 */

import type { Format, Framing, FramingFit, QualityPreset, Resolution } from './enums.js';
import type { ExportMode } from './export-estimate.js';
import { framedDimensions, type SourcePicture } from './output-size.js';
import { AUDIO_BITRATES, VIDEO_BITRATE_CAPS } from './quality.js';
import { totalSegmentDuration } from './segment-rules.js';

/** What an estimate knows of the source: the video record's probe fields (null or absent when unknown). */
export interface EstimateSource {
  duration_seconds?: number | null | undefined;
  width?: number | null | undefined;
  height?: number | null | undefined;
  rotation?: number | null | undefined;
  size_bytes?: number | null | undefined;
  video_codec?: string | null | undefined;
  audio_codec?: string | null | undefined;
}

/** The options of an export that its size depends on. */
export interface EstimateRequest {
  format: Format;
  resolution: Resolution;
  quality_preset: QualityPreset;
  framing?: Framing | undefined;
  framing_fit?: FramingFit | undefined;
  segments: readonly { start_time: number; end_time: number }[];
}

/** The video codec each format's encoder writes. */
const FORMAT_VIDEO_CODECS: Readonly<Record<Format, 'h264' | 'vp9'>> = {
  mp4: 'h264',
  mov: 'h264',
  webm: 'vp9',
};

/**
 * The fit: the worker's real 720p exports (x264 `veryfast` and libvpx-vp9 `realtime`, as media/encoding.ts
 * sets them) of sources from phones, cameras, screen captures, broadcast TS and test patterns (the media
 * corpus and the demo's sample), each factor below chosen to centre the errors (as ratios) of its format
 * and preset. `testing/media/export-size-estimate.test.ts` holds the estimate within ±25% of the real size
 * on the sample videos. Content decides the real size, and the source's own bitrate is the best sign of it that
 * the record has; but sources' encoders differ in efficiency by up to 2× (a phone's hardware encoder or
 * x264 `ultrafast` spends twice what `veryfast` does), which the record cannot show, so each estimate
 * blends the source's bits with a typical rate rather than scaling them alone.
 *
 * x264's bits per preset, as a multiple of the blend: CRF 18, 23 and 28 are about 1.5-1.9× apart per step.
 */
const H264_FACTORS: Readonly<Record<QualityPreset, number>> = { high: 1.11, medium: 0.575, low: 0.387 };

/**
 * libvpx-vp9's bits per preset. In `realtime` mode with `-crf` and `-b:v` (constrained quality) it spends
 * much the same on simple and busy pictures, so its estimate leans less on the source (see SOURCE_WEIGHTS).
 */
const VP9_FACTORS: Readonly<Record<QualityPreset, number>> = { high: 1.28, medium: 0.85, low: 0.65 };

/** How much of the blend comes from the source's bits (the rest from {@link TYPICAL_720P_BITS}). */
const SOURCE_WEIGHTS = { h264: 0.6, vp9: 0.4 } as const;
/** A typical 720p picture's H.264 bits per second, the other side of the blend. */
const TYPICAL_720P_BITS = 1_500_000;
const PIXELS_720P = 1280 * 720;

/** Bits an H.264 encoder needs for what one bit of each codec holds (newer codecs pack more in a bit). */
const CODEC_EFFICIENCY: Readonly<Record<string, number>> = {
  hevc: 1.5,
  av1: 1.8,
  vp9: 1.0,
  vp8: 1.0,
  h264: 1.0,
  mpeg4: 0.8,
  h263: 0.7,
  mpeg2video: 0.6,
};

/** Source audio's assumed bits per second: PCM is uncompressed 48 kHz stereo, anything else a usual 128k. */
const sourceAudioBits = (codec: string) => (codec.startsWith('pcm_') ? 1_536_000 : 128_000);

/**
 * Bits per pixel change: a source scaled up gains pixels but no detail, so bits grow with about the square
 * root of the pixels added; pixels dropped take their detail with them, so bits fall nearly in step.
 */
const UPSCALE_EXPONENT = 0.5;
const DOWNSCALE_EXPONENT = 0.75;

/**
 * A smart cut re-encodes each segment's start up to the source's next keyframe (half a 2-second GOP on
 * average) at near-lossless quality (plan-copy's CRF 18 `ultrafast`), which costs about 3× the
 * source's bits for that stretch.
 */
const CUT_HEAD_SECONDS = 1;
const CUT_HEAD_COST = 3;

/** MP4/MOV and WebM headers and indexes: about 1% of the file. */
const CONTAINER_OVERHEAD = 1.01;

/** The picture assumed when the record has no size: 16:9. */
const WIDESCREEN: SourcePicture = { width: 1920, height: 1080, sampleAspectRatio: 1, rotation: 0 };

/** The source's picture as {@link framedDimensions} takes it: the record has no pixel shape, so square. */
function sourcePicture(source: EstimateSource | undefined): SourcePicture | undefined {
  if (!source?.width || !source.height) return undefined;
  return { width: source.width, height: source.height, sampleAspectRatio: 1, rotation: source.rotation ?? 0 };
}

/**
 * How the worker will most likely make the export: the source's video kept (a copy, or a smart cut that
 * re-encodes only around the cuts) when its codec and picture are what the format and resolution ask for,
 * otherwise a re-encode. The worker decides from the keyframes, which the record does not hold, so a copy
 * is predicted as a smart cut.
 */
export function predictExportMode(request: EstimateRequest, source?: EstimateSource): ExportMode {
  const picture = sourcePicture(source);
  if (!picture || (request.framing ?? 'original') !== 'original') return 'reencode';
  if (source?.video_codec !== FORMAT_VIDEO_CODECS[request.format] || picture.rotation !== 0)
    return 'reencode';
  const target = framedDimensions(picture, request.resolution);
  return target.width === picture.width && target.height === picture.height ? 'smart-cut' : 'reencode';
}

/** The source's video and audio bits per second, when the record has its size and duration. */
function sourceBits(source: EstimateSource | undefined): { video: number; total: number } | undefined {
  if (!source?.size_bytes || !source.duration_seconds) return undefined;
  const total = (source.size_bytes * 8) / source.duration_seconds;
  const audio = source.audio_codec ? sourceAudioBits(source.audio_codec) : 0;
  // a file is never mostly audio in these estimates: a guess too high for a quiet track must not zero it
  return { video: Math.max(total - audio, total * 0.3), total };
}

/**
 * The re-encoded video's bits per second: the source's H.264-equivalent bits scaled to the target's pixels
 * (blended with a typical rate), times the preset's factor, under the preset's bitrate ceiling.
 */
function encodedVideoBits(
  request: EstimateRequest,
  source: EstimateSource | undefined,
  targetPixels: number,
): number {
  const cap = VIDEO_BITRATE_CAPS[request.resolution][request.quality_preset];
  const codec = FORMAT_VIDEO_CODECS[request.format];
  const factor = (codec === 'vp9' ? VP9_FACTORS : H264_FACTORS)[request.quality_preset];
  const weight = SOURCE_WEIGHTS[codec];
  const typical = TYPICAL_720P_BITS * (targetPixels / PIXELS_720P) ** UPSCALE_EXPONENT;
  const bits = sourceBits(source);
  const picture = sourcePicture(source);
  if (!bits || !picture) return Math.min(cap, factor * typical);
  const ratio = targetPixels / (picture.width * picture.height);
  const scale = ratio >= 1 ? ratio ** UPSCALE_EXPONENT : ratio ** DOWNSCALE_EXPONENT;
  const efficiency = CODEC_EFFICIENCY[source?.video_codec ?? ''] ?? 1;
  const equivalent = bits.video * efficiency * scale;
  return Math.min(cap, factor * equivalent ** weight * typical ** (1 - weight));
}

/**
 * The expected size in bytes of an export's file (the sum of the clips for a ZIP). Calibrated on real
 * exports (see the fit above); without the source's size and duration it falls back on typical rates.
 * A smart cut or copy keeps the source's bits and re-encodes the audio and each cut's start.
 */
export function estimateExportBytes(request: EstimateRequest, source?: EstimateSource): number {
  const seconds = totalSegmentDuration(request.segments);
  const bits = sourceBits(source);
  const audio = source?.audio_codec === null ? 0 : AUDIO_BITRATES[request.quality_preset];
  // a source with fewer bits than the audio bitrate in all is silent or nearly: encoders spend little on it
  const audioBits = bits ? Math.min(audio, bits.total) : audio;
  let videoBytes: number;
  if (bits && predictExportMode(request, source) !== 'reencode') {
    const heads = request.segments.reduce(
      (sum, segment) => sum + Math.min(CUT_HEAD_SECONDS, segment.end_time - segment.start_time),
      0,
    );
    videoBytes = (bits.video * (seconds + heads * (CUT_HEAD_COST - 1))) / 8;
  } else {
    const picture = sourcePicture(source) ?? WIDESCREEN;
    const target = framedDimensions(picture, request.resolution, request.framing);
    videoBytes = (encodedVideoBits(request, source, target.width * target.height) * seconds) / 8;
  }
  return Math.round((videoBytes + (audioBits * seconds) / 8) * CONTAINER_OVERHEAD);
}
