import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the transport plays: the host's time and, when there is one, its video. */
export interface TransportTarget {
  video(): HTMLVideoElement | undefined;
  time(): number;
  duration(): number;
  /** Moves the playhead during reverse play, or during any play without a video. */
  step(time: number): void;
}

/** The fastest shuttle speed J and L reach by repeated presses. */
const MAX_RATE = 8;

/**
 * J/K/L shuttle and space play/pause, as editors have them: L plays forwards (again: faster), J backwards,
 * K stops. Forward play with a video is the video's own; backward play (which `<video>` cannot do) and any
 * play without a video move the playhead frame by frame on animation frames.
 */
export class TransportController implements ReactiveController {
  /** Playback speed: negative backwards, 0 stopped. */
  rate = 0;

  #host: ReactiveControllerHost;
  #target: TransportTarget;
  #frame = 0;
  #last = 0;

  constructor(host: ReactiveControllerHost, target: TransportTarget) {
    this.#host = host;
    this.#target = target;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** L (`direction` 1) or J (-1): play that way, or faster when already playing that way. */
  shuttle(direction: 1 | -1): void {
    const faster = Math.sign(this.rate) === direction ? Math.abs(this.rate) * 2 : 1;
    this.#play(direction * Math.min(MAX_RATE, faster));
  }

  /** Space: stop when playing, otherwise play forwards at normal speed. */
  toggle(): void {
    if (this.rate !== 0) this.stop();
    else this.#play(1);
  }

  /** K: stop. */
  stop(): void {
    this.#play(0);
  }

  /** Follows the video stopping by itself (its own controls, its end) so J/K/L start from the truth. */
  videoPaused(): void {
    if (this.rate > 0) this.#play(0);
  }

  #play(rate: number): void {
    this.rate = rate;
    cancelAnimationFrame(this.#frame);
    const video = this.#target.video();
    if (video) {
      if (rate > 0) {
        video.playbackRate = rate;
        void video.play().catch(() => this.videoPaused());
      } else if (!video.paused) {
        video.pause();
      }
    }
    if (rate < 0 || (rate > 0 && !video)) {
      this.#last = performance.now();
      this.#frame = requestAnimationFrame((now) => this.#tick(now));
    }
    this.#host.requestUpdate();
  }

  #tick(now: number): void {
    const elapsed = (now - this.#last) / 1000;
    this.#last = now;
    const next = Math.min(this.#target.duration(), Math.max(0, this.#target.time() + elapsed * this.rate));
    this.#target.step(next);
    const atEnd = this.rate < 0 ? next <= 0 : next >= this.#target.duration();
    if (atEnd) this.stop();
    else this.#frame = requestAnimationFrame((later) => this.#tick(later));
  }
}
