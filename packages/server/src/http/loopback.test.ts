import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from './loopback.js';

describe('isLoopbackAddress', () => {
  it('knows the addresses of this machine, IPv4-mapped ones included', () => {
    for (const address of ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3'])
      expect(isLoopbackAddress(address)).toBe(true);
  });

  it('refuses every other address, and none', () => {
    for (const address of [
      '10.0.0.1',
      '::ffff:10.0.0.1',
      '::',
      '0.0.0.0',
      'fe80::1',
      '128.0.0.1',
      'localhost',
      undefined,
    ])
      expect(isLoopbackAddress(address)).toBe(false);
  });
});
