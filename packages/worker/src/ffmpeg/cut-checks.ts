import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { MediaProbe } from '../media/media-probe.js';
import { SEEK_PAST_KEYFRAME_SECONDS } from '../media/ffmpeg-arguments.js';
import type { CutCheckpoints } from '../media/plan-copy.js';
import { forEachConcurrently } from '../jobs/for-each-concurrently.js';
import { sourceInput } from './source-input.js';

const execFileAsync = promisify(execFile);

/** Checks are short decodes: two at a time keep both cores busy. */
const CHECKS_AT_ONCE = 2;
/**
 * Each join is decoded from its own first frame, a keyframe (every piece starts on one), to half a second
 * after it, where a wrong reference or parameter set shows. Starting any earlier would decode the whole
 * group of pictures before the join as well (a seek starts at the keyframe before), about as many frames
 * again, and nothing in them depends on the piece after the join.
 */
const DECODE_AFTER_JOIN_SECONDS = 0.5;
/**
 * Joins closer than this are checked in one decode: starting another ffmpeg costs about as much as decoding
 * the frames between them, and the later joins are then reached from the piece before them.
 */
const MERGE_GAP_SECONDS = 2;

// Every file the checks open, the source and the cut made from it, is opened as a source is (sourceInput): a
// cut is MP4, MOV or WebM, which the allow list holds.
interface Tools {
  ffmpegPath: string;
  ffprobePath: string;
  signal?: AbortSignal | undefined;
}

/** Video packets in a file (one per frame), counted by reading every packet (no decoding). */
export async function countVideoPackets(
  path: string,
  { ffprobePath, signal }: Pick<Tools, 'ffprobePath' | 'signal'>,
): Promise<number> {
  const { stdout } = await execFileAsync(
    ffprobePath,
    [
      ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
      ...['-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', ...sourceInput(path)],
    ],
    { timeout: 120_000, signal },
  );
  return Number(stdout.trim());
}

/**
 * What ffmpeg complains about while decoding `seconds` of a file from the keyframe at `from` (or the last one
 * before it): empty when nothing.
 */
async function decodeComplaints(
  path: string,
  from: number,
  seconds: number,
  { ffmpegPath, signal }: Tools,
): Promise<string> {
  try {
    const { stderr } = await execFileAsync(
      ffmpegPath,
      [
        '-v',
        'error',
        '-ss',
        String(from + SEEK_PAST_KEYFRAME_SECONDS),
        '-t',
        String(seconds),
        ...sourceInput(path),
        '-f',
        'null',
        '-',
      ],
      { timeout: 60_000, maxBuffer: 4 * 1024 * 1024, signal },
    );
    return stderr.trim();
  } catch (error) {
    if (signal?.aborted) throw error;
    // ffmpeg gave up on the file: that is a complaint too
    return ((error as { stderr?: string }).stderr ?? '').trim() || (error as Error).message;
  }
}

/** The stretches of a file to decode to check its joins: from each join, neighbouring ones merged. */
export function joinDecodeWindows(joins: readonly number[]): { from: number; seconds: number }[] {
  const windows: { from: number; to: number }[] = [];
  for (const join of [...joins].sort((a, b) => a - b)) {
    const to = join + DECODE_AFTER_JOIN_SECONDS;
    const last = windows.at(-1);
    if (last && join - last.to < MERGE_GAP_SECONDS) last.to = to;
    else windows.push({ from: join, to });
  }
  return windows.map(({ from, to }) => ({ from, seconds: to - from }));
}

/**
 * MD5 of the keyframe at each of `times` (or the last one before it), from one ffmpeg: each time is its own
 * input, seeked to land on that keyframe, so it is the first frame decoded and nothing before it is, and its
 * own output (a single output stops all its streams at the first one's frame limit), written to a pipe.
 * Starting ffmpeg costs more than decoding a keyframe, so one run for all of them saves most of the time.
 */
