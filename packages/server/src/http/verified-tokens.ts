/** Who a verified token speaks for. */
export interface TokenHolder {
  userId: string;
  externalId: string;
}

interface Remembered extends TokenHolder {
  /** Milliseconds since the epoch after which the token must be verified again. */
  until: number;
}

/**
 * Bearer tokens this process has fully verified, by their exact text, so that a client polling with the same
 * token (the widget asks for progress every second or two) is not verified again on every request. A token
 * is remembered until the earlier of its `exp` and `maxAgeMs` from now: a key taken out of the key set stops
 * being honoured within that time. Only a token identical to a verified one, signature included, can match.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, Remembered>();
  readonly #maxAgeMs: number;
  readonly #limit: number;

  constructor({ maxAgeMs, limit }: { maxAgeMs: number; limit: number }) {
    this.#maxAgeMs = maxAgeMs;
    this.#limit = limit;
  }

  /** The holder of `token` if it was verified and is still within its time, else undefined. */
  holderOf(token: string, now = Date.now()): TokenHolder | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (now >= entry.until) {
      this.#entries.delete(token);
      return undefined;
    }
    return { userId: entry.userId, externalId: entry.externalId };
  }

  /** Remembers a token that has just been verified; `expiresAt` is its `exp` claim (seconds), if any. */
  remember(token: string, holder: TokenHolder, expiresAt: unknown, now = Date.now()): void {
    const expiry = typeof expiresAt === 'number' ? expiresAt * 1000 : Number.POSITIVE_INFINITY;
    const until = Math.min(expiry, now + this.#maxAgeMs);
    if (until <= now) return;
    this.#entries.delete(token);
    if (this.#entries.size >= this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(token, { ...holder, until });
  }
}
