import { describe, expect, it } from 'vitest';
import { VerifiedTokens } from './verified-tokens.js';

const alice = { userId: 'u-1', externalId: 'alice' };

describe('VerifiedTokens', () => {
  it('answers for the exact token only, and only while it is valid', () => {
    const tokens = new VerifiedTokens({ maxAgeMs: 60_000, limit: 10 });
    tokens.remember('a.b.c', alice, 1_000 + 30, 1_000_000);
    expect(tokens.holderOf('a.b.c', 1_000_000)).toEqual(alice);
    expect(tokens.holderOf('a.b.x', 1_000_000)).toBeUndefined();
    // exp is 1,030 s: no longer answered from then on, even though the maximum age has not passed
    expect(tokens.holderOf('a.b.c', 1_029_999)).toEqual(alice);
    expect(tokens.holderOf('a.b.c', 1_030_000)).toBeUndefined();
  });

  it('forgets a token without exp after the maximum age, and does not keep an expired one', () => {
    const tokens = new VerifiedTokens({ maxAgeMs: 60_000, limit: 10 });
    tokens.remember('no-exp', alice, undefined, 0);
    expect(tokens.holderOf('no-exp', 59_999)).toEqual(alice);
    expect(tokens.holderOf('no-exp', 60_000)).toBeUndefined();
    tokens.remember('expired', alice, 10, 20_000);
    expect(tokens.holderOf('expired', 20_000)).toBeUndefined();
  });

  it('holds at most `limit` tokens, dropping the oldest', () => {
    const tokens = new VerifiedTokens({ maxAgeMs: 60_000, limit: 2 });
    tokens.remember('one', alice, undefined, 0);
    tokens.remember('two', alice, undefined, 0);
    tokens.remember('three', alice, undefined, 0);
    expect(tokens.holderOf('one', 1)).toBeUndefined();
    expect(tokens.holderOf('two', 1)).toEqual(alice);
    expect(tokens.holderOf('three', 1)).toEqual(alice);
  });
});
