import { join } from 'node:path';
import {
  fileNameTime,
  slugify,
  type ExportSegmentInput,
  type ExportType,
  type Format,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
import {
  FORMAT_TARGETS,
  audioEncoderArguments,
  containerArguments,
  encoderGlobalArguments,
  encoderUploadFilter,
  targetDimensions,
  videoEncoderArguments,
  type FormatTarget,
  type H264Encoder,
} from './encoding.js';
import type { MediaProbe } from './media-probe.js';

/** What the user asked for, in the contract's terms. */
export interface ExportRequest {
  export_type: ExportType;
  resolution: Resolution;
  format: Format;
  quality_preset: QualityPreset;
  segment_selections: ExportSegmentInput[];
}

export interface PlanInput {
  probe: MediaProbe;
  request: ExportRequest;
  sourcePath: string;
  /** The job's folder; every file the plan writes is inside it. */
  workDir: string;
  encoder: H264Encoder;
  /** Base of the deliverable's file name (no extension), e.g. `beach-trip-combined-1a2b3c4d`. */
  outputName: string;
}

/** One ffmpeg run. `mediaSeconds` is how much output it writes, used to weight progress across steps. */
export interface FfmpegStep {
  label: string;
  args: string[];
  outputPath: string;
  mediaSeconds: number;
}

/** A media file the plan produces, and what it must turn out to be (checked with ffprobe afterwards). */
export interface PlannedFile {
  path: string;
  /** Its name inside the ZIP, for clips. */
  name: string;
  durationSeconds: number;
  width: number;
  height: number;
  hasAudio: boolean;
}

/** Everything an export does, decided before anything runs. */
export interface ExportPlan {
  /** How the media is produced, and why. */
  strategy: { mode: 'reencode'; reason: string };
  target: FormatTarget & { width: number; height: number };
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

/** Fade at each segment's edges so joins never click (5 ms: inaudible as a fade). */
const EDGE_FADE_SECONDS = 0.005;

/** Seconds each input reads beyond its segment's span, so that the exact cut is the filters' to make. */
const INPUT_MARGIN_SECONDS = 0.25;

const seconds = (value: number) => value.toFixed(6).replace(/\.?0+$/, '') || '0';

/** The part of the source a segment really covers: from its first frame, a whole number of frames long. */
export interface SegmentSpan {
  /** Seconds from the requested start to the segment's first frame. */
  offset: number;
  /** Seconds of media: the segment's frames times the frame duration. */
  duration: number;
}

const FRAME_EPSILON = 1e-6;

/**
 * The frames a segment holds, for constant-frame-rate sources: those whose timestamps fall in
 * [start, end). Audio is cut to exactly the same span, so each segment's audio and video are equally long
 * and nothing drifts across joins. Variable-frame-rate sources keep the requested times.
 */
export function segmentSpan(
  segment: Pick<ExportSegmentInput, 'start_time' | 'end_time'>,
  video: Pick<MediaProbe['video'], 'frameRate' | 'startTime' | 'variableFrameRate'>,
): SegmentSpan {
  const requested = segment.end_time - segment.start_time;
  if (video.variableFrameRate) return { offset: 0, duration: requested };
  const { frameRate, startTime } = video;
  const first = Math.max(0, Math.ceil((segment.start_time - startTime) * frameRate - FRAME_EPSILON));
  const end = Math.ceil((segment.end_time - startTime) * frameRate - FRAME_EPSILON);
  const frames = Math.max(1, end - first);
  return {
    offset: Math.max(0, startTime + first / frameRate - segment.start_time),
    duration: frames / frameRate,
  };
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

/**
 * The filter graph that cuts each input to its segment's span (video and audio alike, to the sample),
 * scales it to the target size, fades the audio's edges so joins never click, and joins the segments.
 */
export function segmentFilterGraph(
  spans: readonly SegmentSpan[],
  options: { width: number; height: number; hasAudio: boolean; uploadFilter?: string | undefined },
): { graph: string; videoLabel: string; audioLabel: string | undefined } {
  const { width, height, hasAudio, uploadFilter } = options;
  const chains: string[] = [];
  const joinInputs: string[] = [];
  spans.forEach(({ offset, duration }, index) => {
    chains.push(
      `[${index}:v:0]setpts=PTS-STARTPTS,trim=duration=${seconds(duration)},` +
        `scale=${width}:${height}:flags=bicubic,setsar=1,format=yuv420p[v${index}]`,
    );
    joinInputs.push(`[v${index}]`);
    if (hasAudio) {
      const fadeOutStart = seconds(Math.max(0, duration - EDGE_FADE_SECONDS));
      chains.push(
        `[${index}:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,` +
          `atrim=start=${seconds(offset)}:duration=${seconds(duration)},asetpts=PTS-STARTPTS,` +
          `apad=whole_dur=${seconds(duration)},` +
          `afade=t=in:d=${EDGE_FADE_SECONDS},afade=t=out:st=${fadeOutStart}:d=${EDGE_FADE_SECONDS}[a${index}]`,
      );
      joinInputs.push(`[a${index}]`);
    }
  });
  const upload = uploadFilter ? `,${uploadFilter}` : '';
  if (spans.length === 1) {
    chains.push(`[v0]null${upload}[vout]`);
    if (hasAudio) chains.push('[a0]anull[aout]');
  } else {
    const outputs = hasAudio ? '[vjoined][aout]' : '[vjoined]';
    chains.push(`${joinInputs.join('')}concat=n=${spans.length}:v=1:a=${hasAudio ? 1 : 0}${outputs}`);
    chains.push(`[vjoined]null${upload}[vout]`);
  }
  return { graph: chains.join(';'), videoLabel: '[vout]', audioLabel: hasAudio ? '[aout]' : undefined };
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
  const hasAudio = probe.audio !== undefined;
  const spans = segments.map((segment) => segmentSpan(segment, relativeVideoTiming(probe)));
  // Each input reads a little past its span; the filters cut it exactly.
  const inputs = segments.flatMap((segment, index) => [
    '-ss',
    seconds(segment.start_time),
    '-t',
    seconds(spans[index]!.offset + spans[index]!.duration + INPUT_MARGIN_SECONDS),
    '-i',
    sourcePath,
  ]);
  const { graph, videoLabel, audioLabel } = segmentFilterGraph(spans, {
    width: target.width,
    height: target.height,
    hasAudio,
    uploadFilter: encoderUploadFilter(encoder, request.format),
  });
  const options = {
    format: request.format,
    quality: request.quality_preset,
    resolution: request.resolution,
    encoder,
    frameRate: probe.video.frameRate,
  };
  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    ...encoderGlobalArguments(encoder, request.format),
    ...inputs,
    '-filter_complex',
    graph,
    '-map',
    videoLabel,
    ...(audioLabel ? ['-map', audioLabel] : []),
    ...videoEncoderArguments(options),
    ...(audioLabel ? audioEncoderArguments(request.format, request.quality_preset) : []),
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    ...containerArguments(request.format),
    outputPath,
  ];
  return { label, args, outputPath, mediaSeconds: spans.reduce((sum, span) => sum + span.duration, 0) };
}

/** Why the export re-encodes rather than copying the streams, in words for the plan's log. */
export function reencodeReason(probe: MediaProbe, target: ExportPlan['target']): string {
  const sourceCodec = probe.video.codec;
  if (sourceCodec !== target.videoCodec)
    return `the video codec changes (${sourceCodec} → ${target.videoCodec})`;
  const displaySize = `${probe.video.width}×${probe.video.height}`;
  if (
    probe.video.rotation === 0 &&
    (probe.video.width !== target.width || probe.video.height !== target.height)
  ) {
    return `the picture size changes (${displaySize} → ${target.width}×${target.height})`;
  }
  if (probe.video.rotation !== 0) return `the ${probe.video.rotation}° rotation is applied to the picture`;
  if (probe.audio && probe.audio.codec !== target.audioCodec) {
    return `the audio codec changes (${probe.audio.codec} → ${target.audioCodec})`;
  }
  return 'cuts are frame-accurate: copying the streams would start each segment at a keyframe instead';
}

/**
 * Plans an export: which ffmpeg runs, which files, and the one deliverable (the file, or a ZIP of clips).
 * Pure: it reads nothing and runs nothing.
 */
export function planExport(input: PlanInput): ExportPlan {
  const { probe, request, workDir, outputName } = input;
  const formatTarget = FORMAT_TARGETS[request.format];
  const target = { ...formatTarget, ...targetDimensions(probe.video, request.resolution) };
  const hasAudio = probe.audio !== undefined;
  const segments = request.segment_selections;
  const strategy = { mode: 'reencode' as const, reason: reencodeReason(probe, target) };
  const plannedFile = (path: string, name: string, parts: readonly ExportSegmentInput[]): PlannedFile => ({
    path,
    name,
    durationSeconds: parts.reduce(
      (sum, segment) => sum + segmentSpan(segment, relativeVideoTiming(probe)).duration,
      0,
    ),
    width: target.width,
    height: target.height,
    hasAudio,
  });

  if (request.export_type !== 'clips') {
    const fileName = `${outputName}.${request.format}`;
    const path = join(workDir, fileName);
    const step = encodeStep(
      input,
      segments,
      path,
      request.export_type === 'single' ? 'segment' : `${segments.length} segments joined`,
      target,
    );
    return {
      strategy,
      target,
      steps: [step],
      files: [plannedFile(path, fileName, segments)],
      archive: undefined,
      deliverable: { path, fileName, contentType: CONTENT_TYPES[request.format] },
      totalMediaSeconds: step.mediaSeconds,
    };
  }

  const taken = new Set<string>();
  const files: PlannedFile[] = [];
  const steps = segments.map((segment, index) => {
    const name = clipFileName(index, segment, request.format, taken);
    const path = join(workDir, 'clips', name);
    files.push(plannedFile(path, name, [segment]));
    return encodeStep(input, [segment], path, `clip ${index + 1} of ${segments.length}`, target);
  });
  const zipName = `${outputName}.zip`;
  const zipPath = join(workDir, zipName);
  return {
    strategy,
    target,
    steps,
    files,
    archive: { path: zipPath, entries: files.map((file) => ({ path: file.path, name: file.name })) },
    deliverable: { path: zipPath, fileName: zipName, contentType: CONTENT_TYPES.zip },
    totalMediaSeconds: steps.reduce((sum, step) => sum + step.mediaSeconds, 0),
  };
}
