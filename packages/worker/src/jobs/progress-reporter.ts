import type { Models } from '@vexport/db';
import { writeExportProgress } from '@vexport/queue';
import {
  PROGRESS_RANKS,
  STAGE_RANGES,
  type ExportProgress,
  type ExportStatus,
  type Stage,
} from '@vexport/sdk';
import type { Redis } from 'ioredis';
import { Op } from 'sequelize';

/** Overall percentage for a stage and the fraction of it done. */
export function overallProgress(stage: Stage, fraction: number): number {
  const [start, end] = STAGE_RANGES[stage];
  return start + (end - start) * Math.min(1, Math.max(0, fraction));
}

/** Seconds left, extrapolated from the time the progress so far took; null before there is enough to go on. */
export function estimateRemainingSeconds(progress: number, elapsedSeconds: number): number | null {
  if (progress < 1 || elapsedSeconds < 0.5) return null;
  if (progress >= 100) return 0;
  return Math.round((elapsedSeconds * (100 - progress)) / progress);
}

/** Thrown when the record left `processing` under the worker (the user cancelled it). */
export class ExportNoLongerProcessingError extends Error {
  override name = 'ExportNoLongerProcessingError';
}

export interface ProgressReporterOptions {
  redis: Redis;
  models: Models;
  exportId: string;
  userId: string;
  startedAt: number;
  /** Milliseconds between Redis updates within a stage (stage changes are always sent). */
  minIntervalMs?: number;
  now?: () => number;
}

/**
 * Publishes an export's progress: to Redis (`export_progress:{id}` and its channel, throttled) for the API's
 * progress endpoint and SSE, and to the database at every 10%. The database write only succeeds while the
 * record is `processing`, so it also notices a cancellation even when the pub/sub message was missed. Both
 * writes are guarded where they land (Redis drops a step back, the database a lower percentage), so updates
 * that overtake each other, or a retry of a crashed job starting from 0, never move the bar back.
 */
export class ProgressReporter {
  readonly #options: Required<Omit<ProgressReporterOptions, 'now'>> & { now: () => number };
  #progress = 0;
  #stage: Stage = 'queued';
  #lastSentAt = 0;
  #lastStoredDecile = 0;

  constructor(options: ProgressReporterOptions) {
    this.#options = { minIntervalMs: 200, now: Date.now, ...options };
  }

  get progress(): number {
    return this.#progress;
  }

  /** Reports `fraction` of `stage` done; never moves the bar or the stage backwards. */
  async update(reported: Stage, fraction: number): Promise<void> {
    const { stages } = PROGRESS_RANKS;
    const stage = stages[reported] >= stages[this.#stage] ? reported : this.#stage;
    const progress = Math.max(this.#progress, overallProgress(reported, fraction));
    const stageChanged = stage !== this.#stage;
    this.#progress = progress;
    this.#stage = stage;
    const decile = Math.floor(progress / 10);
    const storeDecile = decile > this.#lastStoredDecile && stage !== 'complete';
    if (storeDecile) this.#lastStoredDecile = decile;
    const now = this.#options.now();
    // Redis before the database, never skipped when the database copy moves: readers fall back to that copy
    // before the first live update, so it must never be ahead of the live one
    if (stageChanged || storeDecile || now - this.#lastSentAt >= this.#options.minIntervalMs) {
      this.#lastSentAt = now;
      await this.#send('processing');
    }
    if (storeDecile) await this.#storePercentage(decile * 10);
  }

  /** Sends the final state (completed, failed or cancelled). */
  async finish(status: Exclude<ExportStatus, 'pending' | 'processing'>): Promise<void> {
    if (status === 'completed') {
      this.#progress = 100;
      this.#stage = 'complete';
    }
    await this.#send(status);
  }

  /** The progress object as the API serves it. */
  snapshot(status: ExportStatus): ExportProgress {
    const now = this.#options.now();
    const elapsed = (now - this.#options.startedAt) / 1000;
    return {
      progress: Math.round(this.#progress * 10) / 10,
      status,
      current_stage: this.#stage,
      estimated_time_remaining:
        status === 'processing' ? estimateRemainingSeconds(this.#progress, elapsed) : null,
      elapsed_time: Math.round(elapsed * 10) / 10,
      updated_at: new Date(now).toISOString(),
    };
  }

  async #send(status: ExportStatus): Promise<void> {
    const { redis, exportId, userId } = this.#options;
    await writeExportProgress(redis, exportId, { ...this.snapshot(status), user_id: userId });
  }

  async #storePercentage(percentage: number): Promise<void> {
    const { models, exportId } = this.#options;
    const [updated] = await models.Export.update(
      { progress_percentage: percentage },
      { where: { id: exportId, status: 'processing', progress_percentage: { [Op.lt]: percentage } } },
    );
    if (updated === 0) {
      const record = await models.Export.findByPk(exportId, { attributes: ['status'] });
      if (record?.status !== 'processing')
        throw new ExportNoLongerProcessingError(`export is ${record?.status ?? 'gone'}`);
    }
  }
}
