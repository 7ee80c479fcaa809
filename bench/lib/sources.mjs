// The benchmark's sources, generated with ffmpeg's lavfi test pattern and tone and cached in bench/cache:
// 1080p30 H.264 (x264, ~8 Mbps, 2-second GOP, B-frames) + AAC. Longer sources are the one-minute source's
// video repeated by stream copy (no video encoding) with a tone over the whole length.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpeg } from './tools.mjs';

const MINUTE_SOURCE_ARGS = [
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=1920x1080:rate=30:duration=60',
  '-f',
  'lavfi',
  '-i',
  'sine=frequency=440:sample_rate=48000:duration=60',
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-b:v',
  '8M',
  '-maxrate',
  '8M',
  '-bufsize',
  '16M',
  '-g',
  '60',
  '-keyint_min',
  '60',
  '-sc_threshold',
  '0',
  '-bf',
  '3',
  '-pix_fmt',
  'yuv420p',
  '-c:a',
  'aac',
  '-b:a',
  '128k',
  '-shortest',
];

/** The path of the `minutes`-long source, made (and cached) on first use. */
export async function benchSource(cacheDir, minutes) {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `source-1080p30-${minutes}min.mp4`);
  if (existsSync(path)) return path;
  const partial = `${path}.partial.mp4`;
  if (minutes === 1) {
    console.log('bench: generating the 1-minute 1080p source (cached in bench/cache)…');
    await ffmpeg([...MINUTE_SOURCE_ARGS, partial]);
  } else {
    const minute = await benchSource(cacheDir, 1);
    console.log(`bench: making the ${minutes}-minute source by repeating it…`);
    const list = join(cacheDir, `repeat-${minutes}.txt`);
    // each copy lasts exactly 60 s of video (the AAC track runs a few ms longer, which would shift every
    // later frame off the 1/30 s grid); the audio is a fresh tone over the whole length
    writeFileSync(list, `ffconcat version 1.0\n${`file '${minute}'\nduration 60\n`.repeat(minutes)}`);
    await ffmpeg([
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=48000:duration=${minutes * 60}`,
      '-map',
      '0:v:0',
      '-map',
      '1:a:0',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-movflags',
      '+faststart',
      partial,
    ]);
  }
  renameSync(partial, path);
  return path;
}

/** The export scenarios 1 and 3 make: the segments combined into one 1080p mp4 at the medium preset. */
export function combinedRequest(segments) {
  return {
    export_type: 'combined',
    resolution: '1080p',
    format: 'mp4',
    quality_preset: 'medium',
    segment_selections: segments,
  };
}

/**
 * A phone-like HEVC source of `minutes` minutes: the 1-minute source's picture encoded once with x265
 * (1-second GOP, as phones write), repeated by stream copy, with a tone over the whole length. Cached.
 */
export async function benchHevcSource(cacheDir, minutes) {
  const path = join(cacheDir, `source-1080p30-hevc-${minutes}min.mp4`);
  if (existsSync(path)) return path;
  const minute = join(cacheDir, 'source-1080p30-hevc-1min-video.mp4');
  if (!existsSync(minute)) {
    console.log('bench: encoding the 1-minute HEVC picture (cached in bench/cache)…');
    const partial = `${minute}.partial.mp4`;
    await ffmpeg([
      ...['-i', await benchSource(cacheDir, 1), '-map', '0:v:0', '-c:v', 'libx265', '-preset', 'ultrafast'],
      ...['-x265-params', 'keyint=30:min-keyint=30:scenecut=0:log-level=error', '-b:v', '10M'],
      ...['-tag:v', 'hvc1', '-pix_fmt', 'yuv420p', partial],
    ]);
    renameSync(partial, minute);
  }
  const list = join(cacheDir, `repeat-hevc-${minutes}.txt`);
  writeFileSync(list, `ffconcat version 1.0\n${`file '${minute}'\nduration 60\n`.repeat(minutes)}`);
  const partial = `${path}.partial.mp4`;
  await ffmpeg([
    ...['-f', 'concat', '-safe', '0', '-i', list],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${minutes * 60}`],
    ...['-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', '-tag:v', 'hvc1', '-c:a', 'aac', '-b:a', '128k'],
    ...['-movflags', '+faststart', partial],
  ]);
  renameSync(partial, path);
  return path;
}
