import { join } from 'node:path';
import { fileNameTime, slugify, type ExportSegmentInput, type Format } from '@vexport/sdk';
import { sourceInput } from '../ffmpeg/source-input.js';
import {
  FORMAT_TARGETS,
  audioEncoderArguments,
  audioFrameSamples,
  containerArguments,
  encoderGlobalArguments,
  encoderUploadFilter,
  framedDimensions,
  isReframingUpscaled,
  isUpscaled,
  outputAudioChannels,
  videoEncoderArguments,
  type FormatTarget,
  type H264Encoder,
} from './encoding.js';
import { formatSeconds as seconds, segmentFilterGraph } from './filter-graphs.js';
import type { MediaProbe } from './media-probe.js';
import type { ExportRequest, FfmpegStep, SegmentSpan } from './plan-types.js';
import { INPUT_MARGIN_SECONDS, FFMPEG_COMMON_ARGUMENTS } from './ffmpeg-arguments.js';
import { seeksByDecoding } from './seeking.js';
import {
  copyBlockers,
  cutCheckpoints,
  planCutOutput,
  type CutAlignment,
  type CutCheckpoints,
  type CutSegment,
  type PreparedFile,
} from './plan-copy.js';

export type { ExportRequest, FfmpegStep, SegmentSpan } from './plan-types.js';

export interface PlanInput {
  probe: MediaProbe;
  request: ExportRequest;
  sourcePath: string;
  /** The job's folder; every file the plan writes is inside it. */
  workDir: string;
  encoder: H264Encoder;
  /**
   * The segments cut along the source's keyframes (see alignSegmentsToKeyframes), when the job looked; or
   * why they cannot be. Without it, or when something else rules copying out, the plan re-encodes.
   */
  keyframeAlignment?: CutAlignment | string | undefined;
  /** Base of the deliverable's file name (no extension), e.g. `beach-trip-combined-1a2b3c4d`. */
  outputName: string;
  /**
   * For a variable-frame-rate source, its frames' presentation times in seconds from the file's start (as
   * `-ss` counts), ascending: a segment that starts between two frames (in a screen capture's gap) begins
   * with the picture on screen then, the earlier one.
   */
  frameTimes?: Float64Array | undefined;
}

/** A media file the plan produces, and what it must turn out to be (checked with ffprobe afterwards). */
export interface PlannedFile {
  path: string;
  /** Its name inside the ZIP, for clips. */
  name: string;
  /** Seconds of video: the segments' whole frames. */
  durationSeconds: number;
  /** Seconds of audio, when there is audio: what was asked, to the sample. */
  audioSeconds: number;
  width: number;
  height: number;
  hasAudio: boolean;
  /** For copies and smart cuts: what to check before delivering it. */
  cut?: CutCheckpoints | undefined;
}

/** Everything an export does, decided before anything runs. */
export interface ExportPlan {
  /** How the media is produced, and why. */
  strategy: { mode: 'reencode' | 'copy' | 'smart-cut'; reason: string };
  /** Files to write before the steps run (concat lists). */
  prepared: PreparedFile[];
  /** Files the steps write only for later steps (pieces of a cut), removed once the steps have run. */
  intermediates: string[];
  target: FormatTarget & { width: number; height: number };
  /** True when the output picture is larger than the source's (see isUpscaled), so clients can warn. */
  upscaled: boolean;
  steps: FfmpegStep[];
  files: PlannedFile[];
  /** For clips: the files packed into one ZIP at `path`. */
  archive: { path: string; entries: { path: string; name: string }[] } | undefined;
  /** The one file to upload. */
  deliverable: { path: string; fileName: string; contentType: string };
  totalMediaSeconds: number;
}

const CONTENT_TYPES: Readonly<Record<Format | 'zip', string>> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  zip: 'application/zip',
};

/**
 * Seconds an input reads from its segment's start: the span and a margin, and at least up to the source's
 * first picture when that comes later (the export shows it from the start), so there is a picture to show.
 */
export function inputReadSeconds(
  segment: Pick<ExportSegmentInput, 'start_time'>,
  span: SegmentSpan,
  firstPictureTime: number | undefined,
): number {
  const toFirstPicture = (firstPictureTime ?? 0) - segment.start_time;
  return Math.max(span.offset + span.duration, toFirstPicture) + INPUT_MARGIN_SECONDS;
}

/** Seconds the export was asked for: the segments' lengths, end minus start. */
export function askedSeconds(
  segments: readonly Pick<ExportSegmentInput, 'start_time' | 'end_time'>[],
): number {
  return segments.reduce((sum, segment) => sum + (segment.end_time - segment.start_time), 0);
}

