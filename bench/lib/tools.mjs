// Small helpers the benchmark scenarios share: running ffmpeg, timing, sizes of folders, frame checks,
// writing results.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SEEK_BEFORE_FRAME, countVideoPackets } from '@vexport/worker';
import * as prettier from 'prettier';

const execFileAsync = promisify(execFile);

export async function ffmpeg(args) {
  await execFileAsync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Wall-clock seconds an async function takes, and its result. */
export async function timed(run) {
  const started = process.hrtime.bigint();
  const result = await run();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

/** Runs a command to completion; rejects with its stderr when it fails. */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${command} exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

/** Bytes of every file under a folder (0 when it is gone). */
export function folderBytes(dir) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    try {
      total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
    } catch {
      // removed while we looked
    }
  }
  return total;
}

/** Samples a folder's size every `intervalMs` until stopped; resolves the peak. */
export function sampleFolderPeak(dir, intervalMs = 100) {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, folderBytes(dir))), intervalMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, folderBytes(dir));
  };
}

/** What `ffmpeg -v error` prints while decoding the whole file (empty: it decodes cleanly). */
export async function decodeErrors(path) {
  const { stderr } = await runCommand('ffmpeg', [
    '-v',
    'error',
    '-i',
    path,
    '-map',
    '0:v:0',
    '-f',
    'null',
    '-',
  ]);
  return stderr.trim();
}

/** Video packets of a file (one per frame), counted without decoding, as the worker's checks count them. */
export function videoFrameCount(path) {
  return countVideoPackets(path, { ffprobePath: 'ffprobe' });
}

/** One decoded frame shown at `seconds`, as 160×90 grey bytes. */
async function thumbnailAt(path, seconds, frameRate = 30) {
  const { stdout } = await execFileAsync(
    'ffmpeg',
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
      '-vf',
      'scale=160:90,format=gray',
      '-f',
      'rawvideo',
      '-',
    ],
    { encoding: 'buffer', maxBuffer: 1024 * 1024 },
  );
  return stdout;
}

const difference = (a, b) => {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += Math.abs(a[index] - b[index]);
  return sum / a.length;
};

/**
 * Whether the output's first frame is the source frame at `sourceSeconds` (closer to it than to the frames
 * one before and one after).
 */
export async function firstFrameIs(outputPath, sourcePath, sourceSeconds, frameRate = 30) {
  const first = await thumbnailAt(outputPath, 0, frameRate);
  const [before, at, after] = await Promise.all(
    [-1, 0, 1].map((offset) => thumbnailAt(sourcePath, sourceSeconds + offset / frameRate, frameRate)),
  );
  const atDifference = difference(first, at);
  return atDifference < difference(first, before) && atDifference < difference(first, after);
}

/** The middle item of `items` by `key` (for an even count, the upper of the two middle ones). */
export function medianBy(items, key) {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
}

/** Writes `text` to `path` as Prettier formats it, so that the results the bench writes pass the linter. */
export async function writeFormatted(path, text) {
  const options = await prettier.resolveConfig(path);
  writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
}
