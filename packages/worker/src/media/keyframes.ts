import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { isMintedSourceUrl, sourceInput } from '../ffmpeg/source-input.js';
import { openFileByteSource, openHttpByteSource, type ByteSource } from './byte-source.js';
import { readMp4VideoPacketIndex } from './mp4-sample-index.js';
import type { SampleLocation, VideoPacketIndex } from './plan-types.js';

export type { SampleLocation, VideoPacketIndex } from './plan-types.js';

const execFileAsync = promisify(execFile);

/**
 * Collects `ffprobe -show_entries packet=pts_time,flags -of csv=p=0` lines (packets in decode order), one at
 * a time, into an index.
 */
function packetIndexBuilder(): { add(line: string): void; build(): VideoPacketIndex } {
  const decodeOrderTimes: number[] = [];
  const keyframeTimes: number[] = [];
  const ascending = (a: number, b: number) => a - b;
  return {
    add(line) {
      const [time, flags = ''] = line.trim().split(',');
      const seconds = Number(time);
      if (!time || !Number.isFinite(seconds)) return;
      decodeOrderTimes.push(seconds);
      if (flags.includes('K')) keyframeTimes.push(seconds);
    },
    build: () => {
      const inDecodeOrder = Float64Array.from(decodeOrderTimes);
      return {
        frameTimes: inDecodeOrder.slice().sort(),
        decodeOrderTimes: inDecodeOrder,
        keyframeTimes: keyframeTimes.sort(ascending),
      };
    },
  };
}

/** Parses `ffprobe -show_entries packet=pts_time,flags -of csv=p=0` output. */
export function parsePacketList(csv: string): VideoPacketIndex {
  const builder = packetIndexBuilder();
  for (const line of csv.split('\n')) builder.add(line);
  return builder.build();
}

/** An hour of 60 fps video is 216,000 packets; ffprobe lists them in a few seconds. */
const PACKET_LIST_TIMEOUT_MS = 120_000;

/**
 * The packet index of the first video stream, without decoding: from the sample tables of an MP4 or MOV
 * whose timing is plain (no media read at all; a presigned URL is read by range, a few requests for the box
 * headers and the video's tables), otherwise listed by ffprobe, which reads every packet of the file.
 * ffprobe's list is parsed line by line as it is written, so an hour's list is never held whole.
 */
export async function readVideoPacketIndex(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<VideoPacketIndex> {
  signal?.throwIfAborted();
  const fromSampleTables = await withByteSource(path, signal, readMp4VideoPacketIndex).catch(() => undefined);
  return fromSampleTables ?? listVideoPackets(ffprobePath, path, signal);
}

/**
 * Opens `path` as a byte source for `read`, then closes it: a local file, or a presigned URL of our own
 * storage read by range. Any other URL is refused, as ffmpeg refuses it (see sourceInput): a URL a user gave
 * is downloaded through the SSRF checks first.
 */
async function withByteSource<T>(
  path: string,
  signal: AbortSignal | undefined,
  read: (source: ByteSource) => Promise<T>,
): Promise<T> {
  const isUrl = /^[a-z][a-z\d+.-]*:\/\//i.test(path);
  if (isUrl && !isMintedSourceUrl(path)) throw new Error('only URLs minted for our own storage are read');
  const source = isUrl
    ? await openHttpByteSource(path, signal && { signal })
    : await openFileByteSource(path);
  try {
    return await read(source);
  } finally {
    await source.close();
  }
}

/** The packet index as ffprobe lists it, reading every packet of the file. */
export async function listVideoPackets(
  ffprobePath: string,
  path: string,
  signal?: AbortSignal,
): Promise<VideoPacketIndex> {
  const child = spawn(
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
      ...sourceInput(path),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(signal && { signal }) },
  );
  const exited = once(child, 'close');
  // awaited below; a spawn error or an abort must not go unhandled while the lines are read
  exited.catch(() => {});
  const timer = setTimeout(() => child.kill('SIGKILL'), PACKET_LIST_TIMEOUT_MS);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_096);
  });
  const builder = packetIndexBuilder();
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) builder.add(line);
    const [code] = (await exited) as [number | null];
    if (code !== 0) throw new Error(`ffprobe could not list the packets of ${path}: ${stderr.trim()}`);
  } finally {
    clearTimeout(timer);
  }
  return builder.build();
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
      ...sourceInput(path),
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
  const nalTypes = [...stderr.matchAll(/nal_unit_type\s+\d+\s+=\s+(\d+)/g)].map((match) => Number(match[1]));
  return isIdrPicture(nalTypes) ?? false;
}

/** NAL unit types of H.264 coded slices: 1 to 4 belong to non-IDR pictures, 5 to IDR pictures. */
const IDR_SLICE = 5;
const isNonIdrSlice = (type: number) => type >= 1 && type <= 4;

/**
 * Whether an H.264 picture with these NAL unit types is an IDR picture: IDR slices and no other slices.
 * Undefined when it holds no slice at all. The one rule for both checks, from ffmpeg's trace and from the
 * sample itself.
 */
export function isIdrPicture(nalTypes: readonly number[]): boolean | undefined {
  const slices = nalTypes.filter((type) => type === IDR_SLICE || isNonIdrSlice(type));
  if (slices.length === 0) return undefined;
  return slices.every((type) => type === IDR_SLICE);
}

/**
 * The NAL unit types of one H.264 sample of an MP4 (NAL units, each after a big-endian length of
 * `nalLengthSize` bytes), read header by header: the slices' data, most of a keyframe, is never read.
 * Undefined when the lengths do not add up to the sample.
 */
async function sampleNalTypes(
  file: ByteSource,
  sample: SampleLocation,
  nalLengthSize: number,
): Promise<number[] | undefined> {
  const header = Buffer.alloc(nalLengthSize + 1);
  const end = sample.offset + sample.size;
  const types: number[] = [];
  for (let at = sample.offset; at < end;) {
    if (at + header.length > end) return undefined;
    const bytesRead = await file.read(header, 0, header.length, at);
    if (bytesRead < header.length) return undefined;
    const length = header.readUIntBE(0, nalLengthSize);
    if (length === 0 || at + nalLengthSize + length > end) return undefined;
    types.push(header[nalLengthSize]! & 0x1f);
    at += nalLengthSize + length;
  }
  return types;
}

/**
 * Whether the H.264 keyframe at `time` (a time of the index) is an IDR picture, read from its sample in the
 * file where the index locates it: no ffmpeg process, which for an hour-long MP4 spends about 0.3 s parsing
 * the sample tables. Undefined when the index does not locate it or its NAL units do not parse.
 */
export async function isIdrKeyframeSample(
  path: string,
  index: VideoPacketIndex,
  time: number,
): Promise<boolean | undefined> {
  const located = index.h264Keyframes;
  const sample = located?.samples.get(time);
  if (!located || !sample) return undefined;
  const types = await withByteSource(path, undefined, (file) =>
    sampleNalTypes(file, sample, located.nalLengthSize),
  );
  return types && isIdrPicture(types);
}
