/**
 * Where one export's time went, phase by phase (queue pick-up, probe, encode, checks, upload…), logged when
 * it completes: the fixed cost around the encode is read from the worker itself, not guessed from outside.
 */
export class PhaseTimings {
  readonly #spans = new Map<string, number>();
  readonly #now: () => number;

  constructor({ now = () => performance.now() }: { now?: () => number } = {}) {
    this.#now = now;
  }

  /** Runs `work`, adding its milliseconds to `phase` (whether it resolves or throws). */
  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = this.#now();
    try {
      return await work();
    } finally {
      this.add(phase, this.#now() - started);
    }
  }

  /** Adds `ms` to `phase`. */
  add(phase: string, ms: number): void {
    this.#spans.set(phase, (this.#spans.get(phase) ?? 0) + ms);
  }

  /** Each phase's whole milliseconds, in the order the phases first ran. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.#spans].map(([phase, ms]) => [phase, Math.round(ms)]));
  }
}
