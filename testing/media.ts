import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Short test sources made by ffmpeg from its built-in generators (colour bars and a tone). */
export interface TestMedia {
  /** 1280×720, 30 fps H.264 + AAC, 4 s, 2 s GOP. */
  landscape: string;
  /** Coded 1280×720 with a display matrix turning it 90° counter-clockwise (a phone held upright), 3 s. */
  portrait: string;
  /** 640×360 H.264 without audio, 3 s. */
  silent: string;
  /** Bytes that are no video at all. */
  corrupt: string;
}

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeout: 60_000 });
}

const bars = (size: string, seconds: number, rate = 30) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`,
];
const tone = (seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60'];

/** Writes the test sources into `dir`. */
export async function createTestMedia(dir: string): Promise<TestMedia> {
  const media: TestMedia = {
    landscape: join(dir, 'landscape.mp4'),
    portrait: join(dir, 'portrait.mp4'),
    silent: join(dir, 'silent.mp4'),
    corrupt: join(dir, 'corrupt.mp4'),
  };
  await Promise.all([
    ffmpeg([...bars('1280x720', 4), ...tone(4), ...h264, '-c:a', 'aac', '-shortest', media.landscape]),
    ffmpeg([
      ...bars('1280x720', 3),
      ...tone(3),
      ...h264,
      '-c:a',
      'aac',
      '-shortest',
      `${media.portrait}.raw.mp4`,
    ]).then(() =>
      // ffmpeg 5.1 writes the rotation only when copying streams
      ffmpeg([
        '-i',
        `${media.portrait}.raw.mp4`,
        '-c',
        'copy',
        '-metadata:s:v:0',
        'rotate=90',
        media.portrait,
      ]),
    ),
    ffmpeg([...bars('640x360', 3), ...h264, '-an', media.silent]),
    writeFile(media.corrupt, Buffer.from('this is not a video file at all, just text pretending to be one')),
  ]);
  return media;
}

/**
 * A 4 s source for A/V sync checks: a white flash (3 frames) and a 1 kHz beep (0.1 s) start together at
 * every whole second, on black and silence in between.
 */
export async function createSyncSource(
  path: string,
  { width = 320, height = 240, rate = 30 } = {},
): Promise<void> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${width}x${height}:r=${rate}:d=4,drawbox=c=white:t=fill:enable='lt(mod(t\\,1)\\,0.1)'`,
    '-f',
    'lavfi',
    '-i',
    // evaluated per sample, so each beep starts exactly on its second (a volume switch would wait for the
    // next audio frame)
    `aevalsrc='if(lt(mod(t\\,1)\\,0.1)\\,0.5*sin(2*PI*1000*t)\\,0)':s=48000:d=4`,
    ...h264,
    '-c:a',
    'aac',
    '-shortest',
    path,
  ]);
}

/**
 * Writes a 1280×720, 30 fps H.264 file whose keyframes (every 2 s after the first) are open-GOP recovery
 * points, not IDR frames: nothing may be copied from them.
 */
export async function createOpenGopSource(path: string, seconds = 6): Promise<void> {
  await ffmpeg([
    ...bars('1280x720', seconds),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-x264-params',
    'open-gop=1:keyint=60:min-keyint=60:scenecut=0',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
}

/** Writes a 1280×720, 30 fps H.264 + AAC file of `seconds` with B-frames and an IDR frame every second. */
export async function createKeyframeEverySecondSource(path: string, seconds: number): Promise<void> {
  await ffmpeg([
    ...bars('1280x720', seconds),
    ...tone(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-bf',
    '2',
    '-x264-params',
    'keyint=30:min-keyint=30:scenecut=0',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    path,
  ]);
}

/**
 * Writes a 1280×720, 30 fps VP9 + Opus WebM of `seconds` with a keyframe every 2 s and hidden alternate
 * reference frames (libvpx's good-quality mode looks ahead), as a camera or an earlier export might make it.
 */
export async function createVp9Source(path: string, seconds: number): Promise<void> {
  await ffmpeg([
    ...bars('1280x720', seconds),
    ...tone(seconds),
    '-c:v',
    'libvpx-vp9',
    '-deadline',
    'good',
    '-cpu-used',
    '8',
    '-auto-alt-ref',
    '1',
    '-lag-in-frames',
    '16',
    '-g',
    '60',
    '-keyint_min',
    '60',
    '-c:a',
    'libopus',
    '-shortest',
    path,
  ]);
}

/** A checksum of each decoded video frame of a file, in order; rejects when the decoder complains about any. */
export async function decodedFrameChecksums(path: string): Promise<string[]> {
  const { stdout, stderr } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-map', '0:v:0', '-f', 'framecrc', '-'],
    {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (stderr.trim()) throw new Error(`decoding ${path}: ${stderr.trim().split('\n')[0]}`);
  return stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)!.trim());
}

/** When the flashes (video) and beeps (audio) of a file start, in seconds, as ffmpeg's detectors see them. */
export async function measureFlashesAndBeeps(path: string): Promise<{ flashes: number[]; beeps: number[] }> {
  const { stderr } = await run(
    'ffmpeg',
    [
      '-hide_banner',
      '-i',
      path,
      '-vf',
      'blackdetect=d=0.02:pix_th=0.1',
      '-af',
      'silencedetect=n=-30dB:d=0.05',
      '-f',
      'null',
      '-',
    ],
    { timeout: 60_000 },
  );
  const times = (pattern: RegExp) => [...stderr.matchAll(pattern)].map((match) => Number(match[1]));
  return {
    flashes: times(/black_end:(\d+(?:\.\d+)?)/g),
    beeps: times(/silence_end: (\d+(?:\.\d+)?)/g),
  };
}

/** Frames of the first video stream, counted by decoding. */
export async function countFrames(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=nb_read_frames',
    '-of',
    'csv=p=0',
    path,
  ]);
  return Number(stdout.trim());
}

