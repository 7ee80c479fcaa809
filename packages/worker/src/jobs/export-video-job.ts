import type { Export, Models, Video } from '@vexport/db';
import { exportFileName } from '@vexport/sdk';
import type { ObjectStorage } from '@vexport/storage';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Op } from 'sequelize';
import { FfmpegError } from '../ffmpeg/run-ffmpeg.js';
import type { H264Encoder } from '../media/encoding.js';
import type { ExportPlan } from '../media/plan-export.js';
import { describeDuration } from '../describe-duration.js';
import { materializeSource } from '../sources/materialize-source.js';
import { recordExportSpeed } from '../speeds/export-speed-recorder.js';
import type { JobWorkspace } from '../workspace/job-workspace.js';
import { ExportCancelledError, type CancelWatcher } from './cancel-watcher.js';
import { markExportCompleted } from './complete-export.js';
import type { ExportSlots } from './export-slots.js';
import { PermanentJobError, describeFailure, isPermanent } from './job-errors.js';
import { PhaseTimings } from './phase-timings.js';
import { renderExport } from './render-export.js';
import { startChunkedExport, type ChunkingContext } from './start-chunked-export.js';
import { ExportNoLongerProcessingError, ProgressReporter } from './progress-reporter.js';
import { withRetries } from './with-retries.js';
import { writeZip } from './zip-archive.js';

export interface ExportJobContext {
  models: Models;
  redis: Redis;
  storage: ObjectStorage;
  workspace: JobWorkspace;
  slots: ExportSlots;
  cancels: CancelWatcher;
  logger: Logger;
  ffmpegPath: string;
  ffprobePath: string;
  encoder: H264Encoder;
  allowPrivateSourceUrls: boolean;
  maxSourceBytes: number;
  jobTimeoutMs: number;
  memoryLimitBytes: number;
  uploadAttempts: number;
  uploadBackoffMs: number;
  cdnBaseUrl: string | undefined;
  /**
   * Aborted when this worker shuts down and its grace period ran out: the running export is stopped, put
   * back to `pending` and left to another worker (its queue job is picked up again as stalled).
   */
  shutdown?: AbortSignal;
  /** Called after this worker freed a slot, so deferred exports can start at once. */
  onSlotReleased?: () => void;
  /** Where long re-encodes are split into pieces that any worker takes; undefined: never split. */
  chunking?: ChunkingContext | undefined;
}

/** `chunked`: the export was split into pieces on the chunk queue, which deliver it (see startChunkedExport). */
export type ExportJobOutcome =
  'completed' | 'failed' | 'cancelled' | 'deferred' | 'skipped' | 'handed-over' | 'chunked';

/** The job's time limit passed. */
class ExportTimedOutError extends Error {
  override name = 'ExportTimedOutError';
  constructor() {
    super('the job time limit passed');
  }
}

const SLOT_RENEW_MS = 10_000;

/**
 * `export_video(export_id)`: turns an export record into its finished file. Waits (deferred, still
 * `pending`) while the concurrency limits are reached; then downloads the source, runs the plan's ffmpeg
 * steps, checks every output with ffprobe, packs clips into a ZIP, uploads under
 * `exports/{user_id}/{export_id}/` and records the result. Cancellation, the time limit and failures stop
 * ffmpeg and leave nothing behind: no temp files, no stored object, no record stuck in `processing`.
 */
