import { describe, expect, it } from 'vitest';
import { describeDuration } from './describe-duration.js';

describe('describeDuration', () => {
  it('words a limit in the largest unit that reads naturally', () => {
    expect(describeDuration(600)).toBe('1 s');
    expect(describeDuration(45_000)).toBe('45 s');
    expect(describeDuration(60_000)).toBe('1 min');
    expect(describeDuration(30 * 60_000)).toBe('30 min');
    expect(describeDuration(4 * 3_600_000)).toBe('4 h');
    expect(describeDuration(90 * 60_000)).toBe('1 h 30 min');
  });
});
