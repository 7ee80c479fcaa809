import { randomUUID } from 'node:crypto';
import type { Export, Video } from '@vexport/db';
import { chunkJob } from '@vexport/queue';
import {
  exportFileName,
  type ExportChunkJobData,
  type ExportChunkPiece,
  workersForPieces,
  type WorkerHeartbeat,
} from '@vexport/sdk';
import type Queue from 'bee-queue';
import { probeSource } from '../ffmpeg/ffprobe.js';
import { readVideoPacketIndex } from '../media/keyframes.js';
import type { MediaProbe } from '../media/media-probe.js';
import type { ChunkedPlan } from '../media/plan-chunk-steps.js';
import { CHUNK_DEFAULTS, planChunks, type ChunkOptions } from '../media/plan-chunks.js';
import {
  askedSeconds,
  copyBlockersFor,
  relativeVideoTiming,
  segmentSpan,
  variableRateSpan,
} from '../media/plan-export.js';
import type { ExportRequest } from '../media/plan-types.js';
import { isUrlSource } from '../sources/materialize-source.js';
import { openStoredSource } from '../sources/stored-source.js';
import type { ChunkSpec, ChunkState } from './chunk-state.js';
import { chunkSlotHolder } from './export-slots.js';
import type { ExportJobContext } from './export-video-job.js';
import type { ProgressReporter } from './progress-reporter.js';

/** How a worker splits long re-encodes into pieces that any worker takes. */
export interface ChunkingContext {
  queue: Queue<ExportChunkJobData>;
  state: ChunkState;
  /** The workers alive now, this one included (their heartbeats, see listLiveWorkers). */
  liveWorkers: () => Promise<readonly Pick<WorkerHeartbeat, 'h264_encoder'>[]>;
  /** The planner's limits (the minimum output to split, chunk lengths); its defaults otherwise. */
  options?: Partial<ChunkOptions> | undefined;
  /** Milliseconds one piece may run; a piece has its own limit instead of the whole export's. */
  chunkTimeoutMs: number;
  /** Names this worker in the pieces' log lines. */
  worker: string;
  /**
   * Whether this worker splits new exports (CHUNKED_EXPORTS; default true). Every worker resumes an export
   * that was split already, so that a re-run never encodes alone what pieces are encoding.
   */
  splitsNew?: boolean | undefined;
}

/**
 * Milliseconds a chunked export's slot stays taken without a renewal: a piece's time limit and a margin, so
 * that it outlives pieces waiting in the queue, and frees itself when every worker on it died.
 */
export function chunkSlotLeaseMs(context: Pick<ExportJobContext, 'slots'>, chunkTimeoutMs: number): number {
  return chunkTimeoutMs + context.slots.limits.leaseMs;
}

/** The request fields of an export record, as the planner reads them. */
export function exportRequestOf(record: Export): ExportRequest {
  return {
    export_type: record.export_type,
    resolution: record.resolution,
    format: record.format,
    quality_preset: record.quality_preset,
    segment_selections: record.segment_selections,
    framing: record.framing,
    framing_fit: record.framing_fit,
    loudness_lufs: record.loudness_lufs,
  };
}

interface StartOptions {
  context: ExportJobContext;
  signal: AbortSignal;
  progress: ProgressReporter;
}

/**
 * Splits a long re-encode of one output file into pieces on the chunk queue, when the chunk planner says
 * the live workers make it faster: stores what the pieces need (see ChunkSpec), leases the export's slot to
 * the export itself and queues one job per video chunk and one for the audio; the last to finish queues the
 * join. The source is read where it lies (see openStoredSource), never copied to disk: this job only reads
 * its keyframes. Resolves to false, having changed nothing, when the export is better made by this worker
 * alone. A re-run of the job that split the export (its worker died before it queued every piece) finds the
 * stored spec and queues the same pieces again, which is a no-op for those already queued or done.
 */