export async function runExportVideoJob(
  exportId: string,
  attempt: { isLastAttempt: boolean },
  context: ExportJobContext,
): Promise<ExportJobOutcome> {
  const { models, slots, logger } = context;
  const record = await models.Export.findByPk(exportId);
  if (!record || (record.status !== 'pending' && record.status !== 'processing')) return 'skipped';
  const userId = record.user_id;

  const slot = await slots.tryAcquire(exportId, userId);
  if (slot !== 'acquired') {
    await slots.defer(exportId, userId);
    logger.debug({ exportId, reason: slot }, 'export deferred until a slot frees');
    return 'deferred';
  }
  const renewal = setInterval(() => void slots.renew(exportId, userId).catch(() => undefined), SLOT_RENEW_MS);
  let outcome: ExportJobOutcome | undefined;
  try {
    // progress_percentage stays: a retry after a crash or a hand-over shows where the last run got until it
    // passes that point (only the reporter's guarded writes raise it)
    const [started] = await models.Export.update(
      { status: 'processing', started_at: new Date(), error_message: null },
      { where: { id: exportId, status: { [Op.in]: ['pending', 'processing'] } } },
    );
    if (started === 0) return 'skipped';
    await record.reload();
    outcome = await runWithSignals(record, attempt, context);
    return outcome;
  } finally {
    clearInterval(renewal);
    // a chunked export's slot went to its pieces, which release it when it is delivered, fails or is cancelled
    if (outcome !== 'chunked') {
      await slots.release(exportId, userId).catch(() => undefined);
      context.onSlotReleased?.();
    }
  }
}

async function runWithSignals(
  record: Export,
  attempt: { isLastAttempt: boolean },
  context: ExportJobContext,
): Promise<ExportJobOutcome> {
  const { logger, models } = context;
  const cancel = await context.cancels.watch(record.id);
  const timeout = AbortSignal.timeout(context.jobTimeoutMs);
  const shutdown = context.shutdown ?? new AbortController().signal;
  const signal = AbortSignal.any([cancel.signal, timeout, shutdown]);
  const progress = new ProgressReporter({
    redis: context.redis,
    models,
    exportId: record.id,
    userId: record.user_id,
    startedAt: record.started_at?.getTime() ?? Date.now(),
  });
  const outputPrefix = `exports/${record.user_id}/${record.id}/`;
  // from the record's creation to this worker's claim: the API's enqueue, the queue's pick-up, the slot
  const timings = new PhaseTimings();
  timings.add('queued', (record.started_at?.getTime() ?? Date.now()) - record.created_at.getTime());
  try {
    await timings.time('progress', () => progress.update('downloading', 0));
    const video = await timings.time('record', () => models.Video.findByPk(record.video_id));
    if (!video) throw new PermanentJobError('The source video was deleted.');
    if (context.chunking && (await startChunkedExport(record, video, { context, signal, progress })))
      return 'chunked';
    const result = await context.workspace.withJobDir(`export-${record.id}`, (dir) =>
      produce(record, video, dir, { signal, progress, context, outputPrefix, timings }),
    );
    const marked = await timings.time('complete', () =>
      markExportCompleted(models, record.id, result, context.cdnBaseUrl),
    );
    if (!marked) throw new ExportCancelledError();
    await timings.time('progress', () => progress.finish('completed'));
    await recordExportSpeed(context.redis, record, result.strategy.mode, logger);
    timings.add('total', Date.now() - record.created_at.getTime());
    logger.info(
      { exportId: record.id, bytes: result.size, strategy: result.strategy, timings },
      'export completed',
    );
    return 'completed';
  } catch (caught) {
    const error = timeout.aborted && !cancel.signal.aborted ? new ExportTimedOutError() : caught;
    // another run of the same export may have delivered it meanwhile: its file stays
    if (!(await isCompleted(record.id, models))) {
      await context.storage.deletePrefix(outputPrefix).catch(() => undefined);
    }
    if (shutdown.aborted && !cancel.signal.aborted && !timeout.aborted) {
      await handOver(record, context);
      return 'handed-over';
    }
    const cancelledByUser = cancel.signal.aborted && cancel.signal.reason instanceof ExportCancelledError;
    if (
      cancelledByUser ||
      error instanceof ExportCancelledError ||
      error instanceof ExportNoLongerProcessingError
    ) {
      await progress.finish('cancelled').catch(() => undefined);
      logger.info({ exportId: record.id }, 'export cancelled');
      return 'cancelled';
    }
    const permanent =
      isPermanent(error) || error instanceof ExportTimedOutError || isPermanentFfmpegFailure(error);
    if (!permanent && !attempt.isLastAttempt) {
      logger.warn({ exportId: record.id, err: error }, 'export attempt failed; it will be retried');
      throw error;
    }
    const message = failureMessage(error, context.jobTimeoutMs);
    logger.warn(
      { exportId: record.id, err: error, stderr: (error as FfmpegError).stderrTail },
      'export failed',
    );
    await models.Export.update(
      { status: 'failed', error_message: message, completed_at: new Date() },
      { where: { id: record.id, status: 'processing' } },
    );
    await progress.finish('failed').catch(() => undefined);
    return 'failed';
  } finally {
    cancel.release();
  }
}

