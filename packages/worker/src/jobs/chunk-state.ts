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
 * KEYS: state. ARGV: piece, its weight, pieces before the join, ttl, split id.
 * Marks a piece done once (a re-run of a done piece changes nothing) and adds its weight; returns the weight
 * done, and whether this call is the one that found every piece done (and so queues the join): -1 when the
 * state is gone (the export was cancelled or failed meanwhile) or is another split's.
 */
const MARK_DONE = `
if redis.call('HGET', KEYS[1], 'split') ~= ARGV[5] then return {-1, '0'} end
local weight = redis.call('HGET', KEYS[1], 'weight-done') or '0'
if redis.call('HSETNX', KEYS[1], 'done:' .. ARGV[1], '1') == 1 then
  redis.call('HINCRBY', KEYS[1], 'pieces-done', 1)
  weight = redis.call('HINCRBYFLOAT', KEYS[1], 'weight-done', ARGV[2])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
local done = tonumber(redis.call('HGET', KEYS[1], 'pieces-done'))
if done >= tonumber(ARGV[3]) and redis.call('HSETNX', KEYS[1], 'join-queued', '1') == 1 then
  return {1, weight}
end
return {0, weight}
`;

/** What marking a piece done found. */
export type MarkDoneResult =
  { state: 'gone' } | { state: 'recorded'; weightDone: number; lastPiece: boolean };

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

  /** Stores a fresh spec (forgetting any earlier run's pieces). */
  async create(exportId: string, spec: ChunkSpec): Promise<void> {
    const key = this.key(exportId);
    await this.#redis
      .multi()
      .del(key)
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

  /** The weight of the pieces done so far. */
  async weightDone(exportId: string): Promise<number> {
    return Number((await this.#redis.hget(this.key(exportId), 'weight-done')) ?? 0);
  }

  /** True when every piece before the join is done. */
  async allDone(exportId: string, spec: ChunkSpec): Promise<boolean> {
    const done = Number((await this.#redis.hget(this.key(exportId), 'pieces-done')) ?? 0);
    return done >= Object.keys(spec.weights).length;
  }

  async markDone(exportId: string, piece: ExportChunkPiece, spec: ChunkSpec): Promise<MarkDoneResult> {
    const pieces = Object.keys(spec.weights).length;
    const [flag, weight] = (await this.#redis.eval(
      MARK_DONE,
      1,
      this.key(exportId),
      piece,
      spec.weights[piece] ?? 0,
      pieces,
      CHUNK_STATE_TTL_SECONDS,
      spec.splitId,
    )) as [number, string];
    if (flag === -1) return { state: 'gone' };
    return { state: 'recorded', weightDone: Number(weight), lastPiece: flag === 1 };
  }

  async remove(exportId: string): Promise<void> {
    await this.#redis.del(this.key(exportId));
  }
}
