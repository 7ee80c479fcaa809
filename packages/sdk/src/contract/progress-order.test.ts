import { describe, expect, it } from 'vitest';
import { advanceProgress, stageAtPercentage, type ProgressPosition } from './progress-order.js';

const at = (
  status: ProgressPosition['status'],
  current_stage: ProgressPosition['current_stage'],
  progress: number,
): ProgressPosition => ({ status, current_stage, progress });

describe('advanceProgress', () => {
  it.each([
    ['the first update of an export', undefined, at('processing', 'downloading', 0)],
    [
      'the same position again (a fresher estimate)',
      at('processing', 'downloading', 0),
      at('processing', 'downloading', 0),
    ],
    ['further within a stage', at('processing', 'processing', 10.6), at('processing', 'processing', 42)],
    ['the next stage', at('processing', 'downloading', 10), at('processing', 'processing', 10)],
    ['a stage skipped', at('processing', 'downloading', 4), at('processing', 'uploading', 90)],
    ['the worker taking a queued export', at('pending', 'queued', 0), at('processing', 'downloading', 0)],
    [
      'a retry passing where the crashed run got',
      at('processing', 'processing', 55.3),
      at('processing', 'processing', 55.4),
    ],
  ])('takes %s', (_case, current, incoming) => {
    expect(advanceProgress(current, incoming)).toBe(incoming);
  });

  it.each([
    [
      'an older stage (downloading 0 landing after processing 10)',
      at('processing', 'processing', 10),
      at('processing', 'downloading', 0),
    ],
    [
      'an older stage at the same percentage',
      at('processing', 'processing', 0),
      at('processing', 'downloading', 0),
    ],
    [
      'a lower percentage in the same stage',
      at('processing', 'processing', 42),
      at('processing', 'processing', 41.9),
    ],
    [
      'a later stage with a lower percentage',
      at('processing', 'processing', 55.3),
      at('processing', 'uploading', 0),
    ],
    [
      'a retry restarting from 0 after a crash',
      at('processing', 'processing', 55.3),
      at('processing', 'downloading', 0),
    ],
    ['a status going back to pending', at('processing', 'downloading', 0), at('pending', 'queued', 0)],
    ['anything after completed', at('completed', 'complete', 100), at('processing', 'uploading', 100)],
    ['anything after cancelled', at('cancelled', 'processing', 40), at('processing', 'processing', 60)],
    [
      'a second terminal status after failed',
      at('failed', 'processing', 40),
      at('cancelled', 'processing', 40),
    ],
    ['completed after cancelled', at('cancelled', 'processing', 40), at('completed', 'complete', 100)],
  ])('drops %s', (_case, current, incoming) => {
    expect(advanceProgress(current, incoming)).toBeUndefined();
  });

  it.each([
    [
      'completed over a running export',
      at('processing', 'uploading', 97),
      at('completed', 'complete', 100),
      at('completed', 'complete', 100),
    ],
    [
      'cancelled from the database copy, keeping the live percentage',
      at('processing', 'processing', 55.3),
      at('cancelled', 'processing', 50),
      at('cancelled', 'processing', 55.3),
    ],
    [
      'cancelled from the database copy, keeping the live stage',
      at('processing', 'uploading', 90),
      at('cancelled', 'processing', 90),
      at('cancelled', 'uploading', 90),
    ],
    [
      'failed by a retry that had not caught up',
      at('processing', 'processing', 55.3),
      at('failed', 'downloading', 3),
      at('failed', 'processing', 55.3),
    ],
    [
      'cancelled while queued',
      at('pending', 'queued', 0),
      at('cancelled', 'queued', 0),
      at('cancelled', 'queued', 0),
    ],
  ])('ends with %s', (_case, current, incoming, expected) => {
    expect(advanceProgress(current, incoming)).toEqual(expected);
  });

  it('keeps the fields it does not judge from the update that lands', () => {
    const current = { ...at('processing', 'processing', 60), elapsed_time: 9 };
    const incoming = { ...at('failed', 'processing', 50), elapsed_time: 12 };
    expect(advanceProgress(current, incoming)).toEqual({
      ...at('failed', 'processing', 60),
      elapsed_time: 12,
    });
  });
});

describe('stageAtPercentage', () => {
  it.each([
    [0, 'downloading'],
    [9, 'downloading'],
    [10, 'downloading'],
    [11, 'processing'],
    [50, 'processing'],
    [90, 'processing'],
    [91, 'uploading'],
    [100, 'uploading'],
  ] as const)('puts %d%% in %s', (percentage, stage) => {
    expect(stageAtPercentage(percentage)).toBe(stage);
  });
});