async function keyframeHashes(path: string, times: readonly number[], tools: Tools): Promise<string[]> {
  if (times.length === 0) return [];
  const firstPipe = 3;
  const args = ['-v', 'error', '-nostdin'];
  // -t ends each input just past its keyframe, so no input is read further whatever the other outputs need
  for (const time of times)
    args.push(
      '-noaccurate_seek',
      '-ss',
      String(time + SEEK_PAST_KEYFRAME_SECONDS),
      '-t',
      '0.001',
      ...sourceInput(path),
    );
  times.forEach((_time, input) =>
    args.push('-map', `${input}:v:0`, '-frames:v', '1', '-f', 'framemd5', `pipe:${firstPipe + input}`),
  );
  const child = spawn(tools.ffmpegPath, args, {
    stdio: ['ignore', 'ignore', 'pipe', ...times.map(() => 'pipe' as const)],
    timeout: 60_000,
    ...(tools.signal && { signal: tools.signal }),
  });
  const exited = once(child, 'close');
  exited.catch(() => {});
  const collect = (stream: Readable | null) => {
    let text = '';
    stream?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    return () => text;
  };
  const stderr = collect(child.stderr);
  const outputs = times.map((_time, input) => collect(child.stdio[firstPipe + input] as Readable));
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg could not hash the keyframes of ${path}: ${stderr().trim()}`);
  return outputs.map((text) => text().trim().split('\n').at(-1)?.split(',').at(-1)?.trim() ?? '');
}

/**
 * Where a file's video starts, in the seconds that `-ss` counts from: ffmpeg seeks from the file's start, the
 * earliest of its streams'. Opus in WebM starts a few milliseconds before the video (its pre-skip), and a seek
 * to a keyframe's time in the video would land on the keyframe before it.
 */
function videoStartOffset(probe: MediaProbe): number {
  return Math.max(0, probe.video.startTime - probe.startTime);
}

/**
 * The cheap checks a smart-cut file must pass before it is delivered: the planned number of frames, no
 * decoder complaint around any join, and each copied run starting on the very source keyframe it should
 * (copied runs start on keyframes in both files). `output` is the file's probe. The checkpoints' times in
 * the file count from its first video frame; those in the source, as `-ss` does.
 * Resolves to what is wrong (empty when nothing).
 */
export async function cutOutputProblems(
  outputPath: string,
  output: MediaProbe,
  sourcePath: string,
  checkpoints: CutCheckpoints,
  tools: Tools,
): Promise<string[]> {
  const problems: string[] = [];
  const offset = videoStartOffset(output);
  const { copyStarts } = checkpoints;
  let outputHashes: string[] = [];
  let sourceHashes: string[] = [];
  // every check is its own task, the longest decodes first, so that the two lanes finish together
  const tasks = [
    ...joinDecodeWindows(checkpoints.joins).map((window) => ({
      cost: window.seconds,
      run: async () => {
        const complaints = await decodeComplaints(outputPath, window.from + offset, window.seconds, tools);
        if (complaints)
          problems.push(
            `decoding from ${window.from.toFixed(3)} s to ${(window.from + window.seconds).toFixed(3)} s: ${complaints.split('\n')[0]}`,
          );
      },
    })),
    {
      cost: 0,
      run: async () => {
        const frames = output.video.listedFrames ?? (await countVideoPackets(outputPath, tools));
        if (frames !== checkpoints.frames)
          problems.push(`${frames} video frames instead of ${checkpoints.frames}`);
      },
    },
    {
      cost: 0,
      run: async () => {
        const times = copyStarts.map((copy) => copy.fileTime + offset);
        outputHashes = await keyframeHashes(outputPath, times, tools);
      },
    },
    {
      cost: 0,
      run: async () => {
        sourceHashes = await keyframeHashes(
          sourcePath,
          copyStarts.map((copy) => copy.sourceTime),
          tools,
        );
      },
    },
  ].sort((a, b) => b.cost - a.cost);
  await forEachConcurrently(tasks, CHECKS_AT_ONCE, (task) => task.run());
  copyStarts.forEach((copy, order) => {
    if (outputHashes[order] !== sourceHashes[order])
      problems.push(`the copied frame at ${copy.fileTime.toFixed(3)} s is not the source's`);
  });
  return problems.sort();
}
