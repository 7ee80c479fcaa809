import type { SegmentSpan } from './plan-export.js';

/** Fade at each segment's edges so joins never click (5 ms: inaudible as a fade). */
const EDGE_FADE_SECONDS = 0.005;

/** Seconds as ffmpeg arguments: up to microseconds, no trailing zeros. */
export const formatSeconds = (value: number) => value.toFixed(6).replace(/\.?0+$/, '') || '0';
const seconds = formatSeconds;

/** One segment's audio: cut to its span to the sample, padded if short, faded at both edges. */
function audioSegmentChain(
  inputIndex: number,
  { offset, duration }: SegmentSpan,
  label: string,
  channels: 1 | 2,
): string {
  const fadeOutStart = seconds(Math.max(0, duration - EDGE_FADE_SECONDS));
  const layout = channels === 1 ? 'mono' : 'stereo';
  return (
    `[${inputIndex}:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=${layout},` +
    `atrim=start=${seconds(offset)}:duration=${seconds(duration)},asetpts=PTS-STARTPTS,` +
    `apad=whole_dur=${seconds(duration)},` +
    `afade=t=in:d=${EDGE_FADE_SECONDS},afade=t=out:st=${fadeOutStart}:d=${EDGE_FADE_SECONDS}[${label}]`
  );
}

/**
 * The filter graph that cuts each input to its segment's span (video and audio alike, to the sample),
 * scales it to the target size, fades the audio's edges so joins never click, and joins the segments.
 */
export function segmentFilterGraph(
  spans: readonly SegmentSpan[],
  options: {
    width: number;
    height: number;
    /** The output's audio channels, or undefined for no audio. */
    audioChannels: 1 | 2 | undefined;
    uploadFilter?: string | undefined;
  },
): { graph: string; videoLabel: string; audioLabel: string | undefined } {
  const { width, height, audioChannels, uploadFilter } = options;
  const hasAudio = audioChannels !== undefined;
  const chains: string[] = [];
  const joinInputs: string[] = [];
  spans.forEach(({ offset, duration }, index) => {
    chains.push(
      `[${index}:v:0]setpts=PTS-STARTPTS,trim=duration=${seconds(duration)},` +
        `scale=${width}:${height}:flags=bicubic,setsar=1,format=yuv420p[v${index}]`,
    );
    joinInputs.push(`[v${index}]`);
    if (hasAudio) {
      chains.push(audioSegmentChain(index, { offset, duration }, `a${index}`, audioChannels));
      joinInputs.push(`[a${index}]`);
    }
  });
  const upload = uploadFilter ? `,${uploadFilter}` : '';
  if (spans.length === 1) {
    chains.push(`[v0]null${upload}[vout]`);
    if (hasAudio) chains.push('[a0]anull[aout]');
  } else {
    const outputs = hasAudio ? '[vjoined][aout]' : '[vjoined]';
    chains.push(`${joinInputs.join('')}concat=n=${spans.length}:v=1:a=${hasAudio ? 1 : 0}${outputs}`);
    chains.push(`[vjoined]null${upload}[vout]`);
  }
  return { graph: chains.join(';'), videoLabel: '[vout]', audioLabel: hasAudio ? '[aout]' : undefined };
}

/**
 * Audio only: each input (from `firstInput` on) cut to its segment's span and joined, for exports whose
 * video is copied. Resolves to the graph and its output label.
 */
export function audioJoinGraph(
  spans: readonly SegmentSpan[],
  firstInput: number,
  channels: 1 | 2,
): { graph: string; audioLabel: string } {
  const chains = spans.map((span, index) =>
    audioSegmentChain(firstInput + index, span, `a${index}`, channels),
  );
  if (spans.length === 1) chains.push('[a0]anull[aout]');
  else
    chains.push(
      `${spans.map((_span, index) => `[a${index}]`).join('')}concat=n=${spans.length}:v=0:a=1[aout]`,
    );
  return { graph: chains.join(';'), audioLabel: '[aout]' };
}
