import type { ExportChunkPiece } from '@vexport/sdk';
import type { Redis } from 'ioredis';
import type { H264Encoder } from '../media/encoding.js';
import type { MediaProbe } from '../media/media-probe.js';
import type { ChunkedPlan } from '../media/plan-chunk-steps.js';
import type { ExportRequest } from '../media/plan-types.js';

/** Everything a piece of a chunked export needs, decided once by the export job that split it. */
export interface ChunkSpec {
  /**
   * Names this split of the export: a piece still running from an earlier split whose state Redis lost
   * (the export recovered and split again, see QueueReconciler) tells itself apart by it.
   */
  splitId: string;
  userId: string;
  /** The source's storage key. */
  sourceKey: string;
  plan: ChunkedPlan;
  probe: MediaProbe;
  request: ExportRequest;
  /** Every piece encodes with the encoder the plan was made for, so the chunks' bitstreams match. */
  encoder: H264Encoder;
  /** Base of the deliverable's file name, without extension. */
  outputName: string;
  /** The pieces encoded before the join (video chunks and audio), each with its share of the work. */
  weights: Partial<Record<ExportChunkPiece, number>>;
  /** The whole export's work, the join's included, in the same unit as the weights. */
  totalWeight: number;
  /** When the export started (ms since the epoch), for the remaining-time estimate. */
  startedAt: number;
}

/** Seconds a chunked export's state lives in Redis: long past any export, so a lost one cannot linger. */
export const CHUNK_STATE_TTL_SECONDS = 24 * 60 * 60;

/**
 * Lua: the work done of the export whose state is KEYS[1] — the weight of the pieces done, and the share of
 * their weight that the running pieces reported (KEYS[2], piece → weight × fraction) — as a string.
 */
const WORK_DONE = `
local function workDone()
  local total = tonumber(redis.call('HGET', KEYS[1], 'weight-done') or '0')
  for _, partial in ipairs(redis.call('HVALS', KEYS[2])) do total = total + tonumber(partial) end
  return tostring(total)
end
`;

/**
 * KEYS: state, running pieces' progress. ARGV: piece, its weight, pieces before the join, ttl, split id.
 * Marks a piece done once (a re-run of a done piece changes nothing), adds its weight and forgets its partial
 * progress; returns the work done (see WORK_DONE), and whether this call is the one that found every piece
 * done (and so queues the join): -1 when the state is gone (the export was cancelled or failed meanwhile) or
 * is another split's.
 */
const MARK_DONE = `${WORK_DONE}
if redis.call('HGET', KEYS[1], 'split') ~= ARGV[5] then return {-1, '0'} end
if redis.call('HSETNX', KEYS[1], 'done:' .. ARGV[1], '1') == 1 then
  redis.call('HINCRBY', KEYS[1], 'pieces-done', 1)
  redis.call('HINCRBYFLOAT', KEYS[1], 'weight-done', ARGV[2])
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
local done = tonumber(redis.call('HGET', KEYS[1], 'pieces-done'))
if done >= tonumber(ARGV[3]) and redis.call('HSETNX', KEYS[1], 'join-queued', '1') == 1 then
  return {1, workDone()}
end
return {0, workDone()}
`;

/**
 * KEYS: state, running pieces' progress. ARGV: piece, the weight it has done so far, ttl, split id.
 * Records how far a running piece is and returns the whole export's work done (see WORK_DONE), so that
 * pieces running side by side on different workers add up; nothing (and no record) when the state is gone,
 * is another split's, or the piece is done already (a late report of its last try).
 */
const PIECE_PROGRESS = `${WORK_DONE}
if redis.call('HGET', KEYS[1], 'split') ~= ARGV[4] then return false end
if redis.call('HEXISTS', KEYS[1], 'done:' .. ARGV[1]) == 1 then return false end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return workDone()
`;

/** What marking a piece done found: the export's work done (see WORK_DONE), and whether it was the last. */
export type MarkDoneResult = { state: 'gone' } | { state: 'recorded'; workDone: number; lastPiece: boolean };

/**
 * The Redis state of the chunked exports: one hash per export (`{namespace}:chunks:{export}`) holding the
 * spec and which pieces are done, written atomically so that exactly one piece queues the join.
 */
export class ChunkState {
  readonly #redis: Redis;
  readonly #namespace: string;

  constructor(redis: Redis, { namespace = 'vexport' }: { namespace?: string } = {}) {
    this.#redis = redis;
    this.#namespace = namespace;
  }

  key(exportId: string): string {
    return `{${this.#namespace}}:chunks:${exportId}`;
  }

  /** The running pieces' progress, apart from the state so that summing it reads no spec. */
  #progressKey(exportId: string): string {
    return `${this.key(exportId)}:progress`;
  }

  /** Stores a fresh spec (forgetting any earlier run's pieces). */
  async create(exportId: string, spec: ChunkSpec): Promise<void> {
    const key = this.key(exportId);
    await this.#redis
      .multi()
      .del(key, this.#progressKey(exportId))
      .hset(key, 'spec', JSON.stringify(spec), 'split', spec.splitId)
      .expire(key, CHUNK_STATE_TTL_SECONDS)
      .exec();
  }

  /** The spec, or undefined when the export's state is gone. */
  async spec(exportId: string): Promise<ChunkSpec | undefined> {
    const raw = await this.#redis.hget(this.key(exportId), 'spec');
    return raw === null ? undefined : (JSON.parse(raw) as ChunkSpec);
  }

  async isDone(exportId: string, piece: ExportChunkPiece): Promise<boolean> {
    return (await this.#redis.hexists(this.key(exportId), `done:${piece}`)) === 1;
  }

  /** True when every piece before the join is done. */
  async allDone(exportId: string, spec: ChunkSpec): Promise<boolean> {
    const done = Number((await this.#redis.hget(this.key(exportId), 'pieces-done')) ?? 0);
    return done >= Object.keys(spec.weights).length;
  }

  async markDone(exportId: string, piece: ExportChunkPiece, spec: ChunkSpec): Promise<MarkDoneResult> {
    const pieces = Object.keys(spec.weights).length;
    const [flag, work] = (await this.#redis.eval(
      MARK_DONE,
      2,
      this.key(exportId),
      this.#progressKey(exportId),
      piece,
      spec.weights[piece] ?? 0,
      pieces,
      CHUNK_STATE_TTL_SECONDS,
      spec.splitId,
    )) as [number, string];
    if (flag === -1) return { state: 'gone' };
    return { state: 'recorded', workDone: Number(work), lastPiece: flag === 1 };
  }

  /**
   * Records that a running piece has done `weightDone` of its weight; resolves to the whole export's work
   * done, or undefined when the piece's report no longer counts (see PIECE_PROGRESS).
   */
  async pieceProgress(
    exportId: string,
    piece: ExportChunkPiece,
    weightDone: number,
    spec: ChunkSpec,
  ): Promise<number | undefined> {
    const work = (await this.#redis.eval(
      PIECE_PROGRESS,
      2,
      this.key(exportId),
      this.#progressKey(exportId),
      piece,
      weightDone,
      CHUNK_STATE_TTL_SECONDS,
      spec.splitId,
    )) as string | null;
    return work === null ? undefined : Number(work);
  }

  async remove(exportId: string): Promise<void> {
    await this.#redis.del(this.key(exportId), this.#progressKey(exportId));
  }
}
