import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseFfprobeOutput, type MediaProbe } from '../media/media-probe.js';
import { parseStreamExtents, streamExtentsFromJson, type StreamExtents } from '../media/stream-extents.js';
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

/**
 * A produced file's probe and its streams' extents from one ffprobe run (reading its packets, not decoding):
 * the checks of an export's output start one process, not two.
 */
export async function probeWithExtents(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<{ probe: MediaProbe; extents: StreamExtents }> {
  const { stdout } = await execFileAsync(
    ffprobePath,
    [
      ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'],
      ...['-show_entries', 'packet=stream_index,pts_time,duration_time', ...sourceInput(path)],
    ],
    { timeout: 300_000, maxBuffer: 512 * 1024 * 1024, signal },
  );
  const output: unknown = JSON.parse(stdout);
  return { probe: parseFfprobeOutput(output), extents: streamExtentsFromJson(output) };
}
