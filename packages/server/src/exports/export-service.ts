import { createHash } from 'node:crypto';
import type { Export, ExportAttributes, Models } from '@vexport/db';
import {
  DEFAULT_FRAMING,
  DEFAULT_FRAMING_FIT,
  RedisKeys,
  findSegmentOutsideVideo,
  isTerminalExportStatus,
  exportFileName,
  type ExportDownload,
  type ExportList,
  type ExportListQuery,
  type ExportSortField,
  type Format,
  type ParsedExportCreateRequest,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
import type { ObjectStorage } from '@vexport/storage';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Op, UniqueConstraintError, type WhereOptions } from 'sequelize';
import { linkOn } from '../http/link-origin.js';
import { AppError, NotFoundError } from '../http/problem.js';
import type { JobQueues } from '../queue/job-queues.js';
import type { SettingsService } from '../settings/settings-service.js';
import { insertExportOfReadyVideo } from './export-insert.js';
import { countExports } from './export-total.js';
import { progressFromRecord, toExportResponse } from './export-serializer.js';
import type { ProgressStore } from './progress-store.js';

export interface ExportServiceOptions {
  models: Models;
  redis: Redis;
  queues: JobQueues;
  storage: ObjectStorage;
  settings: SettingsService;
  progress: ProgressStore;
  logger: Logger;
  downloadUrlTtlSeconds: number;
}

/** An idempotency key and the fingerprint of the request it was sent with. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

/** The result of a create: the export, and whether this request made it (false: an idempotent replay). */
export interface CreatedExport {
  record: ExportAttributes;
  created: boolean;
}

const CANCEL_SIGNAL_TTL_SECONDS = 24 * 60 * 60;

/** The fingerprint of a create request: same video and same body, same fingerprint. */
export function fingerprintRequest(videoId: string, request: ParsedExportCreateRequest): string {
  return createHash('sha256').update(videoId).update('\n').update(JSON.stringify(request)).digest('hex');
}

function notCancellable(detail: string): AppError {
  return new AppError(409, 'export_not_cancellable', 'Export already finished', { detail });
}

function idempotencyConflict(): AppError {
  return new AppError(422, 'idempotency_key_reused', 'Idempotency key reused', {
    detail: 'This Idempotency-Key was already used with a different request. Use a new key for a new export.',
  });
}

/** Sort fields that can be empty: those sort last whichever the direction. */
const NULLABLE_SORT_FIELDS: ReadonlySet<ExportSortField> = new Set(['file_size_bytes']);

/**
 * ORDER BY of the export list, the id breaking ties so that pages never overlap. NULLS LAST only where the
 * column can be NULL: on a NOT NULL column it still stops PostgreSQL from reading the (user_id, created_at
 * DESC) index in order, and every page sorted all of the user's exports.
 */
function listOrder(sort: ExportSortField, order: 'asc' | 'desc'): [string, string][] {
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  return [
    [sort, NULLABLE_SORT_FIELDS.has(sort) ? `${direction} NULLS LAST` : direction],
    ['id', direction],
  ];
}

/** Creating, reading, listing, cancelling and deleting exports. */
export class ExportService {
  readonly #options: ExportServiceOptions;

  constructor(options: ExportServiceOptions) {
    this.#options = options;
  }

