import type { Models } from '@vexport/db';
import { chunkJob } from '@vexport/queue';
import type { ExportChunkJobData, ExportChunkPiece } from '@vexport/sdk';
import { describeDuration } from '../describe-duration.js';
import { FfmpegError } from '../ffmpeg/run-ffmpeg.js';
import { openStoredSource } from '../sources/stored-source.js';
import { ExportCancelledError } from './cancel-watcher.js';
import { encodePiece, joinPieces, partsPrefix, type PieceRun } from './chunk-pieces.js';
import type { ChunkSpec } from './chunk-state.js';
import { markExportCompleted } from './complete-export.js';
import type { ExportJobContext } from './export-video-job.js';
import { describeFailure, isPermanent } from './job-errors.js';
import { ExportNoLongerProcessingError, ProgressReporter } from './progress-reporter.js';
import { chunkSlotHolder } from './export-slots.js';
import { chunkSlotLeaseMs, type ChunkingContext } from './start-chunked-export.js';

/** A worker's context for the pieces of chunked exports: the export job's, with chunking set. */
export type ChunkJobContext = ExportJobContext & { chunking: ChunkingContext };

/**
 * `done`: the piece is stored; `delivered`: the join delivered the export; `handed-over`: the worker shut
 * down, and the piece's job is picked up again as stalled.
 */
export type ChunkJobOutcome = 'done' | 'delivered' | 'skipped' | 'cancelled' | 'failed' | 'handed-over';

/** The piece's own time limit passed. */
class PieceTimedOutError extends Error {
  override name = 'PieceTimedOutError';
}

const SLOT_RENEW_MS = 10_000;

/**
 * `export_chunk(export_id, piece)`: one piece of an export that startChunkedExport split. A video chunk or
 * the audio is encoded from the source where it lies and stored under the export's parts; the last piece
 * to finish queues the join, which assembles, checks and delivers the export as the single-worker job does.
 * While it runs the piece keeps the export's slot leased; it watches cancellation and has its own time
 * limit. A piece that fails for good (or on its last try) fails the export; a failed, cancelled or
 * delivered export leaves no parts, no Redis state and no slot behind. A piece already done is not redone.
 */
export async function runExportChunkJob(
  { export_id: exportId, piece }: ExportChunkJobData,
  attempt: { isLastAttempt: boolean },
  context: ChunkJobContext,
): Promise<ChunkJobOutcome> {
  const { models, chunking } = context;
  const [record, spec] = await Promise.all([
    models.Export.findByPk(exportId, { attributes: ['id', 'status', 'user_id'] }),
    chunking.state.spec(exportId),
  ]);
  if (!spec || !belongsTo(spec, piece)) return 'skipped';
  if (record?.status !== 'processing') {
    // cancelled (or deleted) while this piece waited: the first piece to see it clears what is left
    await abandon(exportId, spec, context);
    return 'cancelled';
  }
  // a join left from an earlier split of the export (whose state was lost) waits for this split's pieces
  if (piece === 'join' && !(await chunking.state.allDone(exportId, spec))) return 'skipped';
  if (piece !== 'join' && (await chunking.state.isDone(exportId, piece))) {
    // a re-run of a piece whose try stored it but then failed: the join it may not have queued is queued now
    // (a no-op when it was)
    if (await chunking.state.allDone(exportId, spec)) await chunkJob(chunking.queue, exportId, 'join').save();
    return 'skipped';
  }
  const slot = {
    holder: chunkSlotHolder(exportId),
    leaseMs: chunkSlotLeaseMs(context, chunking.chunkTimeoutMs),
  };
  const renew = () => void context.slots.renew(exportId, spec.userId, slot).catch(() => undefined);
  renew();
  const renewal = setInterval(renew, SLOT_RENEW_MS);
  try {
    return await runWithSignals(exportId, piece, spec, attempt, context);
  } finally {
    clearInterval(renewal);
  }
}

/**
 * Whether the spec has `piece`: a piece job left from an earlier split of the same export (its state lost,
 * the export recovered and split again, see QueueReconciler) may name a chunk this split does not have.
 */
function belongsTo(spec: ChunkSpec, piece: ExportChunkPiece): boolean {
  return piece === 'join' || spec.weights[piece] !== undefined;
}

