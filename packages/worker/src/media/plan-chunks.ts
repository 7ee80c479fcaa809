/**
 * Chunk planning: whether a re-encoding export is split across workers, and where. Pure: it reads the
 * source's keyframe and frame times and the export's spans, and decides the chunks, the one audio job and
 * the join. Chunks never cross a segment boundary: a segment's first chunk starts where the segment does,
 * every later one on a source keyframe.
 */

/** The limits the planner works within, in seconds of output. */
export interface ChunkOptions {
  /** Exports with less output than this are encoded by one worker: the chunks' fixed costs would outweigh. */
  minOutputSecondsToChunk: number;
  /** Shortest chunk the planner cuts (a segment shorter than this is one chunk of its own length). */
  minChunkSeconds: number;
  /** Longest chunk the planner cuts, where the source has a keyframe to cut on before it. */
  maxChunkSeconds: number;
}

export const CHUNK_DEFAULTS: Readonly<ChunkOptions> = {
  minOutputSecondsToChunk: 60,
  minChunkSeconds: 10,
  maxChunkSeconds: 30,
};

/** Seconds within which two times are the same: a microsecond, as the ffmpeg arguments are written. */
const TIME_EPSILON = 1e-6;

/** The source's video timing, counted from the file's start (as `-ss` counts and as the spans are). */
export interface ChunkSource {
  /** Presentation times of the keyframes, ascending. */
  keyframeTimes: readonly number[];
  /** Every frame's presentation time, ascending: needed for a variable frame rate, whose frames are counted. */
  frameTimes?: Float64Array | undefined;
  /** The constant frame rate, on whose grid each span's frames are counted; undefined for a variable one. */
  frameRate: number | undefined;
}

/** Where a segment's frames lie in the source: from `start`, `duration` seconds (see segmentSpan). */
export interface SourceSpan {
  start: number;
  duration: number;
}

export interface ChunkPlanInput {
  source: ChunkSource;
  /** Each segment's span, in output order, as the single-worker encode cuts it. */
  spans: readonly SourceSpan[];
  /** Workers alive to take chunks, this one included. */
  workers: number;
  /** How the single-worker plan produces the video: only a re-encode is chunked. */
  mode: 'reencode' | 'copy' | 'smart-cut';
  /** Seconds of audio the output must have (what was asked); undefined when the output has no audio. */
  audioSeconds: number | undefined;
  options?: Partial<ChunkOptions> | undefined;
}

/** A run of the output's frames that one worker encodes into a file of its own. */
export interface VideoChunk {
  /** Position in the output (and in the join). */
  index: number;
  /** The segment (position in `spans`) the chunk's frames come from. */
  segment: number;
  /** The output's frame number of the chunk's first frame. */
  firstFrame: number;
  frames: number;
  /** Seconds on the output timeline where the chunk's first frame is shown, and where the next one's is. */
  outputStart: number;
  outputEnd: number;
  /** The chunk's frames in the source: from `sourceStart` (its first frame), `duration` seconds. */
  sourceStart: number;
  duration: number;
  /**
   * The keyframe at or before `sourceStart` that decoding starts from: `sourceStart` itself, except for a
   * segment's first chunk, which starts where the segment does (the earliest frame when none precedes it).
   */
  decodeFrom: number;
}

/** Audio is encoded once for the whole output, by one job, so it has no seams. */
export interface ChunkAudioJob {
  spans: readonly SourceSpan[];
  seconds: number;
}

/** How the chunks become the deliverable: their files concatenated in order, stream-copied, audio muxed. */
export interface ChunkJoin {
  method: 'concat-copy';
  /** Chunk indexes in the order they are joined. */
  chunks: number[];
  muxAudio: boolean;
  frames: number;
  seconds: number;
}

export type ChunkPlan =
  | { chunked: false; reason: string }
  | {
      chunked: true;
      reason: string;
      chunks: VideoChunk[];
      audio: ChunkAudioJob | undefined;
      join: ChunkJoin;
    };

/** A frame of a segment at which a chunk may start: its number in the segment, and its time in the source. */
interface Boundary {
  frame: number;
  time: number;
}

/** One segment's frames: how many, where each lies from the span's start, and where chunks may start. */
interface SegmentFrames {
  frames: number;
  /** Seconds from the span's start to frame `frame` (to the span's end for `frames`). */
  offsetOf(frame: number): number;
  boundaries: Boundary[];
}

