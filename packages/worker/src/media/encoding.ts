import {
  AUDIO_BITRATES,
  SHORT_SIDE_PIXELS,
  VIDEO_BITRATE_CAPS,
  type Format,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
import type { VideoStreamInfo } from './media-probe.js';

/** H.264 encoders vexport can drive: the CPU one and the hardware ones it detects. */
export const H264_ENCODERS = [
  'h264_nvenc',
  'h264_vaapi',
  'h264_qsv',
  'h264_videotoolbox',
  'libx264',
] as const;
export type H264Encoder = (typeof H264_ENCODERS)[number];

/** The codecs and container of an output format. */
export interface FormatTarget {
  container: Format;
  videoCodec: 'h264' | 'vp9';
  audioCodec: 'aac' | 'opus';
}

export const FORMAT_TARGETS: Readonly<Record<Format, FormatTarget>> = {
  mp4: { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac' },
  mov: { container: 'mov', videoCodec: 'h264', audioCodec: 'aac' },
  webm: { container: 'webm', videoCodec: 'vp9', audioCodec: 'opus' },
};

/** x264 constant-rate factors: high 18, medium 23, low 28. */
const H264_CRF: Readonly<Record<QualityPreset, number>> = { high: 18, medium: 23, low: 28 };
/** libvpx-vp9 constrained-quality levels giving about the same picture quality. */
const VP9_CRF: Readonly<Record<QualityPreset, number>> = { high: 24, medium: 31, low: 37 };

const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/**
 * Display aspects (width over height) that players, platforms and editors have exact sizes for: 16:9, 9:16,
 * 4:3, 3:4 and 1:1. Each gives a whole, even number of pixels at every resolution's short side.
 */
const STANDARD_ASPECTS: readonly (readonly [number, number])[] = [
  [16, 9],
  [9, 16],
  [4, 3],
  [3, 4],
  [1, 1],
];
/**
 * How far (as a fraction) a source's display aspect may be from a standard one and still get its exact
 * size: 854×480 (0.07% wider than 16:9) or 1920×1088 (0.7% narrower) are meant as 16:9.
 */
const STANDARD_ASPECT_TOLERANCE = 0.01;

/**
 * The picture as a player shows it, in pixels: the coded width stretched by the sample aspect ratio, then
 * turned by the rotation (a quarter turn swaps the sides).
 */
export function displaySize(
  video: Pick<VideoStreamInfo, 'width' | 'height' | 'sampleAspectRatio' | 'rotation'>,
): { width: number; height: number } {
  const width = video.width * video.sampleAspectRatio;
  const sideways = video.rotation === 90 || video.rotation === 270;
  return sideways ? { width: video.height, height: width } : { width, height: video.height };
}

/**
 * The output size for a resolution, in square pixels. The short side is 720, 1080 or 2160 pixels. When the
 * displayed picture's aspect (sample aspect ratio and rotation applied) is within 1% of a standard one, the
 * size is exactly that aspect's (1280×720, 720×1280, 960×720, 720×960, 720×720 at 720p; likewise at 1080p
 * and 4k); otherwise the aspect is kept with even sides, so an ultra-wide picture keeps its short side and
 * gets a longer long side (32:9 at 720p is 2560×720).
 */
export function targetDimensions(
  video: Pick<VideoStreamInfo, 'width' | 'height' | 'sampleAspectRatio' | 'rotation'>,
  resolution: Resolution,
): { width: number; height: number } {
  const shown = displaySize(video);
  const aspect = shown.width / shown.height;
  const shortSide = SHORT_SIDE_PIXELS[resolution];
  const standard = STANDARD_ASPECTS.find(
    ([width, height]) => Math.abs(aspect / (width / height) - 1) <= STANDARD_ASPECT_TOLERANCE,
  );
  if (standard) {
    const [width, height] = standard;
    const unit = shortSide / Math.min(width, height);
    return { width: width * unit, height: height * unit };
  }
  if (aspect >= 1) return { width: even(shortSide * aspect), height: shortSide };
  return { width: shortSide, height: even(shortSide / aspect) };
}

/**
 * Pixels an output may have beyond the source's picture without counting as upscaled: snapping 1916×1080 to
 * 1920×1080 adds no visible detail to warn about.
 */
const UPSCALE_TOLERANCE = 0.01;

/**
 * Whether an output of `target` size is larger than the source's displayed picture (more than 1% more
 * pixels), so that clients can warn that it holds no more detail than the source had. An anamorphic
 * 1440×1080 source at 4:3 pixels is shown 1920×1080, so its 1080p export is not upscaled.
 */
export function isUpscaled(
  video: Pick<VideoStreamInfo, 'width' | 'height' | 'sampleAspectRatio' | 'rotation'>,
  target: { width: number; height: number },
): boolean {
  const shown = displaySize(video);
  return target.width * target.height > shown.width * shown.height * (1 + UPSCALE_TOLERANCE);
}

/** Keyframe interval: two seconds of frames, so players can seek and the smart cut has short GOPs. */
export function gopFrames(frameRate: number): number {
  return Math.max(1, Math.round(frameRate * 2));
}

export interface EncodingOptions {
  format: Format;
  quality: QualityPreset;
  resolution: Resolution;
  encoder: H264Encoder;
  frameRate: number;
}

/** ffmpeg arguments that encode the video stream. */
export function videoEncoderArguments({
  format,
  quality,
  resolution,
  encoder,
  frameRate,
}: EncodingOptions): string[] {
  const cap = VIDEO_BITRATE_CAPS[resolution][quality];
  const rate = ['-maxrate', String(cap), '-bufsize', String(cap * 2)];
  const gop = ['-g', String(gopFrames(frameRate))];
  if (FORMAT_TARGETS[format].videoCodec === 'vp9') {
    return [
      '-c:v',
      'libvpx-vp9',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-row-mt',
      '1',
      '-crf',
      String(VP9_CRF[quality]),
      '-b:v',
      String(cap),
      ...gop,
      '-pix_fmt',
      'yuv420p',
    ];
  }
  const crf = H264_CRF[quality];
  switch (encoder) {
    case 'h264_nvenc':
      return [
        '-c:v',
        'h264_nvenc',
        '-preset',
        'p5',
        '-tune',
        'hq',
        '-rc',
        'vbr',
        '-cq',
        String(crf + 1),
        '-b:v',
        String(Math.round(cap * 0.75)),
        ...rate,
        '-profile:v',
        'high',
        ...gop,
        '-pix_fmt',
        'yuv420p',
      ];
    case 'h264_vaapi':
      return [
        '-c:v',
        'h264_vaapi',
        '-rc_mode',
        'QVBR',
        '-global_quality',
        String(crf),
        ...rate,
        '-profile:v',
        'high',
        ...gop,
      ];
    case 'h264_qsv':
      return [
        '-c:v',
        'h264_qsv',
        '-preset',
        'faster',
        '-global_quality',
        String(crf),
        ...rate,
        '-profile:v',
        'high',
        ...gop,
      ];
    case 'h264_videotoolbox':
      return [
        '-c:v',
        'h264_videotoolbox',
        '-b:v',
        String(Math.round(cap * 0.75)),
        ...rate,
        '-profile:v',
        'high',
        '-allow_sw',
        '1',
        ...gop,
      ];
    case 'libx264':
      return [
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        String(crf),
        ...rate,
        '-profile:v',
        'high',
        ...gop,
        '-pix_fmt',
        'yuv420p',
      ];
  }
}

/**
 * Channels of the exported audio: a mono source stays mono (upmixing adds nothing and doubles the encoding
 * work), anything with more channels is mixed to stereo.
 */
export function outputAudioChannels(sourceChannels: number): 1 | 2 {
  return sourceChannels === 1 ? 1 : 2;
}

/** Samples per frame of the format's audio encoder at 48 kHz: AAC's 1024, Opus's 20 ms. */
export function audioFrameSamples(format: Format): 1024 | 960 {
  return FORMAT_TARGETS[format].audioCodec === 'opus' ? 960 : 1024;
}

/** ffmpeg arguments that encode the audio stream (48 kHz, `channels` channels). */
export function audioEncoderArguments(format: Format, quality: QualityPreset, channels: 1 | 2): string[] {
  const bitrate = String(AUDIO_BITRATES[quality]);
  const codec = FORMAT_TARGETS[format].audioCodec === 'opus' ? 'libopus' : 'aac';
  return ['-c:a', codec, '-b:a', bitrate, '-ar', '48000', '-ac', String(channels)];
}

/** Container options: mp4 and mov start playing before they are fully downloaded (faststart). */
export function containerArguments(format: Format): string[] {
  return format === 'webm' ? ['-f', 'webm'] : ['-movflags', '+faststart', '-f', format];
}

/** Filters an encoder needs at the end of the video chain (VAAPI takes frames uploaded to the GPU). */
export function encoderUploadFilter(encoder: H264Encoder, format: Format): string | undefined {
  return encoder === 'h264_vaapi' && format !== 'webm' ? 'format=nv12,hwupload' : undefined;
}

/** Global ffmpeg options an encoder needs before the inputs. */
export function encoderGlobalArguments(
  encoder: H264Encoder,
  format: Format,
  vaapiDevice = '/dev/dri/renderD128',
): string[] {
  return encoder === 'h264_vaapi' && format !== 'webm' ? ['-vaapi_device', vaapiDevice] : [];
}
