import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../testing/services.js';
import { ChunkState, type ChunkSpec } from '../src/jobs/chunk-state.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('REDIS_URL is not set: run integration tests through `npm test`.');
const redis = new Redis(redisUrl);
afterAll(() => redis.quit());

/** A split into two video chunks of 100 frames and the audio, as the state keeps it (the rest unread here). */
function specOf(splitId: string): ChunkSpec {
  return {
    splitId,
    userId: 'user',
    weights: { 'chunk-0': 100, 'chunk-1': 100, audio: 10 },
    totalWeight: 220,
  } as Partial<ChunkSpec> as ChunkSpec;
}

describe('ChunkState against real Redis', () => {
  const state = new ChunkState(redis, { namespace: uniqueName('chunk-state') });

  it('adds up the progress of pieces running side by side, and of those done', async () => {
    const exportId = uniqueName('export');
    const spec = specOf('split-1');
    await state.create(exportId, spec);
    expect(await state.pieceProgress(exportId, 'chunk-0', 50, spec)).toBe(50);
    // another worker's piece, at the same time
    expect(await state.pieceProgress(exportId, 'chunk-1', 30, spec)).toBe(80);
    expect(await state.pieceProgress(exportId, 'chunk-0', 70, spec)).toBe(100);
    // done: its whole weight counts once, its partial no more
    expect(await state.markDone(exportId, 'chunk-0', spec)).toEqual({
      state: 'recorded',
      workDone: 130,
      lastPiece: false,
    });
    // a late report of the done piece changes nothing
    expect(await state.pieceProgress(exportId, 'chunk-0', 90, spec)).toBeUndefined();
    expect(await state.pieceProgress(exportId, 'chunk-1', 90, spec)).toBe(190);
    expect(await state.markDone(exportId, 'chunk-1', spec)).toMatchObject({
      workDone: 200,
      lastPiece: false,
    });
    expect(await state.markDone(exportId, 'audio', spec)).toEqual({
      state: 'recorded',
      workDone: 210,
      lastPiece: true,
    });
    // marking a piece done again finds the join queued already
    expect(await state.markDone(exportId, 'audio', spec)).toMatchObject({ workDone: 210, lastPiece: false });
    await state.remove(exportId);
  });

  it('ignores the reports of another split, and of an export whose state is gone, leaving no key', async () => {
    const exportId = uniqueName('export');
    const current = specOf('split-2');
    await state.create(exportId, current);
    expect(await state.pieceProgress(exportId, 'chunk-0', 40, specOf('split-1'))).toBeUndefined();
    expect(await state.pieceProgress(exportId, 'chunk-0', 20, current)).toBe(20);
    await state.remove(exportId);
    expect(await state.pieceProgress(exportId, 'chunk-1', 60, current)).toBeUndefined();
    expect(await state.markDone(exportId, 'chunk-1', current)).toEqual({ state: 'gone' });
    expect(await redis.exists(state.key(exportId), `${state.key(exportId)}:progress`)).toBe(0);
  });

  it('starts a new split of the export from nothing', async () => {
    const exportId = uniqueName('export');
    await state.create(exportId, specOf('split-1'));
    await state.pieceProgress(exportId, 'chunk-0', 80, specOf('split-1'));
    await state.create(exportId, specOf('split-2'));
    expect(await state.pieceProgress(exportId, 'chunk-1', 10, specOf('split-2'))).toBe(10);
    await state.remove(exportId);
  });
});
