import { SHORT_SIDE_PIXELS, type ExportType, type Format, type Resolution } from '@vexport/sdk';

/** A stream as `ffprobe -show_entries stream=…:stream_side_data=rotation -of json` lists it. */
export interface ProbedStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  sample_rate?: string;
  side_data_list?: { rotation?: number }[];
  disposition?: { attached_pic?: number };
}

/** A decoded frame as `ffprobe -show_entries frame=…` lists it (ffmpeg 5 says pkt_duration_time, 6+ duration_time). */
export interface ProbedFrame {
  stream_index: number;
  best_effort_timestamp_time?: string;
  pkt_duration_time?: string;
  duration_time?: string;
  nb_samples?: number;
}

/** What ffprobe says about one output file: its streams and every decoded frame. */
export interface OutputProbe {
  streams: ProbedStream[];
  frames: ProbedFrame[];
}

/** What an output file should be. */
export interface ExpectedOutput {
  format: Format;
  /** Seconds asked for: the segment (single, each clip) or the segments' sum (combined). */
  durationSeconds: number;
  /** The source has an audio stream, so the output must have one (silence where the source has none). */
  hasAudio: boolean;
  picture: ExpectedPicture;
}

/** The displayed picture an output should have. */
export interface ExpectedPicture {
  width: number;
  height: number;
  /** False when the source's aspect is no standard one: then the long side may differ by rounding (2 px). */
  exact: boolean;
}

/** A source's picture as ffprobe reports it. */
export interface SourcePicture {
  width: number;
  height: number;
  /** "2:1"; "N/A", "0:1" or missing for square pixels. */
  sampleAspectRatio?: string | undefined;
  /** Display matrix rotation in degrees, either sign. */
  rotation?: number | undefined;
}

const CODECS: Readonly<Record<Format, { video: string; audio: string }>> = {
  mp4: { video: 'h264', audio: 'aac' },
  mov: { video: 'h264', audio: 'aac' },
  webm: { video: 'vp9', audio: 'opus' },
};

/** Display aspects that players, platforms and editors have exact sizes for (16:9, 4:3, 1:1, 3:4, 9:16). */
const STANDARD_ASPECTS = [16 / 9, 4 / 3, 1, 3 / 4, 9 / 16];
/** How close a source's aspect must be to a standard one to get the standard size. */
const STANDARD_ASPECT_TOLERANCE = 0.01;
/** Pixels a non-standard long side may be off by: rounding to an even number, one way or the other. */
const ROUNDING_SLACK_PIXELS = 2;
/** Timestamps in WebM are whole milliseconds, so a duration read back can be off by rounding. */
const TIMESTAMP_SLACK_SECONDS = 0.002;
/** The shortest video frame a tolerance is based on, so a 1000 fps time base does not demand 1 ms. */
const SHORTEST_FRAME_SECONDS = 1 / 120;

/** "2:1" → 2; 1 for square, unknown or missing ratios. */
export function parseRatio(ratio: string | undefined): number {
  const [numerator, denominator] = (ratio ?? '').split(':').map(Number);
  const value = numerator! / denominator!;
  return Number.isFinite(value) && value > 0 ? value : 1;
}

const isSideways = (rotation: number | undefined) => Math.abs(Math.round((rotation ?? 0) / 90)) % 2 === 1;

/** The picture as a player shows it: pixels stretched by the sample aspect ratio, then turned. */
export function displayedSize(picture: SourcePicture): { width: number; height: number } {
  const width = picture.width * parseRatio(picture.sampleAspectRatio);
  return isSideways(picture.rotation)
    ? { width: picture.height, height: width }
    : { width, height: picture.height };
}

const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/**
 * The picture an export of `source` at `resolution` should have: the standard size when the displayed aspect is
 * within 1% of a standard one (1280×720, 960×720, 720×720 and the portrait forms at 720p), otherwise the short
 * side at the resolution and the aspect kept with even sides.
 */
export function expectedPicture(source: SourcePicture, resolution: Resolution): ExpectedPicture {
  const shown = displayedSize(source);
  const aspect = shown.width / shown.height;
  const standard = STANDARD_ASPECTS.find(
    (candidate) => Math.abs(aspect / candidate - 1) <= STANDARD_ASPECT_TOLERANCE,
  );
  const shortSide = SHORT_SIDE_PIXELS[resolution];
  const shape = standard ?? aspect;
  const size =
    shape >= 1
      ? { width: even(shortSide * shape), height: shortSide }
      : { width: shortSide, height: even(shortSide / shape) };
  return { ...size, exact: standard !== undefined };
}

/** Seconds each output file should last: one per clip, the sum for combined, the segment for single. */
export function askedDurations(
  exportType: ExportType,
  segments: readonly { start_time: number; end_time: number }[],
): number[] {
  const lengths = segments.map((segment) => segment.end_time - segment.start_time);
  return exportType === 'combined' ? [lengths.reduce((sum, length) => sum + length, 0)] : lengths;
}

const number = (value: string | undefined) => (value === undefined ? NaN : Number(value));

