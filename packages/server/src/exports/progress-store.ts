import type { Models } from '@vexport/db';
import { writeExportProgress, type OwnedProgress } from '@vexport/queue';
import { RedisKeys, type ExportProgress } from '@vexport/sdk';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { NotFoundError } from '../http/problem.js';
import { progressFromRecord } from './export-serializer.js';

export type { OwnedProgress };

/** The public part of a stored progress entry. */
export function publicProgress({ user_id: _owner, ...progress }: OwnedProgress): ExportProgress {
  return progress;
}

/**
 * Reads an export's live progress from Redis (no database query when the entry is there and the user owns
 * it), else derives it from the database, also when Redis cannot be reached.
 */
export class ProgressStore {
  readonly #redis: Redis;
  readonly #models: Models;
  readonly #logger: Logger;

  constructor(redis: Redis, models: Models, logger: Logger) {
    this.#redis = redis;
    this.#models = models;
    this.#logger = logger;
  }

  async read(userId: string, exportId: string): Promise<ExportProgress> {
    const stored = await this.#readStored(exportId);
    if (stored) {
      if (stored.user_id !== userId) throw new NotFoundError('No export with this id.');
      return publicProgress(stored);
    }
    const record = await this.#models.Export.findOne({ where: { id: exportId, user_id: userId } });
    if (!record) throw new NotFoundError('No export with this id.');
    return progressFromRecord(record);
  }

  /**
   * Stores and publishes a progress update (used when the API itself changes an export, e.g. cancels it),
   * unless it would move the stored progress back; resolves to whether it landed.
   */
  async write(exportId: string, progress: OwnedProgress): Promise<boolean> {
    return writeExportProgress(this.#redis, exportId, progress);
  }

  async #readStored(exportId: string): Promise<OwnedProgress | undefined> {
    try {
      const raw = await this.#redis.get(RedisKeys.exportProgress(exportId));
      return raw ? (JSON.parse(raw) as OwnedProgress) : undefined;
    } catch (error) {
      this.#logger.warn(`progress read from Redis failed, using the database: ${(error as Error).message}`);
      return undefined;
    }
  }
}
