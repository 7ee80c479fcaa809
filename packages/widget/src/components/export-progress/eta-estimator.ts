/**
 * Estimates the seconds left of an export from its progress measurements. The progress rate is smoothed
 * exponentially, so one slow or fast interval moves the estimate only a little, and the estimate never grows
 * while progress advances: a person reads a rising "time left" as the export going backwards.
 */
export class EtaEstimator {
  /** Weight of the newest rate measurement: higher follows real changes sooner, lower is steadier. */
  readonly #smoothing: number;
  /** Percent per second, smoothed; undefined until two measurements. */
  #rate: number | undefined;
  #last: { progress: number; at: number } | undefined;
  #seconds: number | undefined;

  constructor(smoothing = 0.3) {
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new RangeError(`smoothing must be above 0 and at most 1, not ${smoothing}`);
    }
    this.#smoothing = smoothing;
  }

  /** Seconds left, or undefined while there is no measured speed yet. */
  get secondsLeft(): number | undefined {
    return this.#seconds;
  }

  /** Forgets every measurement (another export, or one that started over). */
  reset(): void {
    this.#rate = undefined;
    this.#last = undefined;
    this.#seconds = undefined;
  }

  /** Adds a measurement: `progress` in percent (0–100) at `at` seconds on any clock that does not go back. */
  add(progress: number, at: number): void {
    const last = this.#last;
    if (last && progress < last.progress) this.reset();
    if (!this.#last) {
      this.#last = { progress, at };
      return;
    }
    // An unchanged value keeps the last advance's time, so a stall lowers the next rate measured.
    if (progress === this.#last.progress || at <= this.#last.at) return;
    const measured = (progress - this.#last.progress) / (at - this.#last.at);
    this.#rate =
      this.#rate === undefined ? measured : this.#smoothing * measured + (1 - this.#smoothing) * this.#rate;
    this.#last = { progress, at };
    const estimate = Math.max(0, 100 - progress) / this.#rate;
    this.#seconds = this.#seconds === undefined ? estimate : Math.min(this.#seconds, estimate);
  }
}