const FRAME_EPSILON = 1e-6;

/**
 * The frames a segment holds, for constant-frame-rate sources: those whose timestamps fall in
 * [start, end), on the stream's frame grid (extended before its first frame, where the export holds the
 * first picture, so a segment is as long as asked). Audio is cut to exactly the same span, so each segment's audio and video are equally long
 * and nothing drifts across joins. Variable-frame-rate sources keep the requested times.
 */
export function segmentSpan(
  segment: Pick<ExportSegmentInput, 'start_time' | 'end_time'>,
  video: Pick<MediaProbe['video'], 'frameRate' | 'startTime' | 'variableFrameRate'>,
): SegmentSpan {
  const requested = segment.end_time - segment.start_time;
  if (video.variableFrameRate) return { offset: 0, duration: requested };
  const { frameRate, startTime } = video;
  // frames on the stream's grid, before its first timestamp too: there the first picture is held
  const first = Math.ceil((segment.start_time - startTime) * frameRate - FRAME_EPSILON);
  const end = Math.ceil((segment.end_time - startTime) * frameRate - FRAME_EPSILON);
  const frames = Math.max(1, end - first);
  return {
    offset: Math.max(0, startTime + first / frameRate - segment.start_time),
    duration: frames / frameRate,
  };
}

/** Seconds an input seeks before a picture it must include, so that rounding cannot skip it. */
const SEEK_BEFORE_PICTURE_SECONDS = 0.0005;

/**
 * A variable-frame-rate segment: the requested times, starting with the picture on screen at its start,
 * which in a gap is the last frame before it (a negative offset). Without frame times, from the first frame
 * at or after the start.
 */
export function variableRateSpan(
  segment: Pick<ExportSegmentInput, 'start_time' | 'end_time'>,
  frameTimes: Float64Array | undefined,
): SegmentSpan {
  const duration = segment.end_time - segment.start_time;
  if (!frameTimes) return { offset: 0, duration };
  let shown: number | undefined;
  for (const time of frameTimes) {
    if (time > segment.start_time + FRAME_EPSILON) break;
    shown = time;
  }
  return { offset: shown === undefined ? 0 : shown - segment.start_time, duration };
}

/**
 * Where an input seeks for a segment, and the span from that point: at the segment's start, or just before
 * the earlier picture a negative offset names.
 */
function inputSpan(
  segment: Pick<ExportSegmentInput, 'start_time'>,
  span: SegmentSpan,
): { seekFrom: number; span: SegmentSpan } {
  if (span.offset >= 0) return { seekFrom: segment.start_time, span };
  const seekFrom = Math.max(0, segment.start_time + span.offset - SEEK_BEFORE_PICTURE_SECONDS);
  return { seekFrom, span: { ...span, offset: segment.start_time - seekFrom } };
}

/** The video's frame timing with its first timestamp counted from the file's start, as `-ss` counts. */
export function relativeVideoTiming(
  probe: MediaProbe,
): Pick<MediaProbe['video'], 'frameRate' | 'startTime' | 'variableFrameRate'> {
  return {
    frameRate: probe.video.frameRate,
    variableFrameRate: probe.video.variableFrameRate,
    startTime: Math.max(0, probe.video.startTime - probe.startTime),
  };
}

/** `01-intro-00m05s-00m12s.mp4`: position, label (or clip id), start and end; unique within `taken`. */
export function clipFileName(
  index: number,
  segment: ExportSegmentInput,
  extension: string,
  taken: Set<string>,
): string {
  const position = String(index + 1).padStart(2, '0');
  const label = slugify(segment.label ?? segment.clip_id ?? '', 40) || 'clip';
  const base = `${position}-${label}-${fileNameTime(segment.start_time)}-${fileNameTime(segment.end_time)}`;
  let name = `${base}.${extension}`;
  for (let suffix = 2; taken.has(name); suffix += 1) name = `${base}-${suffix}.${extension}`;
  taken.add(name);
  return name;
}