/** A run of `count` decoded frames: the video of `path` from its frame `first` (0-based, in display order). */
export interface FrameRun {
  path: string;
  first: number;
  count: number;
}

/**
 * The PSNR (dB, averaged over the planes) of each frame of run `a` against the frame at the same place in run
 * `b`, as ffmpeg's psnr filter measures it; identical frames give Infinity.
 */
export async function framePsnr(a: FrameRun, b: FrameRun): Promise<number[]> {
  const pick = (input: number, run: FrameRun) =>
    `[${input}:v:0]trim=start_frame=${run.first}:end_frame=${run.first + run.count},settb=1/30,setpts=N[v${input}]`;
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      a.path,
      '-i',
      b.path,
      '-filter_complex',
      `${pick(0, a)};${pick(1, b)};[v0][v1]psnr=stats_file=-`,
      '-f',
      'null',
      '-',
    ],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return [...stdout.matchAll(/psnr_avg:(\S+)/g)].map((match) =>
    Number(match[1] === 'inf' ? Infinity : match[1]),
  );
}

/** Sources in other codecs and shapes than the usual H.264: each must export correctly. */
export interface UnusualSources {
  hevc: string;
  vp9: string;
  prores: string;
  mpeg2: string;
  /** Frame timing that changes half-way (30 fps, then 15, then 30 again). */
  variableFrameRate: string;
  /** 641×479: odd sides. */
  oddDimensions: string;
}

/** Writes the unusual sources into `dir` (2-3 s each). */
export async function createUnusualSources(dir: string): Promise<UnusualSources> {
  const sources: UnusualSources = {
    hevc: join(dir, 'hevc.mp4'),
    vp9: join(dir, 'vp9.webm'),
    prores: join(dir, 'prores.mov'),
    mpeg2: join(dir, 'mpeg2.mpg'),
    variableFrameRate: join(dir, 'vfr.mp4'),
    oddDimensions: join(dir, 'odd.mp4'),
  };
  const small = (seconds: number, size = '640x360', rate = 30) => [
    ...bars(size, seconds, rate),
    ...tone(seconds),
  ];
  await Promise.all([
    ffmpeg([
      ...small(2),
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-x265-params',
      'log-level=error',
      '-c:a',
      'aac',
      '-shortest',
      sources.hevc,
    ]),
    ffmpeg([
      ...small(2),
      '-c:v',
      'libvpx-vp9',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-c:a',
      'libopus',
      '-shortest',
      sources.vp9,
    ]),
    ffmpeg([
      ...small(2),
      '-c:v',
      'prores_ks',
      '-profile:v',
      '0',
      '-c:a',
      'pcm_s16le',
      '-shortest',
      sources.prores,
    ]),
    ffmpeg([
      ...small(2, '720x576', 25),
      '-c:v',
      'mpeg2video',
      '-b:v',
      '4M',
      '-c:a',
      'mp2',
      '-shortest',
      sources.mpeg2,
    ]),
    ffmpeg([
      ...small(3),
      '-vf',
      "setpts='if(lt(N,30),N/30,if(lt(N,60),(30+(N-30)*2)/30,(90+(N-60))/30))/TB'",
      '-fps_mode',
      'vfr',
      ...h264,
      '-c:a',
      'aac',
      '-shortest',
      sources.variableFrameRate,
    ]),
    ffmpeg([
      ...small(2, '641x479', 25),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      sources.oddDimensions,
    ]),
  ]);
  return sources;
}

const THUMB_WIDTH = 160;
const THUMB_HEIGHT = 90;

/** Every decoded video frame of a file, shrunk to 160×90 grey, in display order. */
export async function thumbnailFrames(path: string): Promise<Buffer[]> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      path,
      '-map',
      '0:v:0',
      '-vf',
      `scale=${THUMB_WIDTH}:${THUMB_HEIGHT},format=gray`,
      '-f',
      'rawvideo',
      '-',
    ],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, timeout: 120_000 },
  );
  const size = THUMB_WIDTH * THUMB_HEIGHT;
  return Array.from({ length: Math.floor(stdout.length / size) }, (_, index) =>
    stdout.subarray(index * size, (index + 1) * size),
  );
}

/** Mean absolute difference of two grey frames (0 = identical). */
export function frameDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += Math.abs(a[index]! - b[index]!);
  return sum / a.length;
}

/**
 * For each frame of `produced`, the index of the source frame it looks most like, searched within
 * `reach` frames of where it is expected (`expected[i]`).
 */
export function matchFrames(
  produced: readonly Buffer[],
  source: readonly Buffer[],
  expected: readonly number[],
  reach = 3,
): number[] {
  return produced.map((frame, index) => {
    const around = expected[index]!;
    let best = around;
    for (let candidate = around - reach; candidate <= around + reach; candidate += 1) {
      const other = source[candidate];
      if (other && frameDifference(frame, other) < frameDifference(frame, source[best] ?? other))
        best = candidate;
    }
    return best;
  });
}
