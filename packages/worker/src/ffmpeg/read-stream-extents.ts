import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseStreamExtents, type StreamExtents } from '../media/stream-extents.js';
import { sourceInput } from './source-input.js';

const execFileAsync = promisify(execFile);

/**
 * Where each stream of a produced file starts and ends, from every packet's timestamp (read, not decoded):
 * the container's duration is the longest stream's, so it hides a video stream that stops early.
 */
export async function readStreamExtents(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<StreamExtents> {
  const { stdout } = await execFileAsync(
    ffprobePath,
    [
      ...[
        '-v',
        'error',
        '-show_entries',
        'stream=index,codec_type:packet=stream_index,pts_time,duration_time',
      ],
      ...['-of', 'csv', ...sourceInput(path)],
    ],
    { timeout: 300_000, maxBuffer: 256 * 1024 * 1024, signal },
  );
  return parseStreamExtents(stdout);
}
