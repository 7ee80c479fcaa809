import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The video stream's frame timestamps (presentation order) and which of them are keyframes. */
export interface VideoPacketIndex {
  /** Every frame's presentation time in seconds, ascending. */
  frameTimes: number[];
  /** Presentation times of the packets flagged as keyframes, ascending. */
  keyframeTimes: number[];
}

/** Parses `ffprobe -show_entries packet=pts_time,flags -of csv=p=0` output. */
export function parsePacketList(csv: string): VideoPacketIndex {
  const frameTimes: number[] = [];
  const keyframeTimes: number[] = [];
  for (const line of csv.split('\n')) {
    const [time, flags = ''] = line.trim().split(',');
    const seconds = Number(time);
    if (!time || !Number.isFinite(seconds)) continue;
    frameTimes.push(seconds);
    if (flags.includes('K')) keyframeTimes.push(seconds);
  }
  const ascending = (a: number, b: number) => a - b;
  return { frameTimes: frameTimes.sort(ascending), keyframeTimes: keyframeTimes.sort(ascending) };
}

/** Reads the packet index of the first video stream without decoding (fast: packet headers only). */
export async function readVideoPacketIndex(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<VideoPacketIndex> {
  const { stdout } = await execFileAsync(
    ffprobePath,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'packet=pts_time,flags',
      '-of',
      'csv=p=0',
      path,
    ],
    { timeout: 120_000, maxBuffer: 256 * 1024 * 1024, signal },
  );
  return parsePacketList(stdout);
}

/**
 * True when the H.264 keyframe at `time` is an IDR picture. MP4 also flags open-GOP recovery points as
 * keyframes; copying from one of those gives frames that reference the previous GOP and decode wrongly.
 */
export async function isIdrKeyframe(
  ffmpegPath: string,
  path: string,
  time: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const { stderr } = await execFileAsync(
    ffmpegPath,
    [
      '-hide_banner',
      '-ss',
      String(time),
      '-i',
      path,
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-bsf:v',
      'trace_headers',
      '-frames:v',
      '1',
      '-f',
      'null',
      '-',
    ],
    { timeout: 30_000, maxBuffer: 16 * 1024 * 1024, signal },
  );
  const sliceTypes = [...stderr.matchAll(/nal_unit_type\s+\d+\s+=\s+(\d+)/g)].map((match) =>
    Number(match[1]),
  );
  return sliceTypes.includes(5) && !sliceTypes.includes(1);
}
