import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The version from the first line of `ffmpeg -version` ("ffmpeg version 5.1.9-0+deb12u1 Copyright…"). */
export function parseFfmpegVersion(output: string): string | undefined {
  return /^\S+ version (\S+)/m.exec(output)?.[1];
}

/** Runs `<binary> -version` and returns the version it reports; throws with a clear message when it cannot. */
export async function readFfmpegVersion(binary: string): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(binary, ['-hide_banner', '-version'], { timeout: 10_000 }));
  } catch (error) {
    throw new Error(`cannot run ${binary}: ${(error as Error).message}`, { cause: error });
  }
  const version = parseFfmpegVersion(stdout);
  if (!version) throw new Error(`${binary} -version printed no version`);
  return version;
}
