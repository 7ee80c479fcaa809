import type { Models } from '@vexport/db';
import { exportJob, probeJob } from '@vexport/queue';
import type { ExportVideoJobData, ProbeVideoJobData } from '@vexport/sdk';
import type Queue from 'bee-queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Op } from 'sequelize';
import type { ExportSlots } from './export-slots.js';
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
}

/**
 * Puts jobs back for records the database says are waiting but Redis has forgotten, so a Redis that lost
 * its data leaves no export pending forever. Pending exports and unprobed videos only: a `processing`
 * export has a worker on it (or is picked up again as a stalled job), and running it twice is worse. One
 * worker sweeps at a time (a Redis lock); re-adding a job is a no-op when it exists (job id = record id).
 */
export class QueueReconciler {
  readonly #options: Required<QueueReconcilerOptions>;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: QueueReconcilerOptions) {
    this.#options = { minAgeMs: 30_000, batchSize: 500, ...options };
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
    return lost;
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
