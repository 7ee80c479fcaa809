import { describeDuration } from '../describe-duration.js';

/** What ffprobe says about a source's video stream, in the terms the planner needs. */
export interface VideoStreamInfo {
  index: number;
  codec: string;
  profile: string | undefined;
  /** Coded size, before rotation. */
  width: number;
  height: number;
  /** Width of one pixel over its height as displayed (the sample aspect ratio); 1 for square pixels. */
  sampleAspectRatio: number;
  pixelFormat: string | undefined;
  /** Average frames per second. */
  frameRate: number;
  /** True when frame timing varies (r_frame_rate and avg_frame_rate disagree). */
  variableFrameRate: boolean;
  timeBase: string | undefined;
  /** Decoder reorder depth (B-frames); 0 for streams without B-frames. */
  hasBFrames: number;
  fieldOrder: string | undefined;
  /** Clockwise degrees to turn the picture for display: 0, 90, 180 or 270. */
  rotation: 0 | 90 | 180 | 270;
  startTime: number;
  bitRate: number | undefined;
  /** Frames as the container lists them (MP4 and MOV do, without reading a packet); undefined elsewhere. */
  listedFrames: number | undefined;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
  startTime: number;
}

/** A probed source file. */
export interface MediaProbe {
  formatName: string;
  /** Timestamp of the file's first packet; seeking (`-ss`) counts from here. */
  startTime: number;
  durationSeconds: number;
  sizeBytes: number | undefined;
  bitRate: number | undefined;
  video: VideoStreamInfo;
  audio: AudioStreamInfo | undefined;
}

/** The file is not media we can use; the message is for the person who uploaded it. */
export class UnreadableMediaError extends Error {
  override name = 'UnreadableMediaError';
}

interface RawStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_aspect_ratio?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  time_base?: string;
  has_b_frames?: number;
  field_order?: string;
  start_time?: string;
  duration?: string;
  bit_rate?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: { attached_pic?: number };
}

interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; start_time?: string; duration?: string; size?: string; bit_rate?: string };
}

function number(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** "30000/1001" → 29.97; undefined for "0/0" and nonsense. */
export function parseRate(rate: string | undefined): number | undefined {
  if (!rate) return undefined;
  const [numerator, denominator = '1'] = rate.split('/');
  const value = Number(numerator) / Number(denominator);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** "64:45" → 1.4222…; 1 for "0:1" (unknown), "N/A", a missing ratio or nonsense, which players show square. */
export function parseSampleAspectRatio(ratio: string | undefined): number {
  const [numerator, denominator] = (ratio ?? '').split(':').map(Number);
  const value = numerator! / denominator!;
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/** Clockwise display rotation from the display matrix (counter-clockwise degrees) or the legacy `rotate` tag. */
export function parseRotation(stream: RawStream): VideoStreamInfo['rotation'] {
  const matrix = stream.side_data_list?.find((data) => data.rotation !== undefined)?.rotation;
  const clockwise = matrix !== undefined ? -matrix : (number(stream.tags?.rotate) ?? 0);
  const normalized = (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
  return normalized as VideoStreamInfo['rotation'];
}

/** A stream's `nb_frames`, where the container lists a count. */
function listedFrames(value: string | undefined): number | undefined {
  const count = number(value);
  return count !== undefined && Number.isInteger(count) && count > 0 ? count : undefined;
}

/** Turns `ffprobe -show_format -show_streams -print_format json` output into a {@link MediaProbe}. */
export function parseFfprobeOutput(output: unknown): MediaProbe {
  const raw = output as RawProbe;
  const streams = raw.streams ?? [];
  const videoStream = streams.find(
    (stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic,
  );
  if (!videoStream?.codec_name || !videoStream.width || !videoStream.height) {
    throw new UnreadableMediaError('The file has no video stream we can read.');
  }
  const audioStream = streams.find((stream) => stream.codec_type === 'audio' && stream.codec_name);
  const streamDurations = streams.map((stream) => number(stream.duration) ?? 0);
  const durationSeconds = number(raw.format?.duration) ?? Math.max(0, ...streamDurations);
  if (!(durationSeconds > 0))
    throw new UnreadableMediaError('The file has no duration; it may be truncated.');
  const averageRate = parseRate(videoStream.avg_frame_rate);
  const realRate = parseRate(videoStream.r_frame_rate);
  const frameRate = averageRate ?? realRate;
  if (!frameRate) throw new UnreadableMediaError('The video has no readable frame rate.');
  return {
    formatName: raw.format?.format_name ?? 'unknown',
    startTime: number(raw.format?.start_time) ?? 0,
    durationSeconds,
    sizeBytes: number(raw.format?.size),
    bitRate: number(raw.format?.bit_rate),
    video: {
      index: videoStream.index ?? 0,
      codec: videoStream.codec_name,
      profile: videoStream.profile,
      width: videoStream.width,
      height: videoStream.height,
      sampleAspectRatio: parseSampleAspectRatio(videoStream.sample_aspect_ratio),
      pixelFormat: videoStream.pix_fmt,
      frameRate,
      variableFrameRate:
        averageRate !== undefined &&
        realRate !== undefined &&
        Math.abs(averageRate - realRate) / realRate > 0.01,
      timeBase: videoStream.time_base,
      hasBFrames: videoStream.has_b_frames ?? 0,
      fieldOrder: videoStream.field_order,
      rotation: parseRotation(videoStream),
      startTime: number(videoStream.start_time) ?? 0,
      bitRate: number(videoStream.bit_rate),
      listedFrames: listedFrames(videoStream.nb_frames),
    },
    audio: audioStream
      ? {
          index: audioStream.index ?? 0,
          codec: audioStream.codec_name!,
          sampleRate: number(audioStream.sample_rate) ?? 48_000,
          channels: audioStream.channels ?? 2,
          startTime: number(audioStream.start_time) ?? 0,
        }
      : undefined,
  };
}

/** Limits that keep a hostile or absurd source from tying up a worker. */
export interface SourceLimits {
  maxDurationSeconds: number;
  maxPixels: number;
}

/** Throws when the source exceeds the limits, saying which. */
export function assertWithinLimits(probe: MediaProbe, limits: SourceLimits): void {
  if (probe.durationSeconds > limits.maxDurationSeconds) {
    const limit = describeDuration(limits.maxDurationSeconds * 1000);
    throw new UnreadableMediaError(`The video is longer than the ${limit} this service accepts.`);
  }
  if (probe.video.width * probe.video.height > limits.maxPixels) {
    throw new UnreadableMediaError(
      `The video's picture (${probe.video.width}×${probe.video.height}) is larger than this service accepts.`,
    );
  }
}