export async function startChunkedExport(
  record: Export,
  video: Video,
  { context, signal, progress }: StartOptions,
): Promise<boolean> {
  const chunking = context.chunking;
  if (!chunking) return false;
  const stored = await chunking.state.spec(record.id);
  if (stored) {
    await queuePieces(record, stored, context, chunking);
    context.logger.info({ exportId: record.id }, 'split export resumed: its pieces are queued again');
    return true;
  }
  if (chunking.splitsNew === false || record.export_type === 'clips' || isUrlSource(video.source))
    return false;
  const options = { ...CHUNK_DEFAULTS, ...chunking.options };
  const request = exportRequestOf(record);
  if (askedSeconds(request.segment_selections) < options.minOutputSecondsToChunk) return false;
  const workers = workersForPieces(await chunking.liveWorkers(), request.format, context.encoder);
  if (workers <= 1) return false;
  const source = await openStoredSource(context.storage, video.source, {
    expiresInSeconds: Math.ceil((2 * context.jobTimeoutMs) / 1000),
  });
  let plan;
  let probe: MediaProbe;
  try {
    probe = await probeSource(context, source.path, signal);
    if (copyBlockersFor(probe, request).length === 0) return false;
    plan = await planFor(probe, request, source.path, workers, options, context, signal);
  } finally {
    source.close();
  }
  const logger = context.logger.child({ exportId: record.id });
  if (!plan.chunked) {
    logger.debug({ reason: plan.reason }, 'export not chunked');
    return false;
  }
  const spec = specOf(record, video, plan, probe, request, context);
  await progress.update('downloading', 1);
  // the spec first: from here on a re-run of this job resumes these pieces instead of planning others
  await chunking.state.create(record.id, spec);
  await queuePieces(record, spec, context, chunking);
  logger.info({ reason: plan.reason, pieces: Object.keys(spec.weights).length }, 'export split into chunks');
  return true;
}

/**
 * Leases the export's slot to the export itself, then queues a job for each piece before the join (keyed by
 * export and piece, so queueing one twice is a no-op; a piece already done is skipped when it runs again).
 */
async function queuePieces(
  record: Export,
  spec: ChunkSpec,
  context: ExportJobContext,
  chunking: ChunkingContext,
): Promise<void> {
  const handed = await context.slots.handOver(record.id, record.user_id, {
    holder: chunkSlotHolder(record.id),
    leaseMs: chunkSlotLeaseMs(context, chunking.chunkTimeoutMs),
  });
  if (!handed) throw new Error('the export slot lapsed before the export was split into chunks');
  const pieces = Object.keys(spec.weights) as ExportChunkPiece[];
  await Promise.all(pieces.map((piece) => chunkJob(chunking.queue, record.id, piece).save()));
}

/** The chunk plan of a source opened at `path`: its keyframes and segments counted from the file's start. */
async function planFor(
  probe: MediaProbe,
  request: ExportRequest,
  path: string,
  workers: number,
  options: ChunkOptions,
  context: ExportJobContext,
  signal: AbortSignal,
) {
  const index = await readVideoPacketIndex(context.ffprobePath, path, signal);
  const keyframeTimes = index.keyframeTimes.map((time) => time - probe.startTime);
  const frameTimes = index.frameTimes.map((time) => time - probe.startTime);
  const timing = relativeVideoTiming(probe);
  const spans = request.segment_selections.map((segment) => {
    const span = probe.video.variableFrameRate
      ? variableRateSpan(segment, frameTimes)
      : segmentSpan(segment, timing);
    return { start: segment.start_time + span.offset, duration: span.duration };
  });
  return planChunks({
    source: {
      keyframeTimes,
      frameTimes,
      frameRate: probe.video.variableFrameRate ? undefined : probe.video.frameRate,
    },
    spans,
    workers,
    mode: 'reencode',
    audioSeconds: probe.audio ? askedSeconds(request.segment_selections) : undefined,
    options,
  });
}

/**
 * The spec the pieces share. Each piece weighs what its ffmpeg run writes, as the single-worker plan weighs
 * its steps (see planChunkSteps): a chunk its seconds, the audio a tenth of its seconds, the join a twentieth.
 */
function specOf(
  record: Export,
  video: Video,
  plan: ChunkedPlan,
  probe: MediaProbe,
  request: ExportRequest,
  context: ExportJobContext,
): ChunkSpec {
  const weights: Partial<Record<ExportChunkPiece, number>> = {};
  let before = 0;
  for (const chunk of plan.chunks) {
    weights[`chunk-${chunk.index}`] = chunk.duration;
    before += chunk.duration;
  }
  if (plan.audio && probe.audio) {
    weights.audio = plan.audio.seconds / 10;
    before += weights.audio;
  }
  return {
    splitId: randomUUID(),
    userId: record.user_id,
    sourceKey: video.source,
    plan,
    probe,
    request,
    encoder: context.encoder,
    outputName: exportFileName(video.title, record).replace(/\.\w+$/, ''),
    weights,
    totalWeight: before + plan.join.seconds / 20,
    startedAt: record.started_at?.getTime() ?? Date.now(),
  };
}
