import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST_SLICE, REAL_WORLD_DIR, everyCase, realWorldSources, segmentsFor } from './corpus.js';

describe('realWorldSources', () => {
  it('lists every media file of the folder, not its notes, and marks the file without video for refusal', () => {
    const sources = realWorldSources();
    expect(sources.map((source) => source.name)).toEqual(
      readdirSync(REAL_WORLD_DIR)
        .filter((name) => name.includes('--'))
        .sort(),
    );
    expect(sources).toHaveLength(42);
    expect(sources.filter((source) => source.refuse).map((source) => source.name)).toEqual([
      'mediabunny--multiple-aac-tracks.mp4',
    ]);
  });
});

describe('everyCase', () => {
  it('asks each source for single, combined and clips in mp4, mov and webm', () => {
    const cases = everyCase(realWorldSources().slice(0, 2));
    expect(cases).toHaveLength(18);
    expect(new Set(cases.map((testCase) => `${testCase.exportType} ${testCase.format}`)).size).toBe(9);
  });
});

describe('FAST_SLICE', () => {
  it('names sources of the corpus in at least six containers, each source once', () => {
    const names = realWorldSources().map((source) => source.name);
    for (const testCase of FAST_SLICE) expect(names).toContain(testCase.source);
    const extensions = FAST_SLICE.map((testCase) => testCase.source.split('.').at(-1));
    expect(new Set(extensions).size).toBeGreaterThanOrEqual(6);
    expect(new Set(FAST_SLICE.map((testCase) => testCase.source)).size).toBe(FAST_SLICE.length);
  });
});

describe('segmentsFor', () => {
  it('starts combined and clips at 13% and 61% of the duration, at most 2 s each, inside the video', () => {
    expect(segmentsFor('combined', 10)).toEqual([
      { start_time: 1.3, end_time: 3.3 },
      { start_time: 6.1, end_time: 8.1 },
    ]);
    expect(segmentsFor('clips', 1.2)).toEqual([
      { start_time: 0.156, end_time: 0.456 },
      { start_time: 0.732, end_time: 1.032 },
    ]);
  });

  it('exports single from the start, at most 4 s', () => {
    expect(segmentsFor('single', 362.767)).toEqual([{ start_time: 0, end_time: 4 }]);
    expect(segmentsFor('single', 0.34)).toEqual([{ start_time: 0, end_time: 0.34 }]);
  });
});