  get #models() {
    return this.#options.models;
  }

  /**
   * The export an earlier request with this idempotency key created, or undefined when the key is new.
   * Throws when the key was used for a different request.
   */
  async findReplay(userId: string, claim: IdempotencyClaim): Promise<Export | undefined> {
    const existing = await this.#models.Export.findOne({
      where: { user_id: userId, idempotency_key: claim.key },
    });
    if (existing && existing.request_fingerprint !== claim.fingerprint) throw idempotencyConflict();
    return existing ?? undefined;
  }

  /**
   * Fills the options left out from the user's settings, stores the export if the video takes it (owned,
   * probed, segments inside it; else the error says which is not so) and queues it. If queueing fails the
   * record is removed, so no export is left pending without a job.
   */
  async create(
    userId: string,
    videoId: string,
    request: ParsedExportCreateRequest,
    claim?: IdempotencyClaim,
  ): Promise<CreatedExport> {
    const choices = await this.#encodingChoices(userId, request);
    let record: ExportAttributes | undefined;
    try {
      record = await insertExportOfReadyVideo(this.#models.Export.sequelize!, {
        userId,
        videoId,
        exportType: request.export_type,
        resolution: choices.resolution,
        format: choices.format,
        qualityPreset: choices.quality_preset,
        framing: request.framing ?? DEFAULT_FRAMING,
        framingFit: request.framing_fit ?? DEFAULT_FRAMING_FIT,
        loudnessLufs: request.loudness_lufs ?? null,
        segments: request.segments,
        idempotencyKey: claim?.key ?? null,
        requestFingerprint: claim?.fingerprint ?? null,
      });
    } catch (error) {
      if (claim && error instanceof UniqueConstraintError) {
        const winner = await this.findReplay(userId, claim);
        if (winner) return { record: winner, created: false };
      }
      throw error;
    }
    if (!record) throw await this.#whyVideoRefused(userId, videoId, request);
    try {
      await this.#options.queues.enqueueExport(record.id);
    } catch (error) {
      await this.#models.Export.destroy({ where: { id: record.id } });
      throw error;
    }
    return { record, created: true };
  }

  /**
   * Why the video did not take the export (the insert's conditions, one by one): unknown or another user's,
   * not probed (yet), or too short for a segment.
   */
  async #whyVideoRefused(
    userId: string,
    videoId: string,
    request: ParsedExportCreateRequest,
  ): Promise<AppError> {
    const video = await this.#models.Video.findOne({
      where: { id: videoId, user_id: userId },
      attributes: ['id', 'status', 'duration_seconds', 'error_message'],
    });
    if (!video) return new NotFoundError('No video with this id.');
    const notReady = (detail: string) => new AppError(409, 'video_not_ready', 'Video not ready', { detail });
    if (video.status !== 'completed' || video.duration_seconds === null) {
      return notReady(
        video.status === 'failed'
          ? `This video could not be read (${video.error_message ?? 'unknown reason'}), so it cannot be exported.`
          : 'This video is still being analysed. Try again in a moment.',
      );
    }
    const outside = findSegmentOutsideVideo(request.segments, video.duration_seconds);
    // every condition holds now: the video was probed between the insert and this read
    if (outside === -1) return notReady('This video has just been analysed. Try again.');
    const message = `ends after the end of the video (${video.duration_seconds.toFixed(2)} s)`;
    return new AppError(422, 'segment_out_of_range', 'Segment out of range', {
      detail: `Segment ${outside + 1} ${message}.`,
      errors: [{ path: `segments.${outside}.end_time`, message }],
    });
  }

  /**
   * The resolution, format and quality of a new export: the request's, with the user's saved defaults for
   * what it leaves out (no query when it names all three).
   */
  async #encodingChoices(
    userId: string,
    request: ParsedExportCreateRequest,
  ): Promise<{ resolution: Resolution; format: Format; quality_preset: QualityPreset }> {
    const { resolution, format, quality } = request;
    if (resolution && format && quality) return { resolution, format, quality_preset: quality };
    const defaults = await this.#options.settings.get(userId);
    return {
      resolution: resolution ?? defaults.default_resolution,
      format: format ?? defaults.default_format,
      quality_preset: quality ?? defaults.default_quality,
    };
  }

  /** The user's export, or a 404 (also for another user's id). */
  async get(userId: string, exportId: string): Promise<Export> {
    const record = await this.#models.Export.findOne({ where: { id: exportId, user_id: userId } });
    if (!record) throw new NotFoundError('No export with this id.');
    return record;
  }

  /** One page of the user's exports, optionally of one video, filtered and sorted. */
  async list(userId: string, query: ExportListQuery, videoId?: string): Promise<ExportList> {
    if (videoId) {
      const video = await this.#models.Video.findOne({
        where: { id: videoId, user_id: userId },
        attributes: ['id'],
      });
      if (!video) throw new NotFoundError('No video with this id.');
    }
    const where: WhereOptions<Export> = {
      user_id: userId,
      ...(videoId && { video_id: videoId }),
      ...(query.status && { status: query.status }),
      ...(query.export_type && { export_type: query.export_type }),
    };
    const [rows, total] = await Promise.all([
      this.#models.Export.findAll({
        where,
        order: listOrder(query.sort, query.order),
        limit: query.limit,
        offset: (query.page - 1) * query.limit,
      }),
      countExports(this.#models.Export.sequelize!, {
        userId,
        videoId,
        status: query.status,
        exportType: query.export_type,
      }),
    ]);
    return { exports: rows.map(toExportResponse), total, page: query.page, limit: query.limit };
  }

  /**
   * `DELETE /api/exports/{id}`: a pending or processing export is cancelled (and answered), a finished one
   * is deleted with its stored files (undefined).
   */
  async cancelOrDelete(userId: string, exportId: string): Promise<Export | undefined> {
    const record = await this.get(userId, exportId);
    if (!isTerminalExportStatus(record.status)) {
      const cancelled = await this.#cancel(record);
      if (cancelled) return cancelled;
      throw notCancellable(
        'The export finished before it could be cancelled. Delete it instead if you do not want it.',
      );
    }
    await this.#options.storage.deletePrefix(`exports/${userId}/${record.id}/`);
    await record.destroy();
    await this.#options.redis.del(RedisKeys.exportProgress(record.id)).catch(() => undefined);
    return undefined;
  }

  /**
   * `POST /api/exports/{id}/cancel`: cancels a pending or processing export and answers it; one already
   * cancelled is answered as it is, so a repeated cancel (a retry whose first answer was lost) is harmless.
   * A completed or failed export is refused and kept: cancelling never deletes anything.
   */
  async cancel(userId: string, exportId: string): Promise<Export> {
    const record = await this.get(userId, exportId);
    // the update races the worker and other cancels: when it changes nothing, read what the export became
    const current = isTerminalExportStatus(record.status)
      ? record
      : ((await this.#cancel(record)) ?? (await this.get(userId, exportId)));
    if (current.status === 'cancelled') return current;
    throw notCancellable('This export has already finished; it can no longer be cancelled.');
  }

  /** Cancels every pending or processing export of a video (before the video is deleted). */
  async cancelExportsOfVideo(userId: string, videoId: string): Promise<void> {
    const running = await this.#models.Export.findAll({
      where: { user_id: userId, video_id: videoId, status: { [Op.in]: ['pending', 'processing'] } },
    });
    await Promise.all(running.map((record) => this.#cancel(record).catch(() => undefined)));
  }

  /** Cancels the export if it is still pending or processing; undefined when it had finished meanwhile. */
  async #cancel(record: Export): Promise<Export | undefined> {
    const [updated, rows] = await this.#models.Export.update(
      { status: 'cancelled', completed_at: new Date() },
      { where: { id: record.id, status: { [Op.in]: ['pending', 'processing'] } }, returning: true },
    );
    if (updated === 0) return undefined;
    const cancelled = rows[0]!;
    await this.#signalCancel(cancelled, record.status === 'pending');
    return cancelled;
  }

  /** Tells the worker (pub/sub and a key it checks) and the watchers (progress); the database already says so. */
  async #signalCancel(record: Export, wasQueued: boolean): Promise<void> {
    const { redis, queues, progress, logger } = this.#options;
    try {
      await redis
        .multi()
        .set(RedisKeys.exportCancel(record.id), '1', 'EX', CANCEL_SIGNAL_TTL_SECONDS)
        .publish(RedisKeys.exportCancelChannel, record.id)
        .exec();
      await progress.write(record.id, { ...progressFromRecord(record), user_id: record.user_id });
      if (wasQueued) await queues.removeExport(record.id);
    } catch (error) {
      logger.warn(`cancel signal for export ${record.id} not sent: ${(error as Error).message}`);
    }
  }

  /** A time-limited URL of the finished file; 409 until the export completed. */
  async createDownload(
    userId: string,
    exportId: string,
    origin: string | undefined,
  ): Promise<ExportDownload> {
    const record = await this.get(userId, exportId);
    if (record.status !== 'completed' || !record.output_s3_key) {
      throw new AppError(409, 'export_not_completed', 'Export not completed', {
        detail: `The export is ${record.status}; it can be downloaded once it has completed.`,
      });
    }
    const video = await this.#models.Video.findByPk(record.video_id, { attributes: ['title'] });
    const { url, expiresAt } = await this.#options.storage.createDownloadUrl(record.output_s3_key, {
      expiresInSeconds: this.#options.downloadUrlTtlSeconds,
      filename: exportFileName(video?.title ?? 'export', record),
    });
    return { url: linkOn(origin, url), expires_at: expiresAt.toISOString() };
  }
}
