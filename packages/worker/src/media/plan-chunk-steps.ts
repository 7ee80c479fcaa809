/**
 * The ffmpeg runs of a chunked export (see planChunks): each chunk's video encoded into a file of its own,
 * the audio encoded once for the whole output, and the join that concatenates the chunks' files without
 * re-encoding and muxes the audio in. Pure: it reads nothing and runs nothing.
 */

import { sourceInput } from '../ffmpeg/source-input.js';
import {
  FORMAT_TARGETS,
  audioEncoderArguments,
  audioFrameSamples,
  encoderGlobalArguments,
  encoderUploadFilter,
  framedDimensions,
  outputAudioChannels,
  videoEncoderArguments,
  type H264Encoder,
} from './encoding.js';
import { concatJoinArguments, ffconcatList } from './concat-join.js';
import { FFMPEG_COMMON_ARGUMENTS, INPUT_MARGIN_SECONDS, SEEK_BEFORE_FRAME } from './ffmpeg-arguments.js';
import {
  audioDurations,
  audioJoinGraph,
  formatSeconds as seconds,
  segmentFilterGraph,
} from './filter-graphs.js';
import type { MediaProbe } from './media-probe.js';
import type { ChunkAudioJob, ChunkPlan, VideoChunk } from './plan-chunks.js';
import type { PreparedFile } from './plan-copy.js';
import { inputReadSeconds } from './plan-export.js';
import type { ExportRequest, FfmpegStep } from './plan-types.js';
import { seeksByDecoding } from './seeking.js';

/** A plan that splits the export into chunks. */
export type ChunkedPlan = Extract<ChunkPlan, { chunked: true }>;

export interface ChunkStepsInput {
  plan: ChunkedPlan;
  probe: MediaProbe;
  request: ExportRequest;
  encoder: H264Encoder;
  sourcePath: string;
  /** The deliverable; the chunks, the audio and the concat list are written beside it. */
  outputPath: string;
  /** Names the steps in logs and progress, e.g. `2 segments joined`. */
  label: string;
}

export interface ChunkSteps {
  /** The chunks' encodes and the audio's (each may run beside the others), then the join. */
  steps: FfmpegStep[];
  /** The concat list the join reads, to write before the steps run. */
  prepared: PreparedFile[];
  /** The chunks' files, in the order they are joined. */
  chunkPaths: string[];
}

/** Seconds within which a chunk's decoding start is its first frame. */
const TIME_EPSILON = 1e-6;

/**
 * Where a chunk's input seeks, and its span from there. A chunk that starts on its keyframe seeks to it, so
 * the decoder starts on the chunk's first frame and reads nothing before it. A segment's first chunk seeks a
 * quarter frame before its first frame, which lands on the keyframe before it, and the accurate seek drops
 * what lies between.
 */
function chunkInputSpan(chunk: VideoChunk, frameDuration: number) {
  const startsOnKeyframe = chunk.decodeFrom >= chunk.sourceStart - TIME_EPSILON;
  const seekFrom = startsOnKeyframe
    ? chunk.sourceStart
    : Math.max(0, chunk.sourceStart - frameDuration * SEEK_BEFORE_FRAME);
  return { seekFrom, span: { offset: chunk.sourceStart - seekFrom, duration: chunk.duration } };
}

/**
 * The muxer a chunk is written with: H.264 into MPEG-TS, whose Annex B stream carries the parameter sets in
 * every chunk, VP9 into WebM; either is joined by the concat demuxer with a stream copy.
 */
function chunkContainer(request: ExportRequest): { format: 'mpegts' | 'webm'; extension: string } {
  return FORMAT_TARGETS[request.format].videoCodec === 'vp9'
    ? { format: 'webm', extension: 'webm' }
    : { format: 'mpegts', extension: 'ts' };
}

/**
 * One chunk's video: cut and scaled by the single-worker encode's own filter chain, encoded with its exact
 * encoder arguments (so rate control and the bitstream's parameter sets match in every chunk), starting on
 * an IDR picture in a closed GOP, so no frame refers to another chunk's.
 */