/** When a stream's decoded frames start and end, and how long its typical frame is. */
interface StreamExtent {
  start: number;
  end: number;
  frameSeconds: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** The extent of one stream from its decoded frames, or undefined when none decoded. */
export function streamExtent(frames: readonly ProbedFrame[], stream: ProbedStream): StreamExtent | undefined {
  const timed = frames
    .filter((frame) => frame.stream_index === stream.index)
    .map((frame) => {
      const start = number(frame.best_effort_timestamp_time);
      const samples = frame.nb_samples && number(stream.sample_rate) > 0;
      const duration =
        number(frame.pkt_duration_time ?? frame.duration_time) ||
        (samples ? frame.nb_samples! / number(stream.sample_rate) : 0);
      return { start, duration };
    })
    .filter((frame) => Number.isFinite(frame.start))
    .sort((a, b) => a.start - b.start);
  if (timed.length === 0) return undefined;
  const starts = timed.map((frame) => frame.start);
  const steps = starts.slice(1).map((start, index) => start - starts[index]!);
  const durations = timed.map((frame) => frame.duration).filter((duration) => duration > 0);
  const frameSeconds = median(steps.length > 0 ? steps : durations);
  const end = Math.max(
    ...timed.map((frame, index) => frame.start + (frame.duration || steps[index - 1] || 0)),
  );
  return { start: starts[0]!, end, frameSeconds: Number.isFinite(frameSeconds) ? frameSeconds : 0 };
}

const seconds = (value: number) => `${value.toFixed(3)} s`;
const orientation = ({ width, height }: { width: number; height: number }) =>
  width > height ? 'landscape' : width < height ? 'portrait' : 'square';

function pictureProblems(video: ProbedStream, expected: ExpectedPicture): string[] {
  const problems: string[] = [];
  const shown = displayedSize({
    width: video.width ?? 0,
    height: video.height ?? 0,
    sampleAspectRatio: video.sample_aspect_ratio,
    rotation: video.side_data_list?.find((data) => data.rotation !== undefined)?.rotation,
  });
  const shownSize = `${Math.round(shown.width)}×${Math.round(shown.height)}`;
  if (parseRatio(video.sample_aspect_ratio) !== 1) {
    problems.push(`pixels not square (sample aspect ratio ${video.sample_aspect_ratio})`);
  }
  if (orientation(shown) !== orientation(expected)) {
    problems.push(`shown ${orientation(shown)} (${shownSize}) instead of ${orientation(expected)}`);
    return problems;
  }
  const slack = expected.exact ? 0 : ROUNDING_SLACK_PIXELS;
  const off =
    Math.abs(shown.width - expected.width) > slack || Math.abs(shown.height - expected.height) > slack;
  if (off) problems.push(`picture ${shownSize} instead of ${expected.width}×${expected.height}`);
  return problems;
}

function durationProblem(kind: string, extent: StreamExtent, asked: number, tolerance: number) {
  const lasts = extent.end - extent.start;
  return Math.abs(lasts - asked) > tolerance + TIMESTAMP_SLACK_SECONDS
    ? `${kind} lasts ${seconds(lasts)} instead of ${seconds(asked)}`
    : undefined;
}

/**
 * What is wrong with one output file, or an empty list when it is right: decode errors, codecs, streams
 * present, each stream's duration (within one frame of video, one frame of audio), audio and video starting
 * together (within one video frame), square pixels, and the displayed picture's orientation and size.
 */
export function outputProblems(probe: OutputProbe, expected: ExpectedOutput, decodeErrors = ''): string[] {
  const problems: string[] = [];
  const firstError = decodeErrors.trim().split('\n')[0];
  if (firstError) problems.push(`decode errors: ${firstError}`);
  const codecs = CODECS[expected.format];
  const video = probe.streams.find(
    (stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic,
  );
  const audio = probe.streams.find((stream) => stream.codec_type === 'audio');
  if (!video) return [...problems, 'no video stream'];
  if (video.codec_name !== codecs.video)
    problems.push(`video codec ${video.codec_name} instead of ${codecs.video}`);
  problems.push(...pictureProblems(video, expected.picture));

  const videoExtent = streamExtent(probe.frames, video);
  if (!videoExtent) return [...problems, 'no video frame decodes'];
  const videoFrame = Math.max(videoExtent.frameSeconds, SHORTEST_FRAME_SECONDS);
  const videoDuration = durationProblem('video', videoExtent, expected.durationSeconds, videoFrame);
  if (videoDuration) problems.push(videoDuration);

  if (!audio) {
    if (expected.hasAudio) problems.push('no audio stream, though the source has audio');
    return problems;
  }
  if (!expected.hasAudio) problems.push('an audio stream the source does not have');
  if (audio.codec_name !== codecs.audio)
    problems.push(`audio codec ${audio.codec_name} instead of ${codecs.audio}`);
  const audioExtent = streamExtent(probe.frames, audio);
  if (!audioExtent) return [...problems, 'no audio frame decodes'];
  const audioDuration = durationProblem(
    'audio',
    audioExtent,
    expected.durationSeconds,
    audioExtent.frameSeconds,
  );
  if (audioDuration) problems.push(audioDuration);
  const offset = audioExtent.start - videoExtent.start;
  if (Math.abs(offset) >= videoFrame + TIMESTAMP_SLACK_SECONDS) {
    problems.push(
      `audio starts ${Math.round(Math.abs(offset) * 1000)} ms ${offset > 0 ? 'after' : 'before'} video`,
    );
  }
  return problems;
}