/** The position of the first of the ascending `values` at or after `value` (their count when none is). */
function firstAtOrAfter(values: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function validOptions(options: Partial<ChunkOptions> | undefined): ChunkOptions {
  const merged = { ...CHUNK_DEFAULTS, ...options };
  const { minChunkSeconds: min, maxChunkSeconds: max } = merged;
  if (!(min > 0) || !(max >= 2 * min))
    throw new RangeError(
      `maxChunkSeconds (${max}) must be at least twice minChunkSeconds (${min}), which must be positive, so that any segment longer than a chunk can be cut into chunks within both`,
    );
  return merged;
}

/**
 * A constant rate's segment: its frames on the grid (as segmentSpan counts them, held pictures before the
 * source's first frame included), and the keyframes inside it, each on the grid frame it stands for.
 */
function gridFrames(span: SourceSpan, frameRate: number, keyframeTimes: readonly number[]): SegmentFrames {
  const frames = Math.max(1, Math.round(span.duration * frameRate));
  const boundaries: Boundary[] = [];
  for (let at = firstAtOrAfter(keyframeTimes, span.start + TIME_EPSILON); at < keyframeTimes.length; at++) {
    const time = keyframeTimes[at]!;
    const frame = Math.round((time - span.start) * frameRate);
    if (frame >= frames) break;
    if (frame > 0 && frame !== boundaries.at(-1)?.frame) boundaries.push({ frame, time });
  }
  return { frames, offsetOf: (frame) => frame / frameRate, boundaries };
}

/** A variable rate's segment: the source's frames in the span, and those of them that are keyframes. */
function listedFrames(
  span: SourceSpan,
  frameTimes: Float64Array,
  keyframeTimes: readonly number[],
): SegmentFrames {
  const begin = firstAtOrAfter(frameTimes, span.start - TIME_EPSILON);
  const end = firstAtOrAfter(frameTimes, span.start + span.duration - TIME_EPSILON);
  const times = frameTimes.subarray(begin, Math.max(begin + 1, end));
  const keyframes = new Set(keyframeTimes);
  const boundaries: Boundary[] = [];
  times.forEach((time, frame) => {
    if (frame > 0 && keyframes.has(time)) boundaries.push({ frame, time });
  });
  return {
    frames: times.length,
    offsetOf: (frame) => (frame < times.length ? times[frame]! - span.start : span.duration),
    boundaries,
  };
}

/**
 * How many chunks `seconds` of a segment are cut into: about `target` seconds each, none longer than the
 * maximum, none shorter than the minimum.
 */
function chunkCount(seconds: number, target: number, { minChunkSeconds, maxChunkSeconds }: ChunkOptions) {
  const wanted = Math.max(Math.ceil(seconds / maxChunkSeconds - TIME_EPSILON), Math.round(seconds / target));
  return Math.max(1, Math.min(wanted, Math.floor(seconds / minChunkSeconds + TIME_EPSILON)));
}

/**
 * The frames at which a segment's chunks start (its first frame, then keyframes): walking from the start,
 * each next start is the keyframe nearest an even share of what is left that keeps the chunk and the rest
 * within the limits, or, where keyframes are sparser than that, the nearest that keeps the rest at least
 * the minimum (a longer chunk: a chunk cannot start between keyframes and stay cheap to decode).
 */
function chunkStarts(segment: SegmentFrames, total: number, target: number, options: ChunkOptions): number[] {
  const { minChunkSeconds: min, maxChunkSeconds: max } = options;
  const starts = [0];
  let at = 0;
  for (;;) {
    const left = total - at;
    const count = chunkCount(left, target, options);
    if (count <= 1) return starts;
    const ideal = at + left / count;
    const afterMin = segment.boundaries.filter((boundary) => {
      const offset = segment.offsetOf(boundary.frame);
      return offset >= at + min - TIME_EPSILON && total - offset >= min - TIME_EPSILON;
    });
    const withinMax = afterMin.filter(
      (boundary) => segment.offsetOf(boundary.frame) <= at + max + TIME_EPSILON,
    );
    const nearest = (withinMax.length > 0 ? withinMax : afterMin).reduce<Boundary | undefined>(
      (best, boundary) =>
        best &&
        Math.abs(segment.offsetOf(best.frame) - ideal) <= Math.abs(segment.offsetOf(boundary.frame) - ideal)
          ? best
          : boundary,
      undefined,
    );
    if (!nearest) return starts;
    starts.push(nearest.frame);
    at = segment.offsetOf(nearest.frame);
  }
}

/** Why the export is encoded by one worker, or undefined when it is chunked. */
function singleWorkerReason(input: ChunkPlanInput, seconds: number, options: ChunkOptions) {
  if (input.mode !== 'reencode')
    return `a ${input.mode} plan, which copies video instead of encoding it, is not chunked`;
  if (input.workers <= 1) return 'one worker is alive, so there is no one to share the chunks with';
  if (seconds < options.minOutputSecondsToChunk)
    return `shorter than ${options.minOutputSecondsToChunk} s of output, so one worker is about as fast`;
  const { frameRate, frameTimes } = input.source;
  if (frameRate === undefined && !frameTimes)
    return "the variable frame rate's frame times are not known, so chunks cannot be counted in frames";
  if (frameRate === undefined && input.spans.length > 1)
    return 'a variable frame rate is joined on a grid that each chunk would start afresh, so it is not chunked';
  return undefined;
}

/**
 * Decides whether a re-encoding export is split into chunks for several workers, and plans them: each
 * chunk a run of the output's frames with its exact output times and source span, starting on a source
 * keyframe (or where its segment starts), every output frame in exactly one chunk. Chunks are about equal,
 * their number a multiple of the workers (so each worker gets as many), within the options' minimum and
 * maximum length. The audio is one job for the whole output; the join concatenates the chunks' files
 * without re-encoding and adds it.
 */
export function planChunks(input: ChunkPlanInput): ChunkPlan {
  const options = validOptions(input.options);
  const { source, spans, workers } = input;
  const seconds = spans.reduce((sum, span) => sum + span.duration, 0);
  const refusal = singleWorkerReason(input, seconds, options);
  if (refusal !== undefined) return { chunked: false, reason: refusal };
  const { frameRate, keyframeTimes } = source;
  // the fewest rounds of one chunk per worker that keep chunks within the maximum
  const rounds = Math.max(1, Math.ceil(seconds / (workers * options.maxChunkSeconds) - TIME_EPSILON));
  const target = Math.min(
    options.maxChunkSeconds,
    Math.max(options.minChunkSeconds, seconds / (workers * rounds)),
  );
  const chunks: VideoChunk[] = [];
  let segmentFirstFrame = 0;
  let segmentOutputStart = 0;
  for (const [position, span] of spans.entries()) {
    const segment =
      frameRate === undefined
        ? listedFrames(span, source.frameTimes!, keyframeTimes)
        : gridFrames(span, frameRate, keyframeTimes);
    const starts = chunkStarts(segment, span.duration, target, options);
    const outputTime = (frame: number) =>
      frameRate === undefined
        ? segmentOutputStart + segment.offsetOf(frame)
        : (segmentFirstFrame + frame) / frameRate;
    // a chunk starts on its keyframe's own time, and ends where the next one starts
    const sourceTimes = starts.map((start, order) =>
      order === 0 ? span.start : segment.boundaries.find((boundary) => boundary.frame === start)!.time,
    );
    for (const [order, start] of starts.entries()) {
      const end = starts[order + 1] ?? segment.frames;
      const sourceStart = sourceTimes[order]!;
      const sourceEnd = sourceTimes[order + 1] ?? span.start + span.duration;
      const before = firstAtOrAfter(keyframeTimes, sourceStart + TIME_EPSILON) - 1;
      chunks.push({
        index: chunks.length,
        segment: position,
        firstFrame: segmentFirstFrame + start,
        frames: end - start,
        outputStart: outputTime(start),
        outputEnd: outputTime(end),
        sourceStart,
        duration: frameRate === undefined ? sourceEnd - sourceStart : (end - start) / frameRate,
        decodeFrom: order === 0 ? (keyframeTimes[before] ?? sourceStart) : sourceStart,
      });
    }
    segmentFirstFrame += segment.frames;
    segmentOutputStart += span.duration;
  }
  if (chunks.length < 2)
    return {
      chunked: false,
      reason:
        'the source has no keyframe to cut on within the chunk lengths: one chunk would be the whole export',
    };
  const frames = segmentFirstFrame;
  const outputSeconds = frameRate === undefined ? seconds : frames / frameRate;
  const audio = input.audioSeconds === undefined ? undefined : { spans, seconds: input.audioSeconds };
  return {
    chunked: true,
    reason: `${chunks.length} chunks of about ${Math.round(target)} s for ${workers} workers`,
    chunks,
    audio,
    join: {
      method: 'concat-copy',
      chunks: chunks.map((chunk) => chunk.index),
      muxAudio: audio !== undefined,
      frames,
      seconds: outputSeconds,
    },
  };
}
