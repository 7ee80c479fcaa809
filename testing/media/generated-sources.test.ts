import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVariableRateSources, frameIntervals } from './generated-sources.js';

describe('createVariableRateSources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-vfr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes files whose frame times really vary: jitter, gaps of seconds, 30 then 60 fps', async () => {
    const sources = await createVariableRateSources(dir);
    const phone = await frameIntervals(sources.phoneJitter);
    expect(Math.min(...phone)).toBeLessThan(0.03);
    expect(Math.max(...phone)).toBeGreaterThan(0.037);
    const screen = await frameIntervals(sources.screenGaps);
    // each gap, rounded, is the pause plus the burst's own 1/30 s
    const gaps = screen.filter((interval) => interval > 0.5).map((gap) => Math.round(gap * 10) / 10);
    expect(gaps).toEqual([1.4, 2.5, 0.6]);
    const rates = new Set(
      (await frameIntervals(sources.rateChange)).map((interval) => Math.round(1 / interval)),
    );
    expect([...rates].sort()).toEqual([30, 60]);
  });
});
