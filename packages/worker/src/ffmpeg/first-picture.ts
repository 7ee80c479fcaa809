import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sourceInput } from './source-input.js';

const execFileAsync = promisify(execFile);

/**
 * How much of a source is decoded looking for its first picture. Streams cut from a broadcast can start
 * seconds before their first keyframe; a stream with no picture in its first minute is not worth exporting.
 */
const SEARCH_SECONDS = 60;

/**
 * When the first picture of `framemd5` output is shown, in seconds from the file's start; undefined when
 * nothing decoded. The output lists `#tb 0: 1001/30000` and then `0, pts, dts, duration, size, hash` lines.
 */
export function parseFirstPictureTime(framemd5: string): number | undefined {
  const timeBase = /^#tb 0: (\d+)\/(\d+)$/m.exec(framemd5);
  const frame = /^0,\s*(-?\d+),/m.exec(framemd5);
  if (!timeBase || !frame) return undefined;
  return (Number(frame[1]) * Number(timeBase[1])) / Number(timeBase[2]);
}

/**
 * Seconds from the file's start (as `-ss` counts) to the first picture of video stream `stream` (its index,
 * or a stream specifier such as `V:0`) that decodes: later than the stream's first timestamp when it starts
 * before a keyframe or behind an edit list. Undefined when no picture decodes in the first minute.
 */
export async function firstPictureTime(
  ffmpegPath: string,
  path: string,
  stream: number | string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const args = [
    ...['-v', 'quiet', '-nostdin', '-t', String(SEARCH_SECONDS), ...sourceInput(path)],
    ...['-map', `0:${stream}`, '-frames:v', '1', '-fps_mode', 'passthrough', '-f', 'framemd5', '-'],
  ];
  try {
    const { stdout } = await execFileAsync(ffmpegPath, args, {
      timeout: 120_000,
      maxBuffer: 1 << 20,
      signal,
    });
    return parseFirstPictureTime(stdout);
  } catch (error) {
    // a stream ffmpeg gives up on holds no picture it can decode; stopping the job is the caller's to see
    if (signal?.aborted) throw error;
    return parseFirstPictureTime(String((error as { stdout?: unknown }).stdout ?? ''));
  }
}
