import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Variable-frame-rate sources as phones and screen recorders write them, which the real-world corpus lacks.
 * Each keeps its own frame times: ffmpeg is told to pass the filter's timestamps through (`-fps_mode
 * passthrough`, `-enc_time_base`) instead of forcing a constant rate.
 */
export interface VariableRateSources {
  /** 1280×720 H.264 + AAC, 4 s: about 30 fps, each frame a few ms early or late (a phone camera). */
  phoneJitter: string;
  /** 1514×694 H.264 without audio, about 6 s: bursts of frames with gaps of 0.6 to 2.5 s (a screen capture). */
  screenGaps: string;
  /** 1280×720 H.264 + AAC, 4 s: 30 fps for 2 s, then 60 fps. */
  rateChange: string;
}

/** Names of the generated sources in reports, beside the real-world files' names. */
export const VARIABLE_RATE_SOURCE_NAMES: Readonly<Record<keyof VariableRateSources, string>> = {
  phoneJitter: 'generated--phone-jitter.mp4',
  screenGaps: 'generated--screen-gaps.mp4',
  rateChange: 'generated--rate-30-to-60.mp4',
};

/** The sources as the corpus names them, each with its path. */
export function namedSources(sources: VariableRateSources): { name: string; path: string }[] {
  return (Object.keys(sources) as (keyof VariableRateSources)[]).map((kind) => ({
    name: VARIABLE_RATE_SOURCE_NAMES[kind],
    path: sources[kind],
  }));
}

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeout: 120_000 });
}

const tone = (seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
];

/** Encodes with the frame times that `setpts` gives, in a time base fine enough to hold them. */
function variableRateVideo(timeScale: number, setpts: string): string[] {
  return [
    '-vf',
    `settb=1/${timeScale},setpts='${setpts}'`,
    '-fps_mode',
    'passthrough',
    '-enc_time_base:v',
    `1/${timeScale}`,
    '-video_track_timescale',
    String(timeScale),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '60',
  ];
}

/** Seconds between consecutive video frames of a file, in presentation order. */
export async function frameIntervals(path: string): Promise<number[]> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time',
    '-of',
    'csv=p=0',
    path,
  ]);
  const times = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number)
    .sort((a, b) => a - b);
  return times.slice(1).map((time, index) => time - times[index]!);
}

const milliseconds = (seconds: number) => Math.round(seconds * 1000);

/** Why a file's frame timing is not what its kind needs, or undefined when it is. */
const TIMING_CHECKS: Readonly<
  Record<keyof VariableRateSources, (intervals: number[]) => string | undefined>
> = {
  phoneJitter: (intervals) =>
    new Set(intervals.map(milliseconds)).size >= 5 && Math.max(...intervals) < 0.05
      ? undefined
      : 'frame intervals do not jitter around 33 ms',
  screenGaps: (intervals) => (Math.max(...intervals) >= 2 ? undefined : 'no gap of seconds between frames'),
  rateChange: (intervals) => {
    const steps = new Set(intervals.map(milliseconds));
    return steps.has(33) && steps.has(17) ? undefined : 'not both 30 and 60 fps frame intervals';
  },
};

/** Writes the variable-frame-rate sources into `dir` and checks with ffprobe that their timing varies. */
export async function createVariableRateSources(dir: string): Promise<VariableRateSources> {
  const sources: VariableRateSources = {
    phoneJitter: join(dir, VARIABLE_RATE_SOURCE_NAMES.phoneJitter),
    screenGaps: join(dir, VARIABLE_RATE_SOURCE_NAMES.screenGaps),
    rateChange: join(dir, VARIABLE_RATE_SOURCE_NAMES.rateChange),
  };
  await Promise.all([
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x720:rate=30:duration=4',
      ...tone(4),
      // up to ±10 ms around each 1/30 s, deterministic (random's seed is its variable, starting at 0)
      ...variableRateVideo(90_000, '(N/30+0.006*sin(N*1.7)+0.004*random(1))/TB'),
      '-c:a',
      'aac',
      sources.phoneJitter,
    ]),
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1514x694:rate=30',
      '-frames:v',
      '40',
      // four bursts of ten frames at 30 fps, the screen unchanged for 1.4 s, 2.5 s and 0.6 s between them
      ...variableRateVideo(1000, '(N/30+1.4*gte(N,10)+2.5*gte(N,20)+0.6*gte(N,30))/TB'),
      '-an',
      sources.screenGaps,
    ]),
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x720:rate=60:duration=3',
      ...tone(4),
      ...variableRateVideo(90_000, 'if(lt(N,60),N/30,2+(N-60)/60)/TB'),
      '-c:a',
      'aac',
      sources.rateChange,
    ]),
  ]);
  for (const kind of Object.keys(TIMING_CHECKS) as (keyof VariableRateSources)[]) {
    const problem = TIMING_CHECKS[kind](await frameIntervals(sources[kind]));
    if (problem) {
      throw new Error(`${VARIABLE_RATE_SOURCE_NAMES[kind]} came out with constant timing: ${problem}`);
    }
  }
  return sources;
}

/** Name of the generated VP9 10-bit source in reports. */
export const VP9_TEN_BIT_SOURCE_NAME = 'generated--vp9-10bit-23.976.webm';

/**
 * A 640×360 VP9 10-bit WebM at 23.976 fps with Opus, 6 s: what a camera app's HDR WebM export looks like,
 * which the corpus lacks (its combined exports once came out two frames long).
 */
export async function createVp9TenBitSource(dir: string): Promise<{ name: string; path: string }> {
  const path = join(dir, VP9_TEN_BIT_SOURCE_NAME);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=24000/1001:duration=6', ...tone(6)],
    ...['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuv420p10le', '-deadline', 'realtime', '-cpu-used', '8'],
    ...['-c:a', 'libopus', path],
  ]);
  return { name: VP9_TEN_BIT_SOURCE_NAME, path };
}
