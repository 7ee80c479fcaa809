// What the end-to-end tests measure in a file with ffprobe and ffmpeg: the picture, the exact frames, and
// the loudness.
import { execFileSync, spawnSync } from 'node:child_process';

/** The video stream's size and frames (decoded and counted, not read from the header), and the file's length. */
export interface VideoFacts {
  width: number;
  height: number;
  frames: number;
  /** The file's duration, in seconds. */
  duration: number;
}

export function videoFacts(path: string): VideoFacts {
  const out = execFileSync(
    'ffprobe',
    [
      ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
      ...['-show_entries', 'stream=width,height,nb_read_frames:format=duration', '-of', 'json', path],
    ],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(out) as {
    streams: { width: number; height: number; nb_read_frames: string }[];
    format: { duration: string };
  };
  const [stream] = parsed.streams;
  if (!stream) throw new Error(`${path} has no video stream`);
  return {
    width: stream.width,
    height: stream.height,
    frames: Number(stream.nb_read_frames),
    duration: Number(parsed.format.duration),
  };
}

/** The integrated loudness of a file's sound in LUFS, as ffmpeg's EBU R128 meter (ebur128) measures it. */
export function integratedLoudness(path: string): number {
  const run = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostats', '-i', path, '-map', '0:a:0', '-af', 'ebur128', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`ffmpeg could not measure ${path}: ${run.stderr}`);
  // the summary comes last: "Integrated loudness:\n    I:         -14.0 LUFS"
  const summary = run.stderr.slice(run.stderr.lastIndexOf('Integrated loudness:'));
  const match = /I:\s+(-?[\d.]+) LUFS/.exec(summary);
  if (!match) throw new Error(`no integrated loudness in ffmpeg's output for ${path}`);
  return Number(match[1]);
}
