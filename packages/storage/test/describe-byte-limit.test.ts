import { describe, expect, it } from 'vitest';
import { describeByteLimit } from '../src/index.js';

describe('describeByteLimit', () => {
  it('words a size limit in the largest whole unit', () => {
    expect(describeByteLimit(5 * 1024 ** 3)).toBe('5 GiB');
    expect(describeByteLimit(300 * 1024 ** 2)).toBe('300 MiB');
    expect(describeByteLimit(64 * 1024)).toBe('64 KiB');
    expect(describeByteLimit(500)).toBe('500 bytes');
  });
});
