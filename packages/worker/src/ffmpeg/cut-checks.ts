import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SEEK_BEFORE_FRAME, type CutCheckpoints } from '../media/plan-copy.js';
import { forEachConcurrently } from '../jobs/for-each-concurrently.js';

const execFileAsync = promisify(execFile);

/** Checks are short decodes: two at a time keep both cores busy. */
const CHECKS_AT_ONCE = 2;
/** Seconds decoded on each side of a join. */
const JOIN_WINDOW_SECONDS = 0.5;

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

/** MD5 of the decoded frame shown at `seconds` (a quarter frame of slack for rounding). */
async function frameHash(path: string, seconds: number, frameRate: number, tools: Tools): Promise<string> {
  const { stdout } = await execFileAsync(
    tools.ffmpegPath,
    [
      '-v',
      'error',
      '-ss',
      String(Math.max(0, seconds - SEEK_BEFORE_FRAME / frameRate)),
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
 * decoder complaint around any join, and each copied run starting on the very source frame it should.
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
    ...checkpoints.joins.map((join) => async () => {
      const complaints = await decodeComplaints(
        outputPath,
        join - JOIN_WINDOW_SECONDS,
        2 * JOIN_WINDOW_SECONDS,
        tools,
      );
      if (complaints) problems.push(`decoding around ${join.toFixed(3)} s: ${complaints.split('\n')[0]}`);
    }),
    ...checkpoints.copyStarts.map((copy) => async () => {
      const produced = await frameHash(outputPath, copy.fileTime, checkpoints.frameRate, tools);
      const source = await frameHash(sourcePath, copy.sourceTime, checkpoints.frameRate, tools);
      if (produced !== source)
        problems.push(`the copied frame at ${copy.fileTime.toFixed(3)} s is not the source's`);
    }),
  ];
  await forEachConcurrently(checks, CHECKS_AT_ONCE, (check) => check());
  return problems.sort();
}
