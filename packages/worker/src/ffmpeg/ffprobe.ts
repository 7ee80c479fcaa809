import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UnreadableMediaError, parseFfprobeOutput, type MediaProbe } from '../media/media-probe.js';
import { ACCEPTED_CONTAINERS, refusedByAllowList, sourceInput } from './source-input.js';

const execFileAsync = promisify(execFile);

/**
 * Runs ffprobe on a local file, opened only as a source may be (see sourceInput); a file ffprobe cannot read
 * or may not open is an {@link UnreadableMediaError}.
 */
export async function probeFile(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<MediaProbe> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      ffprobePath,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...sourceInput(path)],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024, signal },
    ));
  } catch (error) {
    if (signal?.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`cannot run ${ffprobePath}`, { cause: error });
    if (refusedByAllowList(String((error as { stderr?: unknown }).stderr ?? '')))
      throw new UnreadableMediaError(
        `The file is not in a video format this service accepts. Upload an ${ACCEPTED_CONTAINERS} video.`,
      );
    throw new UnreadableMediaError(
      'The file is not a video we can read (corrupt, truncated or an unknown format).',
    );
  }
  return parseFfprobeOutput(JSON.parse(stdout));
}
