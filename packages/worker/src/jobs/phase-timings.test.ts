import { describe, expect, it } from 'vitest';
import { PhaseTimings } from './phase-timings.js';

describe('PhaseTimings', () => {
  it('adds each span to its phase, a failed one too, in the order the phases first ran', async () => {
    let clock = 0;
    const timings = new PhaseTimings({ now: () => clock });
    const span = (ms: number) => async () => {
      clock += ms;
      return ms;
    };
    expect(await timings.time('probe', span(40.4))).toBe(40.4);
    await timings.time('encode', span(5000));
    await timings.time('probe', span(10));
    await expect(
      timings.time('upload', async () => {
        clock += 7;
        throw new Error('storage down');
      }),
    ).rejects.toThrow('storage down');
    timings.add('queued', 3.6);
    expect(timings.toJSON()).toEqual({ probe: 50, encode: 5000, upload: 7, queued: 4 });
    expect(Object.keys(timings.toJSON())).toEqual(['probe', 'encode', 'upload', 'queued']);
  });
});
