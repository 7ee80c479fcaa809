import type { Format } from '@vexport/sdk';
import { containerArguments } from './encoding.js';
import { FFMPEG_COMMON_ARGUMENTS } from './ffmpeg-arguments.js';
import { formatSeconds as seconds } from './filter-graphs.js';

/** A path as an ffconcat list quotes it. */
const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

/**
 * An ffconcat list of video files, each with its exact duration, so the concat demuxer places each file
 * after the previous one's frames rather than after its last timestamp.
 */
export function ffconcatList(files: readonly { path: string; duration: number }[]): string {
  const entries = files.map(({ path, duration }) => `file ${quote(path)}\nduration ${seconds(duration)}\n`);
  return `ffconcat version 1.0\n${entries.join('')}`;
}

/**
 * The join of pieces written by earlier steps: the list's video copied as it is, the audio (encoded once
 * for the whole output) muxed beside it, in the format's container.
 */
export function concatJoinArguments(join: {
  list: string;
  audioPath: string | undefined;
  format: Format;
  outputPath: string;
  /** Options for the copied video stream (a codec tag). */
  videoOptions?: readonly string[];
}): string[] {
  const { list, audioPath, format, outputPath, videoOptions = [] } = join;
  return [
    ...FFMPEG_COMMON_ARGUMENTS,
    ...['-f', 'concat', '-safe', '0', '-i', list],
    ...(audioPath ? ['-i', audioPath] : []),
    ...['-map', '0:v:0'],
    ...(audioPath ? ['-map', '1:a:0'] : []),
    ...['-c', 'copy'],
    ...videoOptions,
    ...['-map_metadata', '-1', '-map_chapters', '-1'],
    ...containerArguments(format),
    outputPath,
  ];
}
