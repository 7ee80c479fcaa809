import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  UnreadableMediaError,
  frameRateNeedsMeasuring,
  lacksDuration,
  measureFrameTiming,
  parseFfprobeOutput,
  type MediaProbe,
} from '../media/media-probe.js';
import { firstPictureTime } from './first-picture.js';
import { ACCEPTED_CONTAINERS, refusedByAllowList, sourceInput } from './source-input.js';

const execFileAsync = promisify(execFile);

/** ffprobe's `-show_format -show_streams` of a file, opened only as a source may be (see sourceInput). */
async function probeJson(ffprobePath: string, path: string, signal?: AbortSignal): Promise<unknown> {
  try {
    const { stdout } = await execFileAsync(
      ffprobePath,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...sourceInput(path)],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024, signal },
    );
    return JSON.parse(stdout);
  } catch (error) {
    if (signal?.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`cannot run ${ffprobePath}`, { cause: error });
    if (refusedByAllowList(String((error as { stderr?: unknown }).stderr ?? '')))
      throw new UnreadableMediaError(
        'unsupported_format',
        `The file is not in a video format this service accepts. Upload an ${ACCEPTED_CONTAINERS} video.`,
      );
    throw new UnreadableMediaError(
      'unreadable_file',
      'The file is not a video we can read (corrupt, truncated or an unknown format).',
    );
  }
}

/**
 * Seconds from a file's first packet to the end of its last, read from every packet's timestamps (no
 * decoding): for files whose header says nothing of their length (Matroska written live, raw streams).
 */
async function scannedDuration(ffprobePath: string, path: string, signal?: AbortSignal): Promise<number> {
  const { stdout } = await execFileAsync(
    ffprobePath,
    [
      ...['-v', 'quiet', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0'],
      ...sourceInput(path),
    ],
    { timeout: 300_000, maxBuffer: 256 * 1024 * 1024, signal },
  );
  let first = Infinity;
  let end = -Infinity;
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const [pts, duration] = line.split(',').map(Number);
    if (!Number.isFinite(pts)) continue;
    first = Math.min(first, pts!);
    end = Math.max(end, pts! + (Number.isFinite(duration) ? duration! : 0));
  }
  return end > first ? end - first : 0;
}

/** Video packets read to measure a frame rate: ten seconds at 30 fps. */
const TIMING_PACKETS = 300;

/** The presentation times of the first video packets, for measuring a frame rate (see measureFrameTiming). */
async function firstVideoPacketTimes(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<number[]> {
  const { stdout } = await execFileAsync(
    ffprobePath,
    [
      ...['-v', 'quiet', '-select_streams', 'v:0', '-read_intervals', `%+#${TIMING_PACKETS}`],
      ...['-show_entries', 'packet=pts_time', '-of', 'csv=p=0', ...sourceInput(path)],
    ],
    { timeout: 120_000, maxBuffer: 16 * 1024 * 1024, signal },
  );
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number)
    .filter((time) => Number.isFinite(time));
}

/** Dispositions that take a video stream out of ffmpeg's `V` (a still image, cover art, thumbnails). */
const NOT_MOTION_PICTURE = ['attached_pic', 'timed_thumbnails', 'still_image'];

/**
 * Whether the stream at `index` is certainly the one ffmpeg maps as `V:0`: the file's first video stream,
 * with none of the dispositions that `V` leaves out.
 */
function isFfmpegV0(raw: unknown, index: number): boolean {
  const streams = (raw as { streams?: { index?: number; codec_type?: string; disposition?: object }[] })
    .streams;
  const firstVideo = streams?.find((stream) => stream.codec_type === 'video');
  if (firstVideo?.index !== index) return false;
  const disposition = (firstVideo.disposition ?? {}) as Record<string, unknown>;
  return NOT_MOTION_PICTURE.every((name) => !disposition[name]);
}

/** Probes a produced file (an export's output): what ffprobe says of its format and streams. */
export async function probeFile(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<MediaProbe> {
  return parseFfprobeOutput(await probeJson(ffprobePath, path, signal));
}

/**
 * Probes an uploaded source: what ffprobe says, its length from its packets when the header has none, and
 * when its first picture is shown (decoding up to it). A file that is not a video we can export is an
 * {@link UnreadableMediaError} with the reason's code.
 */
export async function probeSource(
  tools: { ffmpegPath: string; ffprobePath: string },
  path: string,
  signal?: AbortSignal,
): Promise<MediaProbe> {
  // the first picture is decoded while ffprobe reads the header, from ffmpeg's `V:0` (its first video
  // stream that is no cover art or thumbnail); used when that is the stream the probe picks below
  const [raw, firstPictureOfV0] = await Promise.all([
    probeJson(tools.ffprobePath, path, signal),
    firstPictureTime(tools.ffmpegPath, path, 'V:0', signal),
  ]);
  const scanned = lacksDuration(raw) ? await scannedDuration(tools.ffprobePath, path, signal) : undefined;
  const measuredTiming = frameRateNeedsMeasuring(raw)
    ? measureFrameTiming(await firstVideoPacketTimes(tools.ffprobePath, path, signal))
    : undefined;
  const probe = parseFfprobeOutput(raw, { scannedDurationSeconds: scanned, measuredTiming });
  const firstPicture = isFfmpegV0(raw, probe.video.index)
    ? firstPictureOfV0
    : await firstPictureTime(tools.ffmpegPath, path, probe.video.index, signal);
  if (firstPicture === undefined)
    throw new UnreadableMediaError('undecodable_video', "The video's pictures cannot be decoded.");
  return { ...probe, video: { ...probe.video, firstPictureTime: firstPicture } };
}
