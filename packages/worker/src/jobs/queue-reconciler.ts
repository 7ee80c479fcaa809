import type { Models } from '@vexport/db';
import { exportJob, probeJob } from '@vexport/queue';
import type { ExportVideoJobData, ProbeVideoJobData } from '@vexport/sdk';
import type Queue from 'bee-queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Op } from 'sequelize';
import type { ChunkState } from './chunk-state.js';
import { chunkSlotHolder, type ExportSlots } from './export-slots.js';
import { findLostJobs, type WaitingRecord } from './lost-jobs.js';

export interface QueueReconcilerOptions {
  models: Models;
  redis: Redis;
  exportQueue: Queue<ExportVideoJobData>;
  probeQueue: Queue<ProbeVideoJobData>;
  slots: ExportSlots;
  logger: Logger;
  /** Separates deployments sharing one Redis (the queue prefix). */
  namespace: string;
  /** Records younger than this are left alone: the API may be between storing one and queueing its job. */
  minAgeMs?: number;
  /** Records looked at per sweep. */
  batchSize?: number;
  /** The chunked exports' state; without it no `processing` export is recovered. */
  chunks?: ChunkState | undefined;
  /**
   * A `processing` export that nothing runs (no export job, no chunk state, no worker holding its slot) and
   * whose record has not changed for this long is put back to `pending` and queued again.
   */
  stuckAfterMs?: number;
}

/**
 * Puts jobs back for records the database says are waiting but Redis has forgotten, so a Redis that lost
 * its data leaves no export pending forever: pending exports and unprobed videos, and `processing` exports
 * that nothing runs any more. A `processing` export normally has a worker on it (holding its slot, its job
 * picked up again as stalled when the worker dies) or, once split, its pieces' state in Redis; one with
 * neither for `stuckAfterMs` (the chunk jobs or the Redis state of a split export were lost) is put back to
 * `pending` and queued from scratch. One worker sweeps at a time (a Redis lock); the record moves back only
 * while it is still `processing` and unchanged, and re-adding a job is a no-op when it exists (job id =
 * record id), so several workers' reconcilers recover it once.
 */
export class QueueReconciler {
  readonly #options: Required<Omit<QueueReconcilerOptions, 'chunks'>> &
    Pick<QueueReconcilerOptions, 'chunks'>;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: QueueReconcilerOptions) {
    this.#options = { minAgeMs: 30_000, batchSize: 500, stuckAfterMs: 5 * 60_000, ...options };
  }

  /** One sweep; resolves to the records whose jobs were put back (none when another worker holds the lock). */
  async sweep(lockMs: number): Promise<WaitingRecord[]> {
    const { redis, namespace, logger } = this.#options;
    const lock = await redis.set(`{${namespace}}:reconcile-lock`, '1', 'PX', lockMs, 'NX');
    if (lock !== 'OK') return [];
    const lost = await findLostJobs(await this.#waitingRecords(), {
      hasJob: async ({ id, kind }) =>
        (await (kind === 'export' ? this.#options.exportQueue : this.#options.probeQueue).getJob(id)) !==
        null,
      isDeferred: ({ id }) => this.#options.slots.isDeferred(id),
    });
    for (const record of lost) {
      if (record.kind === 'export') await exportJob(this.#options.exportQueue, record.id).save();
      else await probeJob(this.#options.probeQueue, record.id).save();
    }
    if (lost.length > 0) logger.warn({ lost }, 'queued the jobs Redis had lost again');
    const stuck = await this.#recoverStuckExports();
    if (stuck.length > 0)
      logger.warn({ stuck }, 'put processing exports that nothing ran any more back to pending');
    return [...lost, ...stuck];
  }

  /** The `processing` exports nothing runs, each put back to `pending` with its job queued again. */
  async #recoverStuckExports(): Promise<WaitingRecord[]> {
    const { models, chunks, exportQueue, slots, stuckAfterMs, batchSize } = this.#options;
    if (!chunks) return [];
    const before = new Date(Date.now() - stuckAfterMs);
    const candidates = await models.Export.findAll({
      attributes: ['id'],
      where: { status: 'processing', updated_at: { [Op.lt]: before } },
      order: [['updated_at', 'ASC']],
      limit: batchSize,
    });
    const recovered: WaitingRecord[] = [];
    for (const { id } of candidates) {
      if ((await exportQueue.getJob(id)) !== null || (await chunks.spec(id)) !== undefined) continue;
      // a worker's own token: it runs the export now (its lease lapses if it died, and its job is retried)
      const holder = await slots.holder(id);
      if (holder !== null && holder !== chunkSlotHolder(id)) continue;
      const [moved] = await models.Export.update(
        { status: 'pending', started_at: null },
        { where: { id, status: 'processing', updated_at: { [Op.lt]: before } } },
      );
      if (moved === 0) continue;
      await exportJob(exportQueue, id).save();
      recovered.push({ id, kind: 'export' });
    }
    return recovered;
  }

  async #waitingRecords(): Promise<WaitingRecord[]> {
    const { models, minAgeMs, batchSize } = this.#options;
    const before = new Date(Date.now() - minAgeMs);
    const [exports, videos] = await Promise.all([
      models.Export.findAll({
        attributes: ['id'],
        where: { status: 'pending', updated_at: { [Op.lt]: before } },
        order: [['updated_at', 'ASC']],
        limit: batchSize,
      }),
      models.Video.findAll({
        attributes: ['id'],
        where: { status: { [Op.in]: ['pending', 'processing'] }, updated_at: { [Op.lt]: before } },
        order: [['updated_at', 'ASC']],
        limit: batchSize,
      }),
    ]);
    return [
      ...exports.map(({ id }) => ({ id, kind: 'export' as const })),
      ...videos.map(({ id }) => ({ id, kind: 'probe' as const })),
    ];
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.sweep(intervalMs).catch((error: Error) =>
        this.#options.logger.warn(`queue reconciliation failed: ${error.message}`),
      );
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
