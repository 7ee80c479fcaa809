import {
  AUDIO_BITRATES,
  VIDEO_BITRATE_CAPS,
  type Format,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
export {
  displaySize,
  framedDimensions,
  isReframingUpscaled,
  isUpscaled,
  targetDimensions,
} from '@vexport/sdk';

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
