import type { SourceRefusalCode } from '@vexport/sdk';
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
  /**
   * The rate the stream's frames are timed at (r_frame_rate: 30 for a screen capture that averages 7),
   * where it is plausible.
   */
  nominalFrameRate?: number | undefined;
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
  /**
   * Seconds from the file's start (as `-ss` counts) to the first picture that decodes, when a source probe
   * looked (see probeSource): later than `startTime` when the stream starts before its first keyframe or
   * behind an edit list. The export shows that picture until then.
   */
  firstPictureTime?: number | undefined;
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
  /** Seconds from `startTime` to the end of the last stream: the timeline segments are cut from. */
  durationSeconds: number;
  sizeBytes: number | undefined;
  bitRate: number | undefined;
  video: VideoStreamInfo;
  audio: AudioStreamInfo | undefined;
}

/** The file is not media we can use; the message is for the person who uploaded it, the code for clients. */
export class UnreadableMediaError extends Error {
  override name = 'UnreadableMediaError';
  constructor(
    readonly code: SourceRefusalCode,
    message: string,
  ) {
    super(message);
  }
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

/** A video stream's frame timing, as measured from its packets' timestamps. */
export interface FrameTiming {
  frameRate: number;
  variable: boolean;
}

/** Frame rates no camera or screen recorder writes: a rate this high is a container's clock, not frames. */
const MAX_PLAUSIBLE_FRAME_RATE = 240;

/**
 * True when the video stream's rates cannot be taken at their word, so the timing must be measured from its
 * packets (see measureFrameTiming): an average that is the container's clock (1000 fps for Matroska and FLV
 * in milliseconds, which ffprobe reports where the container lists no frame count) or missing, or an average
 * and a nominal rate that disagree (a variable rate, or a nominal rate that is not the frames' own: 117/4
 * for a 30.3 fps Annex B stream).
 */
export function frameRateNeedsMeasuring(output: unknown): boolean {
  const video = ((output as RawProbe).streams ?? []).find((stream) => stream.codec_type === 'video');
  if (!video) return false;
  const average = parseRate(video.avg_frame_rate);
  const nominal = parseRate(video.r_frame_rate);
  if (average === undefined || average > MAX_PLAUSIBLE_FRAME_RATE) return true;
  return nominal !== undefined && Math.abs(average - nominal) / nominal > 0.01;
}

/**
 * The frame rate from presentation times (seconds, any order): frames over the time they span, which a
 * 29.97 fps stream in whole milliseconds (33 and 34 ms apart) gives exactly. Variable when the 10th and 90th
 * percentile intervals differ by more than 10% (a phone's jitter, a change of rate) or the longest is more
 * than one and a half typical ones (a screen capture's gap).
 */
export function measureFrameTiming(presentationTimes: readonly number[]): FrameTiming | undefined {
  const times = [...presentationTimes].sort((a, b) => a - b);
  const intervals = times
    .slice(1)
    .map((time, index) => time - times[index]!)
    .filter((interval) => interval > 0)
    .sort((a, b) => a - b);
  if (intervals.length < 2) return undefined;
  const at = (fraction: number) => intervals[Math.floor((intervals.length - 1) * fraction)]!;
  const span = times.at(-1)! - times[0]!;
  const variable = at(0.9) > at(0.1) * 1.1 || intervals.at(-1)! > at(0.5) * 1.5;
  return { frameRate: (times.length - 1) / span, variable };
}

/** True when neither the container nor any stream of ffprobe's output says how long it is. */
export function lacksDuration(output: unknown): boolean {
  const raw = output as RawProbe;
  return (
    number(raw.format?.duration) === undefined &&
    !(raw.streams ?? []).some((stream) => (number(stream.duration) ?? 0) > 0)
  );
}

/**
 * Seconds of the timeline that `-ss` seeks in: from the file's first packet to the end of its last stream.
 * The container's duration can count more: an MP4 whose edit list starts its video at 10 s says 14 s for 4 s
 * of media, all of it after the first packet, where seeking starts.
 */
function timelineDuration(
  raw: RawProbe,
  startTime: number,
  scannedDurationSeconds: number | undefined,
): number {
  const containerDuration = number(raw.format?.duration) ?? scannedDurationSeconds;
  const ends = (raw.streams ?? [])
    .filter((stream) => stream.codec_type === 'video' || stream.codec_type === 'audio')
    .map((stream) => (number(stream.start_time) ?? startTime) + (number(stream.duration) ?? NaN))
    .filter((end) => Number.isFinite(end));
  const streamsEnd = ends.length > 0 ? Math.max(...ends) - startTime : undefined;
  if (containerDuration === undefined) return streamsEnd ?? 0;
  return streamsEnd !== undefined && streamsEnd > 0
    ? Math.min(containerDuration, streamsEnd)
    : containerDuration;
}

/**
 * Turns `ffprobe -show_format -show_streams -print_format json` output into a {@link MediaProbe}; a length
 * read from the packets stands in for a header that has none.
 */
export function parseFfprobeOutput(
  output: unknown,
  {
    scannedDurationSeconds,
    measuredTiming,
  }: {
    scannedDurationSeconds?: number | undefined;
    /** The frame timing read from packets, where the stream's own rates cannot be trusted. */
    measuredTiming?: FrameTiming | undefined;
  } = {},
): MediaProbe {
  const raw = output as RawProbe;
  const streams = raw.streams ?? [];
  const videoStream = streams.find(
    (stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic,
  );
  if (!videoStream?.codec_name || !videoStream.width || !videoStream.height) {
    throw new UnreadableMediaError('no_video_stream', 'The file has no video stream we can read.');
  }
  const audioStream = streams.find((stream) => stream.codec_type === 'audio' && stream.codec_name);
  const startTime = number(raw.format?.start_time) ?? 0;
  const durationSeconds = timelineDuration(raw, startTime, scannedDurationSeconds);
  if (!(durationSeconds > 0))
    throw new UnreadableMediaError('no_duration', 'The file has no duration; it may be truncated.');
  const averageRate = parseRate(videoStream.avg_frame_rate);
  const realRate = parseRate(videoStream.r_frame_rate);
  const frameRate = measuredTiming?.frameRate ?? averageRate ?? realRate;
  if (!frameRate) throw new UnreadableMediaError('no_frame_rate', 'The video has no readable frame rate.');
  return {
    formatName: raw.format?.format_name ?? 'unknown',
    startTime,
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
      nominalFrameRate:
        measuredTiming && !measuredTiming.variable
          ? measuredTiming.frameRate
          : realRate !== undefined && realRate <= MAX_PLAUSIBLE_FRAME_RATE
            ? realRate
            : measuredTiming?.frameRate,
      variableFrameRate:
        measuredTiming?.variable ??
        (averageRate !== undefined &&
          realRate !== undefined &&
          Math.abs(averageRate - realRate) / realRate > 0.01),
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
    throw new UnreadableMediaError('too_long', `The video is longer than the ${limit} this service accepts.`);
  }
  if (probe.video.width * probe.video.height > limits.maxPixels) {
    throw new UnreadableMediaError(
      'picture_too_large',
      `The video's picture (${probe.video.width}×${probe.video.height}) is larger than this service accepts.`,
    );
  }
}
