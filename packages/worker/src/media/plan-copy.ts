import { join } from 'node:path';
import type { ExportSegmentInput } from '@vexport/sdk';
import { audioEncoderArguments, containerArguments, type FormatTarget } from './encoding.js';
import { audioJoinGraph, formatSeconds as seconds } from './filter-graphs.js';
import type { VideoPacketIndex } from './keyframes.js';
import type { MediaProbe } from './media-probe.js';
import type { ExportRequest, FfmpegStep } from './plan-export.js';

/** A segment whose video can be copied: it starts on a keyframe and spans whole GOPs. */
export interface CopyableSegment {
  /** Seconds from the file's start to the segment's first (key)frame. */
  start: number;
  /** Frames copied, counted in decode order from the keyframe. */
  frames: number;
  /** The frames' duration in seconds. */
  duration: number;
}

/**
 * What rules out copying the video stream for this request, before looking at keyframes: a different codec,
 * size or pixel format, rotation, interlacing or variable timing. Empty when copying may be possible.
 */
export function copyBlockers(
  probe: MediaProbe,
  target: FormatTarget & { width: number; height: number },
): string[] {
  const { video } = probe;
  const blockers: string[] = [];
  if (video.codec !== target.videoCodec)
    blockers.push(`the video codec changes (${video.codec} → ${target.videoCodec})`);
  if (video.rotation !== 0) blockers.push(`the ${video.rotation}° rotation is applied to the picture`);
  else if (video.width !== target.width || video.height !== target.height) {
    blockers.push(
      `the picture size changes (${video.width}×${video.height} → ${target.width}×${target.height})`,
    );
  }
  if (video.pixelFormat !== 'yuv420p')
    blockers.push(`the pixel format ${video.pixelFormat ?? 'unknown'} is not the widely playable yuv420p`);
  if (video.fieldOrder && video.fieldOrder !== 'progressive' && video.fieldOrder !== 'unknown')
    blockers.push('the video is interlaced');
  if (video.variableFrameRate) blockers.push('the frame rate varies');
  return blockers;
}

/**
 * Matches each segment to the source's keyframes: it must start on a keyframe and end on one (or at the end
 * of the video), within half a frame. Resolves to the copyable segments, or the reason one is not.
 */
export function alignSegmentsToKeyframes(
  segments: readonly ExportSegmentInput[],
  index: VideoPacketIndex,
  probe: MediaProbe,
): CopyableSegment[] | string {
  const frameDuration = 1 / probe.video.frameRate;
  const tolerance = frameDuration / 2;
  const near = (times: readonly number[], time: number) =>
    times.find((candidate) => Math.abs(candidate - time) <= tolerance);
  const lastFrame = index.frameTimes.at(-1) ?? 0;
  const aligned: CopyableSegment[] = [];
  for (const [position, segment] of segments.entries()) {
    const keyframe = near(index.keyframeTimes, segment.start_time + probe.startTime);
    if (keyframe === undefined)
      return `segment ${position + 1} starts between keyframes, so its first frames must be re-encoded`;
    const endTime = segment.end_time + probe.startTime;
    const stop =
      endTime >= lastFrame + tolerance ? Number.POSITIVE_INFINITY : near(index.keyframeTimes, endTime);
    if (stop === undefined)
      return `segment ${position + 1} ends between keyframes, so its last frames must be re-encoded`;
    const frames = index.frameTimes.filter(
      (time) => time >= keyframe - tolerance && time < stop - tolerance,
    ).length;
    aligned.push({ start: keyframe - probe.startTime, frames, duration: frames * frameDuration });
  }
  return aligned;
}

export interface CopyPlanInput {
  probe: MediaProbe;
  request: ExportRequest;
  sourcePath: string;
  /** Folder for the intermediate parts. */
  workDir: string;
  segments: readonly CopyableSegment[];
  outputPath: string;
  label: string;
}

const SEEK_PAST_KEYFRAME_SECONDS = 0.000001;

/** A file the plan needs written before its steps run (a concat list). */
export interface PreparedFile {
  path: string;
  contents: string;
}

/**
 * Copies the video of each segment (whole GOPs from an IDR frame, counted by packets so no frame of the next
 * GOP slips in), joins the parts with the concat demuxer, and encodes the audio once over the same spans,
 * so it has no seams and stays in sync.
 */
export function planCopyOutput(input: CopyPlanInput): { steps: FfmpegStep[]; prepared: PreparedFile[] } {
  const { probe, request, sourcePath, workDir, segments, outputPath, label } = input;
  const partExtension = request.format === 'webm' ? 'webm' : 'mp4';
  const base = outputPath.replace(/\.[^./]+$/, '');
  const parts = segments.map((segment, index) => `${base}.part${index}.${partExtension}`);
  const steps: FfmpegStep[] = segments.map((segment, index) => ({
    label: `${label}: copy part ${index + 1} of ${segments.length}`,
    // Seek a microsecond past the keyframe: at its exact time, rounding can land on the GOP before it, and
    // any further would shift the copied timestamps.
    args: [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-ss',
      seconds(segment.start + SEEK_PAST_KEYFRAME_SECONDS),
      '-i',
      sourcePath,
      '-map',
      '0:v:0',
      '-c:v',
      'copy',
      '-frames:v',
      String(segment.frames),
      '-an',
      '-map_metadata',
      '-1',
      '-f',
      partExtension,
      parts[index]!,
    ],
    outputPath: parts[index]!,
    mediaSeconds: 0,
  }));
  const prepared: PreparedFile[] = [];
  let videoInput: string[];
  if (parts.length === 1) {
    videoInput = ['-i', parts[0]!];
  } else {
    const list = join(workDir, `${base.split('/').pop()}.concat.txt`);
    prepared.push({
      path: list,
      contents: `ffconcat version 1.0\n${parts.map((part) => `file '${part.replaceAll("'", "'\\''")}'`).join('\n')}\n`,
    });
    videoInput = ['-f', 'concat', '-safe', '0', '-i', list];
  }
  const hasAudio = probe.audio !== undefined;
  const spans = segments.map((segment) => ({ offset: 0, duration: segment.duration }));
  const audioInputs = hasAudio
    ? segments.flatMap((segment) => [
        '-ss',
        seconds(segment.start),
        '-t',
        seconds(segment.duration + 0.25),
        '-i',
        sourcePath,
      ])
    : [];
  const audio = hasAudio ? audioJoinGraph(spans, 1) : undefined;
  steps.push({
    label: `${label}: join${hasAudio ? ' and encode audio' : ''}`,
    args: [
      '-hide_banner',
      '-nostdin',
      '-y',
      ...videoInput,
      ...audioInputs,
      ...(audio ? ['-filter_complex', audio.graph] : []),
      '-map',
      '0:v:0',
      '-c:v',
      'copy',
      ...(audio
        ? ['-map', audio.audioLabel, ...audioEncoderArguments(request.format, request.quality_preset)]
        : []),
      '-map_metadata',
      '-1',
      '-map_chapters',
      '-1',
      ...containerArguments(request.format),
      outputPath,
    ],
    outputPath,
    mediaSeconds: segments.reduce((sum, segment) => sum + segment.duration, 0),
  });
  return { steps, prepared };
}