function chunkStep(input: ChunkStepsInput, chunk: VideoChunk, outputPath: string): FfmpegStep {
  const { probe, request, encoder, sourcePath } = input;
  const holdFrameRate = probe.video.nominalFrameRate ?? probe.video.frameRate;
  const { seekFrom, span } = chunkInputSpan(chunk, 1 / holdFrameRate);
  const read = inputReadSeconds({ start_time: seekFrom }, span, probe.video.firstPictureTime);
  const decodeToSeek = seeksByDecoding(probe.formatName);
  const limit = decodeToSeek
    ? ['-t', seconds(seekFrom + read)]
    : ['-ss', seconds(seekFrom), '-t', seconds(read)];
  const { width, height } = framedDimensions(probe.video, request.resolution, request.framing ?? 'original');
  const { graph, videoLabel } = segmentFilterGraph([span], {
    width,
    height,
    fit: (request.framing ?? 'original') === 'original' ? undefined : (request.framing_fit ?? 'crop'),
    audio: undefined,
    uploadFilter: encoderUploadFilter(encoder, request.format),
    skips: decodeToSeek ? [seekFrom] : undefined,
    constantFrameRate: probe.video.variableFrameRate ? undefined : probe.video.frameRate,
    holdFrameRate,
  });
  const encoding = {
    format: request.format,
    quality: request.quality_preset,
    resolution: request.resolution,
    encoder,
    frameRate: probe.video.frameRate,
  };
  const { format } = chunkContainer(request);
  return {
    label: `${input.label}: encode chunk ${chunk.index + 1} of ${input.plan.chunks.length}`,
    args: [
      ...FFMPEG_COMMON_ARGUMENTS,
      ...encoderGlobalArguments(encoder, request.format),
      ...limit,
      ...sourceInput(sourcePath),
      '-filter_complex',
      graph,
      '-map',
      videoLabel,
      '-frames:v',
      String(chunk.frames),
      // as the single-worker encode: the frames' own timestamps
      '-fps_mode',
      'vfr',
      ...videoEncoderArguments(encoding),
      '-force_key_frames',
      'expr:eq(n,0)',
      '-flags',
      '+cgop',
      '-map_metadata',
      '-1',
      '-f',
      format,
      outputPath,
    ],
    outputPath,
    mediaSeconds: chunk.duration,
    independent: true,
  };
}

/** The whole output's audio, cut over the same spans as the video and to the asked length, in one run. */
function audioStep(
  input: ChunkStepsInput,
  audio: ChunkAudioJob,
  sourceChannels: number,
  outputPath: string,
): FfmpegStep {
  const { request, sourcePath } = input;
  const channels = outputAudioChannels(sourceChannels);
  const spans = audio.spans.map((span) => ({ offset: 0, duration: span.duration }));
  const durations = audioDurations(spans, audio.seconds);
  const { graph, audioLabel } = audioJoinGraph(spans, 0, {
    channels,
    seconds: audio.seconds,
    frameSamples: audioFrameSamples(request.format),
    loudnessLufs: request.loudness_lufs ?? undefined,
  });
  return {
    label: `${input.label}: encode audio`,
    args: [
      ...FFMPEG_COMMON_ARGUMENTS,
      ...audio.spans.flatMap((span, index) => [
        '-ss',
        seconds(span.start),
        '-t',
        seconds(durations[index]! + INPUT_MARGIN_SECONDS),
        ...sourceInput(sourcePath),
      ]),
      '-filter_complex',
      graph,
      '-map',
      audioLabel,
      ...audioEncoderArguments(request.format, request.quality_preset, channels),
      '-map_metadata',
      '-1',
      '-f',
      request.format === 'webm' ? 'webm' : 'mp4',
      outputPath,
    ],
    outputPath,
    // encoding audio is a small part of encoding the media
    mediaSeconds: audio.seconds / 10,
    independent: true,
  };
}

/**
 * Plans the runs that produce a chunked export's one output file: an encode per chunk and one for the audio,
 * all independent of each other (any worker may take any of them), then a join that copies the chunks in
 * order, each placed at the previous one's end (their whole frames), and muxes the audio.
 */
export function planChunkSteps(input: ChunkStepsInput): ChunkSteps {
  const { plan, probe, request, outputPath } = input;
  const base = outputPath.replace(/\.[^./]+$/, '');
  const { extension } = chunkContainer(request);
  const chunkPaths = plan.chunks.map(
    (chunk) => `${base}.chunk${String(chunk.index).padStart(3, '0')}.${extension}`,
  );
  const steps = plan.chunks.map((chunk, index) => chunkStep(input, chunk, chunkPaths[index]!));
  const audio =
    plan.audio && probe.audio
      ? audioStep(
          input,
          plan.audio,
          probe.audio.channels,
          `${base}.audio.${request.format === 'webm' ? 'webm' : 'm4a'}`,
        )
      : undefined;
  if (audio) steps.push(audio);
  const list = `${base}.chunks.ffconcat`;
  const joined = plan.join.chunks.map((index) => plan.chunks[index]!);
  const prepared: PreparedFile[] = [
    {
      path: list,
      contents: ffconcatList(
        joined.map((chunk) => ({
          path: chunkPaths[chunk.index]!,
          duration: chunk.outputEnd - chunk.outputStart,
        })),
      ),
    },
  ];
  const parts = joined.map((chunk) => chunkPaths[chunk.index]!);
  steps.push({
    label: `${input.label}: join ${parts.length} chunks`,
    args: concatJoinArguments({
      list,
      audioPath: audio?.outputPath,
      format: request.format,
      outputPath,
    }),
    outputPath,
    // the join only copies: weigh it as a twentieth of encoding the media
    mediaSeconds: plan.join.seconds / 20,
    independent: true,
    needs: audio ? [...parts, audio.outputPath] : parts,
    releasesInputs: parts,
  });
  return { steps, prepared, chunkPaths };
}
