import type { SegmentSpan } from './plan-types.js';

/** Fade at each segment's edges so joins never click (5 ms: inaudible as a fade). */
const EDGE_FADE_SECONDS = 0.005;
/**
 * Audio that starts later than its segment, or has a hole, is filled with silence when the gap is longer
 * than this (about one AAC frame); shorter drift is left alone, since rewriting it would click.
 */
const AUDIO_GAP_SECONDS = 0.02;

/** Frames per second of a held picture when the source says nothing better. */
const DEFAULT_HOLD_FRAME_RATE = 30;

/** Seconds as ffmpeg arguments: up to microseconds, no trailing zeros. */
export const formatSeconds = (value: number) => value.toFixed(6).replace(/\.?0+$/, '') || '0';
const seconds = formatSeconds;

/**
 * How long each segment's audio is: as long as its video, so that nothing drifts across joins, except the
 * last, which ends where the export was asked to end. Video is cut on whole frames and can end up to a
 * frame from the asked end; audio can end to the sample, so a 12.5 fps export's audio is not 80 ms long.
 */
export function audioDurations(spans: readonly SegmentSpan[], askedSeconds: number): number[] {
  const beforeLast = spans.slice(0, -1).reduce((sum, span) => sum + span.duration, 0);
  const last = askedSeconds - beforeLast;
  return spans.map((span, index) => (index < spans.length - 1 || !(last > 0.001) ? span.duration : last));
}

/**
 * One segment's audio, from the input's seek point: silence where the source has none (before its first
 * sample or in a hole), cut to its span to the sample, padded if short, faded at both edges.
 */
function audioSegmentChain(
  inputIndex: number,
  offset: number,
  duration: number,
  label: string,
  channels: 1 | 2,
  skip: number | undefined,
): string {
  const fadeOutStart = seconds(Math.max(0, duration - EDGE_FADE_SECONDS));
  const layout = channels === 1 ? 'mono' : 'stereo';
  // an input read from the file's start: its audio is timed by counting samples, since AVI files (an MP3
  // track's block alignment) can carry timestamps that advance a fraction of a millisecond per packet
  const skipped =
    skip === undefined ? '' : `asetpts=N/SR/TB,atrim=start=${seconds(skip)},asetpts=PTS-${seconds(skip)}/TB,`;
  return (
    `[${inputIndex}:a:0]${skipped}aresample=48000:async=1:min_hard_comp=${AUDIO_GAP_SECONDS}:first_pts=0,` +
    `aformat=sample_fmts=fltp:channel_layouts=${layout},` +
    `atrim=start=${seconds(offset)}:duration=${seconds(duration)},asetpts=PTS-STARTPTS,` +
    `apad=whole_dur=${seconds(duration)},` +
    `afade=t=in:d=${EDGE_FADE_SECONDS},afade=t=out:st=${fadeOutStart}:d=${EDGE_FADE_SECONDS}[${label}]`
  );
}

/**
 * One segment's video, from the input's seek point, `duration` long: the first picture is shown from the
 * segment's start (when the source's first decodable picture comes later: before a keyframe, behind an edit
 * list) and the last until its end (when the source's video ends early or has a gap), so the stream always
 * lasts what was asked. Without a `frameRate` grid the frames keep their timestamps, so a variable frame rate
 * stays variable.
 */
function videoSegmentChain(
  inputIndex: number,
  { offset, duration }: SegmentSpan,
  scale: string,
  timing: { skip?: number | undefined; frameRate?: number | undefined; holdRate: number },
): string {
  const { skip, frameRate, holdRate } = timing;
  const end = seconds(duration);
  // The encoder times a variable rate's frames in ticks of its nominal rate: a last frame within half a tick
  // of the end would round up to it and run a frame past it.
  const lastEnd = frameRate ? end : seconds(Math.max(0, duration - 0.5 / holdRate));
  const skipped = skip ? `trim=start=${seconds(skip)},` : '';
  // a constant rate is kept exactly: held pictures repeat on the source's frame grid, and the segment is
  // its whole number of frames, whatever rate the container claims
  const grid = frameRate ? `fps=${frameRate.toFixed(6)},` : '';
  return (
    `[${inputIndex}:v:0]${skipped}setpts='if(eq(N,0),0,PTS-${seconds((skip ?? 0) + offset)}/TB)',` +
    // The last picture is held to the end by clones. When the cut ends in a gap (a screen capture's next
    // frame comes seconds later), trim's end of stream carries that next frame's time, where the clones
    // would start: they are moved back to follow the last picture.
    `trim=end=${end},tpad=stop_mode=clone:stop_duration=${end},` +
    `setpts='if(gte(T,${end}),PREV_OUTPTS+1/(${holdRate.toFixed(6)}*TB),PTS)',` +
    `${grid}trim=end=${lastEnd},${scale}`
  );
}

/**
 * The audio encoder's frame, in samples: a filter graph that hands the encoder other sizes can make it fail
 * ("more samples than frame size") when a source's audio changes format midway.
 */
export type AudioFrameSamples = 1024 | 960;

export interface AudioOutput {
  channels: 1 | 2;
  /** Seconds of audio the output must have: what was asked (see audioDurations). */
  seconds: number;
  frameSamples: AudioFrameSamples;
  /** Integrated loudness to normalise to (EBU R128, LUFS); undefined leaves the level as it is. */
  loudnessLufs?: number | undefined;
}

/** True peak and loudness range for normalisation: what streaming platforms ask for beside the level. */
const TRUE_PEAK_DBTP = -1.5;
const LOUDNESS_RANGE_LU = 11;