function encodeStep(
  input: PlanInput,
  segments: readonly ExportSegmentInput[],
  outputPath: string,
  label: string,
  target: ExportPlan['target'],
): FfmpegStep {
  const { probe, request, sourcePath, encoder } = input;
  const audioChannels = probe.audio && outputAudioChannels(probe.audio.channels);
  const placed = segments.map((segment) =>
    inputSpan(
      segment,
      probe.video.variableFrameRate
        ? variableRateSpan(segment, input.frameTimes)
        : segmentSpan(segment, relativeVideoTiming(probe)),
    ),
  );
  const spans = placed.map(({ span }) => span);
  // Each input reads a little past its span; the filters cut it exactly.
  const decodeToSeek = seeksByDecoding(probe.formatName);
  const inputs = placed.flatMap(({ seekFrom, span }) => {
    const read = inputReadSeconds({ start_time: seekFrom }, span, probe.video.firstPictureTime);
    const limit = decodeToSeek
      ? ['-t', seconds(seekFrom + read)]
      : ['-ss', seconds(seekFrom), '-t', seconds(read)];
    return [...limit, ...sourceInput(sourcePath)];
  });
  const audio = audioChannels && {
    channels: audioChannels,
    seconds: askedSeconds(segments),
    frameSamples: audioFrameSamples(request.format),
    loudnessLufs: request.loudness_lufs ?? undefined,
  };
  const { graph, videoLabel, audioLabel } = segmentFilterGraph(spans, {
    width: target.width,
    height: target.height,
    fit: (request.framing ?? 'original') === 'original' ? undefined : (request.framing_fit ?? 'crop'),
    audio,
    uploadFilter: encoderUploadFilter(encoder, request.format),
    skips: decodeToSeek ? placed.map(({ seekFrom }) => seekFrom) : undefined,
    constantFrameRate: probe.video.variableFrameRate ? undefined : probe.video.frameRate,
    holdFrameRate: probe.video.nominalFrameRate ?? probe.video.frameRate,
  });
  const options = {
    format: request.format,
    quality: request.quality_preset,
    resolution: request.resolution,
    encoder,
    frameRate: probe.video.frameRate,
  };
  const args = [
    ...FFMPEG_COMMON_ARGUMENTS,
    ...encoderGlobalArguments(encoder, request.format),
    ...inputs,
    '-filter_complex',
    graph,
    '-map',
    videoLabel,
    ...(audioLabel ? ['-map', audioLabel] : []),
    // the frames' own timestamps: a variable frame rate stays variable, held pictures are not repeated
    '-fps_mode',
    'vfr',
    ...videoEncoderArguments(options),
    ...(audioLabel && audioChannels
      ? audioEncoderArguments(request.format, request.quality_preset, audioChannels)
      : []),
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    ...containerArguments(request.format),
    outputPath,
  ];
  return { label, args, outputPath, mediaSeconds: spans.reduce((sum, span) => sum + span.duration, 0) };
}

/** What the steps write that is not one of the planned files (and the concat lists they read). */
function intermediatesOf(steps: readonly FfmpegStep[], keep: readonly string[]): string[] {
  return steps.map((step) => step.outputPath).filter((path) => !keep.includes(path));
}

/**
 * Why copying cannot give a segment its whole length: the source's video starts after the segment's start or
 * ends before its end (a track shorter than the file, an edit list), and a copy has no picture to show there;
 * re-encoding holds the nearest one. Undefined when every cut covers its segment to within a frame.
 */
function uncoveredSegment(
  cuts: readonly CutSegment[],
  segments: readonly ExportSegmentInput[],
  probe: MediaProbe,
): string | undefined {
  const frame = 1 / probe.video.frameRate;
  const short = cuts.findIndex((cut, index) => {
    const asked = segments[index]!;
    const late = cut.start - asked.start_time;
    return late > frame || cut.duration + late < asked.end_time - asked.start_time - frame;
  });
  return short === -1
    ? undefined
    : `the source's video does not cover all of segment ${short + 1}, so its picture is held where it has none`;
}

/** Copy when every frame can be copied; otherwise a smart cut, saying how much of the video is copied. */
function cutStrategy(cuts: readonly CutSegment[]): ExportPlan['strategy'] {
  const pieces = cuts.flatMap((cut) => cut.pieces);
  const copied = pieces
    .filter((piece) => piece.mode === 'copy')
    .reduce((sum, piece) => sum + piece.frames, 0);
  const total = pieces.reduce((sum, piece) => sum + piece.frames, 0);
  if (copied === total)
    return {
      mode: 'copy',
      reason:
        'same codec and size, and every segment starts on a keyframe and its frames up to the end can be copied: the video is copied, the audio encoded once',
    };
  return {
    mode: 'smart-cut',
    reason: `same codec and size: ${copied} of ${total} frames are copied, the ${total - copied} around the cuts re-encoded`,
  };
}

/**
 * Why an export cannot copy the source's video (empty when it can): the codec, size or rate differ from
 * what was asked, or the picture is reframed.
 */
export function copyBlockersFor(probe: MediaProbe, request: ExportRequest): string[] {
  const framing = request.framing ?? 'original';
  const fit = framing === 'original' ? undefined : (request.framing_fit ?? 'crop');
  const target = {
    ...FORMAT_TARGETS[request.format],
    ...framedDimensions(probe.video, request.resolution, framing),
  };
  const blockers = copyBlockers(probe, target);
  if (fit) blockers.unshift(`the picture is reframed to ${framing} (${fit})`);
  return blockers;
}