async function runWithSignals(
  exportId: string,
  piece: ExportChunkPiece,
  spec: ChunkSpec,
  attempt: { isLastAttempt: boolean },
  context: ChunkJobContext,
): Promise<ChunkJobOutcome> {
  const { chunking, logger, models } = context;
  const cancel = await context.cancels.watch(exportId);
  const timeout = AbortSignal.timeout(chunking.chunkTimeoutMs);
  const shutdown = context.shutdown ?? new AbortController().signal;
  const signal = AbortSignal.any([cancel.signal, timeout, shutdown]);
  const progress = new ProgressReporter({
    redis: context.redis,
    models,
    exportId,
    userId: spec.userId,
    startedAt: spec.startedAt,
  });
  const run: PieceRun = {
    storage: context.storage,
    tools: { ...context, encoder: spec.encoder },
    signal,
    uploadAttempts: context.uploadAttempts,
    uploadBackoffMs: context.uploadBackoffMs,
  };
  const started = Date.now();
  try {
    const outcome =
      piece === 'join'
        ? await deliver(exportId, spec, run, progress, context)
        : await encode(exportId, piece, spec, run, progress, context);
    // one line per piece, in this shape, for the bench's model of chunked exports (bench/scenarios)
    logger.info(
      {
        exportId,
        piece,
        worker: chunking.worker,
        ms: Date.now() - started,
        mediaSeconds: pieceSeconds(spec, piece),
      },
      'piece done',
    );
    return outcome;
  } catch (caught) {
    const error = timeout.aborted && !cancel.signal.aborted ? new PieceTimedOutError() : caught;
    if (shutdown.aborted && !cancel.signal.aborted && !timeout.aborted) {
      logger.info({ exportId, piece }, 'piece stopped by the shutdown; another worker will run it');
      return 'handed-over';
    }
    if (await isOrphaned(exportId, spec, context)) {
      // the export's state went with the split this piece belongs to: whoever removed it cleaned up (a
      // cancel, a failure), or the export was recovered and runs anew, which this piece must not touch
      logger.info({ exportId, piece }, 'piece of a split that no longer exists stopped');
      return 'skipped';
    }
    if (
      cancel.signal.aborted ||
      error instanceof ExportCancelledError ||
      error instanceof ExportNoLongerProcessingError
    ) {
      await abandon(exportId, spec, context);
      await progress.finish('cancelled').catch(() => undefined);
      logger.info({ exportId, piece }, 'chunked export cancelled');
      return 'cancelled';
    }
    const permanent =
      isPermanent(error) ||
      error instanceof PieceTimedOutError ||
      (error instanceof FfmpegError && error.kind !== 'failed');
    if (!permanent && !attempt.isLastAttempt) {
      logger.warn({ exportId, piece, err: error }, 'piece failed; it will be retried');
      throw error;
    }
    logger.warn({ exportId, piece, err: error, stderr: (error as FfmpegError).stderrTail }, 'piece failed');
    await models.Export.update(
      {
        status: 'failed',
        error_message: failureMessage(error, chunking.chunkTimeoutMs),
        completed_at: new Date(),
      },
      { where: { id: exportId, status: 'processing' } },
    );
    await abandon(exportId, spec, context);
    await progress.finish('failed').catch(() => undefined);
    return 'failed';
  } finally {
    cancel.release();
  }
}

/** Seconds of media the piece writes: a chunk's video, the whole audio, or the joined output. */
function pieceSeconds(spec: ChunkSpec, piece: ExportChunkPiece): number {
  if (piece === 'join') return spec.plan.join.seconds;
  if (piece === 'audio') return spec.plan.audio?.seconds ?? 0;
  return spec.plan.chunks[Number(piece.slice('chunk-'.length))]?.duration ?? 0;
}

