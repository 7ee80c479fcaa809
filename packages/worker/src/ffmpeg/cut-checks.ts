import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SEEK_PAST_KEYFRAME_SECONDS, type CutCheckpoints } from '../media/plan-copy.js';
import { forEachConcurrently } from '../jobs/for-each-concurrently.js';

const execFileAsync = promisify(execFile);

/** Checks are short decodes: two at a time keep both cores busy. */
const CHECKS_AT_ONCE = 2;
/**
 * Seconds decoded before each join (the decoder starts from the keyframe before that anyway, so every frame
 * since it is decoded too) and after it, where a wrong reference or parameter set shows.
 */
const DECODE_BEFORE_JOIN_SECONDS = 0.1;
const DECODE_AFTER_JOIN_SECONDS = 0.5;
/** Joins closer than this are checked in one decode: seeking back to a keyframe costs about as much. */
const MERGE_GAP_SECONDS = 2;

interface Tools {
  ffmpegPath: string;
  ffprobePath: string;
  signal?: AbortSignal | undefined;
}

/** Video packets in a file (one per frame), counted from the container without decoding. */
export async function countVideoPackets(
  path: string,
  { ffprobePath, signal }: Pick<Tools, 'ffprobePath' | 'signal'>,
): Promise<number> {
  const { stdout } = await execFileAsync(
    ffprobePath,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-count_packets',
      '-show_entries',
      'stream=nb_read_packets',
      '-of',
      'csv=p=0',
      path,
    ],
    { timeout: 120_000, signal },
  );
  return Number(stdout.trim());
}

/** What ffmpeg complains about while decoding `seconds` of a file from `from` (empty when nothing). */
async function decodeComplaints(
  path: string,
  from: number,
  seconds: number,
  { ffmpegPath, signal }: Tools,
): Promise<string> {
  try {
    const { stderr } = await execFileAsync(
      ffmpegPath,
      ['-v', 'error', '-ss', String(Math.max(0, from)), '-t', String(seconds), '-i', path, '-f', 'null', '-'],
      { timeout: 60_000, maxBuffer: 4 * 1024 * 1024, signal },
    );
    return stderr.trim();
  } catch (error) {
    if (signal?.aborted) throw error;
    // ffmpeg gave up on the file: that is a complaint too
    return ((error as { stderr?: string }).stderr ?? '').trim() || (error as Error).message;
  }
}

/** The stretches of a file to decode to check its joins: around each join, neighbouring ones merged. */
export function joinDecodeWindows(joins: readonly number[]): { from: number; seconds: number }[] {
  const windows: { from: number; to: number }[] = [];
  for (const join of [...joins].sort((a, b) => a - b)) {
    const from = Math.max(0, join - DECODE_BEFORE_JOIN_SECONDS);
    const to = join + DECODE_AFTER_JOIN_SECONDS;
    const last = windows.at(-1);
    if (last && from - last.to < MERGE_GAP_SECONDS) last.to = to;
    else windows.push({ from, to });
  }
  return windows.map(({ from, to }) => ({ from, seconds: to - from }));
}

/**
 * MD5 of the keyframe at `seconds` (or the last one before it): the seek lands on that keyframe and it is the
 * first frame decoded, so nothing before it is decoded.
 */
async function keyframeHash(path: string, seconds: number, tools: Tools): Promise<string> {
  const { stdout } = await execFileAsync(
    tools.ffmpegPath,
    [
      '-v',
      'error',
      '-noaccurate_seek',
      '-ss',
      String(seconds + SEEK_PAST_KEYFRAME_SECONDS),
      '-i',
      path,
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-f',
      'framemd5',
      '-',
    ],
    { timeout: 60_000, signal: tools.signal },
  );
  return stdout.trim().split('\n').at(-1)?.split(',').at(-1)?.trim() ?? '';
}

/**
 * The cheap checks a smart-cut file must pass before it is delivered: the planned number of frames, no
 * decoder complaint around any join, and each copied run starting on the very source keyframe it should
 * (copied runs start on keyframes in both files).
 * Resolves to what is wrong (empty when nothing).
 */
export async function cutOutputProblems(
  outputPath: string,
  sourcePath: string,
  checkpoints: CutCheckpoints,
  tools: Tools,
): Promise<string[]> {
  const problems: string[] = [];
  const packets = await countVideoPackets(outputPath, tools);
  if (packets !== checkpoints.frames)
    problems.push(`${packets} video frames instead of ${checkpoints.frames}`);
  const checks: (() => Promise<void>)[] = [
    ...joinDecodeWindows(checkpoints.joins).map((window) => async () => {
      const complaints = await decodeComplaints(outputPath, window.from, window.seconds, tools);
      if (complaints)
        problems.push(
          `decoding from ${window.from.toFixed(3)} s to ${(window.from + window.seconds).toFixed(3)} s: ${complaints.split('\n')[0]}`,
        );
    }),
    ...checkpoints.copyStarts.map((copy) => async () => {
      const produced = await keyframeHash(outputPath, copy.fileTime, tools);
      const source = await keyframeHash(sourcePath, copy.sourceTime, tools);
      if (produced !== source)
        problems.push(`the copied frame at ${copy.fileTime.toFixed(3)} s is not the source's`);
    }),
  ];
  await forEachConcurrently(checks, CHECKS_AT_ONCE, (check) => check());
  return problems.sort();
}