/**
 * Plans an export: which ffmpeg runs, which files, and the one deliverable (the file, or a ZIP of clips).
 * Pure: it reads nothing and runs nothing.
 */
export function planExport(input: PlanInput): ExportPlan {
  const { probe, request, workDir, outputName } = input;
  const formatTarget = FORMAT_TARGETS[request.format];
  const framing = request.framing ?? 'original';
  const fit = framing === 'original' ? undefined : (request.framing_fit ?? 'crop');
  const target = { ...formatTarget, ...framedDimensions(probe.video, request.resolution, framing) };
  const upscaled = fit ? isReframingUpscaled(probe.video, target, fit) : isUpscaled(probe.video, target);
  const hasAudio = probe.audio !== undefined;
  const segments = request.segment_selections;
  const blockers = copyBlockersFor(probe, request);
  const alignment = input.keyframeAlignment;
  const uncovered =
    typeof alignment === 'object' ? uncoveredSegment(alignment.segments, segments, probe) : undefined;
  if (uncovered) blockers.push(uncovered);
  const cuts = blockers.length === 0 && typeof alignment === 'object' ? alignment.segments : undefined;
  const strategy = cuts
    ? cutStrategy(cuts)
    : {
        mode: 'reencode' as const,
        reason:
          blockers[0] ??
          (typeof alignment === 'string' ? alignment : 'the cut points were not matched to keyframes'),
      };
  const produce = (
    parts: readonly ExportSegmentInput[],
    indexes: readonly number[],
    path: string,
    label: string,
  ) => {
    if (!cuts)
      return { steps: [encodeStep(input, parts, path, label, target)], prepared: [] as PreparedFile[] };
    return planCutOutput({
      probe,
      request,
      sourcePath: input.sourcePath,
      workDir,
      segments: indexes.map((index) => cuts[index]!),
      audioSeconds: askedSeconds(parts),
      outputPath: path,
      label,
    });
  };
  const spanDuration = (index: number) =>
    cuts?.[index]?.duration ?? segmentSpan(segments[index]!, relativeVideoTiming(probe)).duration;
  const plannedFile = (path: string, name: string, indexes: readonly number[]): PlannedFile => ({
    path,
    name,
    durationSeconds: indexes.reduce((sum, index) => sum + spanDuration(index), 0),
    audioSeconds: askedSeconds(indexes.map((index) => segments[index]!)),
    width: target.width,
    height: target.height,
    hasAudio,
    cut: cuts
      ? cutCheckpoints(
          indexes.map((index) => cuts[index]!),
          probe.video.frameRate,
        )
      : undefined,
  });

  if (request.export_type !== 'clips') {
    const fileName = `${outputName}.${request.format}`;
    const path = join(workDir, fileName);
    const label = request.export_type === 'single' ? 'segment' : `${segments.length} segments joined`;
    const all = segments.map((_segment, index) => index);
    const { steps, prepared } = produce(segments, all, path, label);
    return {
      strategy,
      target,
      upscaled,
      steps,
      prepared,
      intermediates: intermediatesOf(steps, [path]),
      files: [plannedFile(path, fileName, all)],
      archive: undefined,
      deliverable: { path, fileName, contentType: CONTENT_TYPES[request.format] },
      totalMediaSeconds: steps.reduce((sum, step) => sum + step.mediaSeconds, 0),
    };
  }

  const taken = new Set<string>();
  const files: PlannedFile[] = [];
  const prepared: PreparedFile[] = [];
  const steps = segments.flatMap((segment, index) => {
    const name = clipFileName(index, segment, request.format, taken);
    const path = join(workDir, 'clips', name);
    files.push(plannedFile(path, name, [index]));
    const clip = produce([segment], [index], path, `clip ${index + 1} of ${segments.length}`);
    prepared.push(...clip.prepared);
    return clip.steps;
  });
  const zipName = `${outputName}.zip`;
  const zipPath = join(workDir, zipName);
  return {
    strategy,
    target,
    upscaled,
    steps,
    prepared,
    intermediates: intermediatesOf(
      steps,
      files.map((file) => file.path),
    ),
    files,
    archive: { path: zipPath, entries: files.map((file) => ({ path: file.path, name: file.name })) },
    deliverable: { path: zipPath, fileName: zipName, contentType: CONTENT_TYPES.zip },
    totalMediaSeconds: steps.reduce((sum, step) => sum + step.mediaSeconds, 0),
  };
}