/** Encodes and stores a video chunk or the audio, and queues the join when it was the last piece. */
async function encode(
  exportId: string,
  piece: Exclude<ExportChunkPiece, 'join'>,
  spec: ChunkSpec,
  run: PieceRun,
  progress: ProgressReporter,
  context: ChunkJobContext,
): Promise<ChunkJobOutcome> {
  const { chunking } = context;
  const weight = spec.weights[piece] ?? 0;
  const report = (workDone: number) => progress.update('processing', workDone / spec.totalWeight);
  // the export's progress is every piece's, running on any worker, weighted by its frames (see ChunkState)
  const reportPiece = async (fraction: number) => {
    const workDone = await chunking.state.pieceProgress(exportId, piece, weight * fraction, spec);
    if (workDone !== undefined) await report(workDone);
  };
  const prefix = partsPrefix(spec.userId, exportId);
  const key = await context.workspace.withJobDir(`chunk-${exportId}-${piece}`, async (dir) => {
    const source = await openStoredSource(context.storage, spec.sourceKey, {
      expiresInSeconds: Math.ceil((2 * chunking.chunkTimeoutMs) / 1000),
    });
    try {
      return await encodePiece(
        spec,
        piece,
        {
          sourcePath: source.path,
          dir,
          prefix,
          onProgress: (fraction) => void reportPiece(fraction).catch(() => undefined),
        },
        run,
      );
    } finally {
      source.close();
    }
  });
  const marked = await chunking.state.markDone(exportId, piece, spec);
  if (marked.state === 'gone') {
    // the export was cancelled or failed while this piece ran: its file must not outlive the clean-up
    await context.storage.delete(key).catch(() => undefined);
    throw new ExportCancelledError();
  }
  if (marked.lastPiece) await chunkJob(chunking.queue, exportId, 'join').save();
  await report(marked.workDone).catch(() => undefined);
  return 'done';
}

/** Joins the stored pieces, delivers the export, and clears its parts, state and slot. */
async function deliver(
  exportId: string,
  spec: ChunkSpec,
  run: PieceRun,
  progress: ProgressReporter,
  context: ChunkJobContext,
): Promise<ChunkJobOutcome> {
  const outputPrefix = `exports/${spec.userId}/${exportId}/`;
  const prefix = partsPrefix(spec.userId, exportId);
  const file = await context.workspace.withJobDir(`join-${exportId}`, (dir) =>
    joinPieces(spec, { dir, prefix, outputPrefix }, run),
  );
  await progress.update('uploading', 1);
  if (!(await markExportCompleted(context.models, exportId, file, context.cdnBaseUrl)))
    throw new ExportCancelledError();
  await context.storage.deletePrefix(prefix).catch(() => undefined);
  await context.chunking.state.remove(exportId);
  await releaseSlot(exportId, spec, context);
  await progress.finish('completed');
  context.logger.info(
    { exportId, bytes: file.size, pieces: Object.keys(spec.weights).length },
    'chunked export completed',
  );
  return 'delivered';
}

/**
 * Clears what a chunked export that will not be delivered left: its Redis state first (so that a piece
 * finishing meanwhile removes its own file, see encode), then its stored files (every file of the export
 * unless it was delivered, then only the parts), then its slot. Safe to run more than once.
 */
async function abandon(exportId: string, spec: ChunkSpec, context: ChunkJobContext): Promise<void> {
  await context.chunking.state.remove(exportId);
  const delivered = await isCompleted(exportId, context.models);
  const prefix = delivered ? partsPrefix(spec.userId, exportId) : `exports/${spec.userId}/${exportId}/`;
  await context.storage.deletePrefix(prefix).catch(() => undefined);
  await releaseSlot(exportId, spec, context);
}

async function releaseSlot(exportId: string, spec: ChunkSpec, context: ChunkJobContext): Promise<void> {
  await context.slots
    .release(exportId, spec.userId, { holder: chunkSlotHolder(exportId) })
    .catch(() => undefined);
  context.onSlotReleased?.();
}

/** True when the export's state is gone or belongs to another split than `spec`'s. */
async function isOrphaned(exportId: string, spec: ChunkSpec, context: ChunkJobContext): Promise<boolean> {
  const current = await context.chunking.state.spec(exportId).catch(() => spec);
  return current?.splitId !== spec.splitId;
}

async function isCompleted(exportId: string, models: Models): Promise<boolean> {
  const current = await models.Export.findByPk(exportId, { attributes: ['status'] }).catch(() => null);
  return current?.status === 'completed';
}

function failureMessage(error: unknown, chunkTimeoutMs: number): string {
  if (error instanceof PieceTimedOutError)
    return `A part of the export took longer than the ${describeDuration(chunkTimeoutMs)} limit and was stopped.`;
  if (error instanceof FfmpegError) return error.message;
  return describeFailure(error);
}
