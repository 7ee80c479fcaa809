import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; it doubles before each further one. */
  baseDelayMs: number;
  signal?: AbortSignal | undefined;
}

/** Runs `operation` until it succeeds or `attempts` tries failed (the last error is thrown). */
export async function withRetries<T>(
  operation: () => Promise<T>,
  { attempts, baseDelayMs, signal }: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || signal?.aborted) throw error;
      await sleep(baseDelayMs * 2 ** (attempt - 1), undefined, { signal });
    }
  }
}
