/** Progress (percent) and time (seconds) the first rate must span before a person is shown an estimate. */
const TRUSTED_PROGRESS = 3;
const TRUSTED_SECONDS = 2;

/**
 * Estimates the seconds left of an export from its progress measurements. Nothing is estimated until progress
 * has moved enough over enough time to trust: the first readings come from quick setup steps and would promise
 * an end that never comes. The progress rate is then smoothed exponentially, so one slow or fast interval moves
 * the estimate only a little. The time left counts down with the clock and never grows while the countdown
 * lasts: a person reads a rising "time left" as the export going backwards. Once the countdown runs out with
 * the export still going, the estimate is unknown again until the next measurement says how long is left.
 */
export class EtaEstimator {
  /** Weight of the newest rate measurement: higher follows real changes sooner, lower is steadier. */
  readonly #smoothing: number;
  /** Percent per second, smoothed; undefined until progress has moved enough to trust. */
  #rate: number | undefined;
  #first: { progress: number; at: number } | undefined;
  #last: { progress: number; at: number } | undefined;
  /** The time left shown, as of `at` on the measurement clock and `receivedAt` on the caller's clock. */
  #shown: { seconds: number; at: number; receivedAt: number } | undefined;

  constructor(smoothing = 0.3) {
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new RangeError(`smoothing must be above 0 and at most 1, not ${smoothing}`);
    }
    this.#smoothing = smoothing;
  }

  /** Seconds left as of the latest measurement, or undefined while unknown. */
  get secondsLeft(): number | undefined {
    return this.#shown && this.#shown.seconds > 0 ? this.#shown.seconds : undefined;
  }

  /**
   * Seconds left at `now` (the clock `add` was given as `receivedAt`), counting down from the latest
   * measurement; undefined while unknown, also once the countdown has run out.
   */
  secondsLeftAt(now: number): number | undefined {
    if (!this.#shown) return undefined;
    const left = this.#shown.seconds - Math.max(0, now - this.#shown.receivedAt);
    return left > 0 ? left : undefined;
  }

  /** Forgets every measurement (another export, or one that started over). */
  reset(): void {
    this.#rate = undefined;
    this.#first = undefined;
    this.#last = undefined;
    this.#shown = undefined;
  }

  /**
   * Adds a measurement: `progress` in percent (0–100) at `at` seconds on any clock that does not go back;
   * `receivedAt` is when it arrived on the clock later passed to `secondsLeftAt` (`at` by default).
   */
  add(progress: number, at: number, receivedAt = at): void {
    const last = this.#last;
    if (last && progress < last.progress) this.reset();
    if (!this.#last || !this.#first) {
      this.#first = { progress, at };
      this.#last = { progress, at };
      return;
    }
    // An unchanged value keeps the last advance's time, so a stall lowers the next rate measured.
    if (progress === this.#last.progress || at <= this.#last.at) return;
    this.#rate = this.#nextRate(progress, at);
    this.#last = { progress, at };
    if (this.#rate === undefined) return;
    const estimate = Math.max(0, 100 - progress) / this.#rate;
    const countdown = this.#shown ? this.#shown.seconds - (at - this.#shown.at) : 0;
    this.#shown = { seconds: countdown > 0 ? Math.min(countdown, estimate) : estimate, at, receivedAt };
  }

  #nextRate(progress: number, at: number): number | undefined {
    const first = this.#first!;
    if (this.#rate === undefined) {
      const trusted = progress - first.progress >= TRUSTED_PROGRESS && at - first.at >= TRUSTED_SECONDS;
      return trusted ? (progress - first.progress) / (at - first.at) : undefined;
    }
    const last = this.#last!;
    const measured = (progress - last.progress) / (at - last.at);
    return this.#smoothing * measured + (1 - this.#smoothing) * this.#rate;
  }
}
