import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { EXPORT_TYPES, FORMATS, type ExportSegmentInput, type ExportType, type Format } from '@vexport/sdk';

/** The real-world files: written by phones, cameras, encoders and muxers, none by this project. */
export const REAL_WORLD_DIR = fileURLToPath(new URL('./real-world/', import.meta.url));

/** A source of the corpus run: a file to upload and, when it cannot be exported, why it must be refused. */
export interface CorpusSource {
  name: string;
  path: string;
  /** Set for a source the probe must refuse (end `failed` with a reason), never export. */
  refuse?: string | undefined;
}

/** One export of the corpus run. */
export interface CorpusCase {
  source: string;
  exportType: ExportType;
  format: Format;
}

/** Sources that hold nothing we could export: the probe must end them `failed` with a reason. */
const MUST_BE_REFUSED: Readonly<Record<string, string>> = {
  'mediabunny--multiple-aac-tracks.mp4': 'it has no video stream',
};

/** Every media file of the real-world folder (the notes beside them left out), in name order. */
export function realWorldSources(dir = REAL_WORLD_DIR): CorpusSource[] {
  return readdirSync(dir)
    .filter((name) => !name.endsWith('.md'))
    .sort()
    .map((name) => ({ name, path: join(dir, name), refuse: MUST_BE_REFUSED[name] }));
}

/** Every type in every format for each source: the full run. */
export function everyCase(sources: readonly CorpusSource[]): CorpusCase[] {
  return sources.flatMap((source) =>
    EXPORT_TYPES.flatMap((exportType) =>
      FORMATS.map((format) => ({ source: source.name, exportType, format })),
    ),
  );
}

/**
 * The slice `npm test` runs: different containers and codecs, each in one type and format (the full run,
 * `npm run test:media`, runs every source in every type and format).
 */
export const FAST_SLICE: readonly CorpusCase[] = [
  { source: 'androidx--mp4-sowt-with-video.mov', exportType: 'combined', format: 'mp4' },
  { source: 'mediabunny--frames.webm', exportType: 'single', format: 'webm' },
  { source: 'androidx--avi-sample-with-large-length.avi', exportType: 'clips', format: 'mov' },
  { source: 'androidx--ts-sample_h262_mpeg_audio.ts', exportType: 'clips', format: 'webm' },
  { source: 'mediabunny--multiple-aac-tracks.mp4', exportType: 'single', format: 'mp4' },
  // each of these was wrong before the worker held pictures, filled silence and measured each stream:
  // MP3 in AVI and mono AAC in FLV failed to encode ("more samples than frame size"); video behind an edit
  // list came out 3 s long for 4 s asked; a TS that starts mid-GOP lost its first 2 s of picture; Matroska
  // without a duration in its header was refused
  { source: 'androidx--flv-sample.flv', exportType: 'single', format: 'mp4' },
  { source: 'androidx--mp4-edit_list_positive_shift.mp4', exportType: 'single', format: 'webm' },
  { source: 'mediabunny--no-initial-keyframe.ts', exportType: 'combined', format: 'mov' },
  { source: 'mediabunny--annex-b-avc.mkv', exportType: 'clips', format: 'mp4' },
];

/** The longest single export, so a six-minute source does not make the run take minutes per format. */
const SINGLE_SECONDS = 4;
/** The longest segment of a combined or clips export. */
const SEGMENT_SECONDS = 2;
/** Where the two segments of combined and clips start, as fractions of the duration: rarely on a keyframe. */
const SEGMENT_STARTS = [0.13, 0.61];

const roundMillis = (seconds: number) => Math.round(seconds * 1000) / 1000;
/** Rounded down to a millisecond, so that an end never passes the video's. */
const floorMillis = (seconds: number) => Math.floor(seconds * 1000) / 1000;

/**
 * The segments asked of a source of `durationSeconds`: single from the start (where edit lists, late
 * first timestamps and missing keyframes show), combined and clips two segments starting at 13% and 61%.
 */
export function segmentsFor(exportType: ExportType, durationSeconds: number): ExportSegmentInput[] {
  const last = floorMillis(durationSeconds);
  if (exportType === 'single') return [{ start_time: 0, end_time: Math.min(last, SINGLE_SECONDS) }];
  const length = Math.min(durationSeconds * 0.25, SEGMENT_SECONDS);
  return SEGMENT_STARTS.map((fraction) => {
    const start = roundMillis(durationSeconds * fraction);
    return { start_time: start, end_time: Math.min(roundMillis(start + length), last) };
  });
}