async function isCompleted(exportId: string, models: Models): Promise<boolean> {
  const current = await models.Export.findByPk(exportId, { attributes: ['status'] }).catch(() => null);
  return current?.status === 'completed';
}

/** Puts an export this worker stopped on shutdown back to `pending`, for the worker that picks its job up. */
async function handOver(record: Export, { models, logger }: ExportJobContext): Promise<void> {
  await models.Export.update(
    { status: 'pending', started_at: null },
    { where: { id: record.id, status: 'processing' } },
  );
  logger.info({ exportId: record.id }, 'export stopped by the shutdown; another worker will run it');
}

function isPermanentFfmpegFailure(error: unknown): boolean {
  return error instanceof FfmpegError && error.kind !== 'failed';
}

function failureMessage(error: unknown, jobTimeoutMs: number): string {
  if (error instanceof ExportTimedOutError) {
    return `The export took longer than the ${describeDuration(jobTimeoutMs)} limit and was stopped.`;
  }
  if (error instanceof FfmpegError) return error.message;
  return describeFailure(error);
}

interface ProduceOptions {
  signal: AbortSignal;
  progress: ProgressReporter;
  context: ExportJobContext;
  outputPrefix: string;
  timings: PhaseTimings;
}

async function produce(
  record: Export,
  video: Video,
  dir: string,
  { signal, progress, context, outputPrefix, timings }: ProduceOptions,
): Promise<{ key: string; size: number; strategy: ExportPlan['strategy']; upscaled: boolean }> {
  const source = await timings.time('source', () =>
    materializeSource(video.source, {
      storage: context.storage,
      dir,
      allowPrivateSourceUrls: context.allowPrivateSourceUrls,
      maxSourceBytes: context.maxSourceBytes,
      signal,
    }),
  );
  await timings.time('progress', () => progress.update('downloading', 1));
  const plan = await renderExport({
    sourcePath: source.path,
    request: record,
    workDir: dir,
    outputName: exportFileName(video.title, record).replace(/\.\w+$/, ''),
    tools: context,
    logger: context.logger.child({ exportId: record.id }),
    signal,
    onProgress: (fraction) => void progress.update('processing', fraction).catch(() => undefined),
    timings,
  });
  if (plan.archive)
    await timings.time('zip', () => writeZip(plan.archive!.path, plan.archive!.entries, signal));

  await timings.time('progress', () => progress.update('uploading', 0));
  const key = `${outputPrefix}${plan.deliverable.fileName}`;
  const { size } = await timings.time('upload', () =>
    withRetries(
      () =>
        context.storage.put(
          key,
          { filePath: plan.deliverable.path },
          { contentType: plan.deliverable.contentType, signal },
        ),
      { attempts: context.uploadAttempts, baseDelayMs: context.uploadBackoffMs, signal },
    ).catch((error: unknown) => {
      if (signal.aborted) throw error;
      // the upload was already retried with backoff: making the whole file again would not help
      throw new PermanentJobError(
        `The finished file could not be saved to storage (${context.uploadAttempts} tries). Try again later.`,
        { cause: error },
      );
    }),
  );
  await timings.time('progress', () => progress.update('uploading', 1));
  return { key, size, strategy: plan.strategy, upscaled: plan.upscaled };
}