/**
 * The picture scaled to `width`×`height` in square pixels: stretched to the source's shape (`original`), or
 * reframed (a centre crop that fills the frame, or the whole picture inside it with black bars).
 */
export function pictureFilters(width: number, height: number, fit: 'crop' | 'pad' | undefined): string {
  const size = `${width}:${height}`;
  const tail = 'setsar=1,format=yuv420p';
  if (!fit) return `scale=${size}:flags=bicubic,${tail}`;
  // square the pixels first, so the crop or the bars keep the picture's displayed shape
  const square = 'scale=iw*sar:ih:flags=bicubic,setsar=1';
  return fit === 'crop'
    ? `${square},scale=${size}:force_original_aspect_ratio=increase:flags=bicubic,crop=${size},${tail}`
    : `${square},scale=${size}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic,` +
        `pad=${size}:(ow-iw)/2:(oh-ih)/2,${tail}`;
}

/**
 * The filter graph that cuts each input to its segment's span (video to the frame, audio to the sample),
 * scales it to the target size, fades the audio's edges so joins never click, and joins the segments.
 */
export function segmentFilterGraph(
  spans: readonly SegmentSpan[],
  options: {
    width: number;
    height: number;
    /** How a reframed picture fills the frame; undefined keeps the source's shape. */
    fit?: 'crop' | 'pad' | undefined;
    /** The output's audio, or undefined for none. */
    audio: AudioOutput | undefined;
    uploadFilter?: string | undefined;
    /**
     * Per input, seconds the filters skip before the segment's start: for inputs read from the file's
     * start because the container cannot seek (see seeksByDecoding); none for inputs seeked with `-ss`.
     */
    skips?: readonly number[] | undefined;
    /** The source's constant frame rate; undefined for a variable one, whose timestamps are kept. */
    constantFrameRate?: number | undefined;
    /**
     * Frames per second at which a held last picture repeats, and the grid a variable rate's segments are
     * put on to be joined: the stream's nominal rate.
     */
    holdFrameRate?: number | undefined;
  },
): { graph: string; videoLabel: string; audioLabel: string | undefined } {
  const { width, height, fit, audio, uploadFilter, skips, constantFrameRate, holdFrameRate } = options;
  const scale = pictureFilters(width, height, fit);
  const audioSeconds = audio ? audioDurations(spans, audio.seconds) : [];
  const chains: string[] = [];
  const holdRate = holdFrameRate ?? constantFrameRate ?? DEFAULT_HOLD_FRAME_RATE;
  // The concat filter places each segment after the previous one's mean frame duration, which is exact
  // only on a grid: a variable rate is kept for one segment, and put on its nominal rate's grid to be joined.
  const grid = constantFrameRate ?? (spans.length > 1 ? holdRate : undefined);
  spans.forEach((span, index) => {
    const skip = skips?.[index];
    const timing = { skip, frameRate: grid, holdRate };
    chains.push(`${videoSegmentChain(index, span, scale, timing)}[v${index}]`);
    if (audio) {
      const duration = audioSeconds[index]!;
      chains.push(audioSegmentChain(index, span.offset, duration, `a${index}`, audio.channels, skip));
    }
  });
  const upload = uploadFilter ? `,${uploadFilter}` : '';
  const labels = (prefix: string) => spans.map((_span, index) => `[${prefix}${index}]`).join('');
  const videoJoin = spans.length === 1 ? 'null' : `concat=n=${spans.length}:v=1:a=0`;
  chains.push(`${labels('v')}${videoJoin}${upload}[vout]`);
  if (audio) {
    const audioJoin = spans.length === 1 ? '' : `concat=n=${spans.length}:v=0:a=1,`;
    chains.push(`${labels('a')}${audioJoin}${audioOutputFilters(audio)}[aout]`);
  }
  return { graph: chains.join(';'), videoLabel: '[vout]', audioLabel: audio ? '[aout]' : undefined };
}

/**
 * The end of the audio chain: exactly the asked length (the join pads a last segment's audio to its video)
 * in frames of the encoder's size.
 */
function audioOutputFilters(audio: AudioOutput): string {
  // loudnorm works at 192 kHz, so the audio is brought back to 48 kHz after it
  const loudness =
    audio.loudnessLufs === undefined
      ? ''
      : `loudnorm=I=${audio.loudnessLufs}:TP=${TRUE_PEAK_DBTP}:LRA=${LOUDNESS_RANGE_LU},aresample=48000,`;
  return `${loudness}atrim=duration=${seconds(audio.seconds)},asetnsamples=n=${audio.frameSamples}:p=0`;
}

/**
 * Audio only: each input (from `firstInput` on) cut to its segment's span and joined, for exports whose
 * video is copied. Resolves to the graph and its output label.
 */
export function audioJoinGraph(
  spans: readonly SegmentSpan[],
  firstInput: number,
  audio: AudioOutput,
): { graph: string; audioLabel: string } {
  const durations = audioDurations(spans, audio.seconds);
  const chains = spans.map((span, index) =>
    audioSegmentChain(
      firstInput + index,
      span.offset,
      durations[index]!,
      `a${index}`,
      audio.channels,
      undefined,
    ),
  );
  const joined =
    spans.length === 1
      ? '[a0]'
      : `${spans.map((_span, index) => `[a${index}]`).join('')}concat=n=${spans.length}:v=0:a=1`;
  chains.push(`${joined}${spans.length === 1 ? '' : ','}${audioOutputFilters(audio)}[aout]`);
  return { graph: chains.join(';'), audioLabel: '[aout]' };
}
