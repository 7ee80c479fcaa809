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

const bars = (size: string, seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=${size}:rate=30:duration=${seconds}`,
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
