import {
  estimateExportBytes,
  type EstimateRequest,
  type EstimateSource,
  type ExportEstimate,
  type VexportClient,
} from '@vexport/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the dialog would export: from which video, through which client, with which options. */
export interface EstimateInput {
  api: VexportClient | undefined;
  videoId: string;
  request: EstimateRequest;
}

/** The time an export would take: being asked, unknown (no API, or it did not answer), or known. */
export type TimeEstimate =
  | { state: 'pending' }
  | { state: 'unknown' }
  | { state: 'known'; seconds: number; basis: ExportEstimate['basis'] };

/** Quiet time after the last change of options before the API is asked, so that a drag asks once. */
const ASK_AFTER_MS = 250;

/**
 * The dialog's estimates: the size, worked out here with the SDK's estimateExportBytes from the video
 * record ({@link source}), and the time, which the API estimates from the workers' measured speed. The time
 * is asked again whenever the options or segments change (an answer for older options is dropped) and no
 * longer once the host is removed.
 */
export class ExportEstimateController implements ReactiveController {
  /** The source video's record, once loaded; until then the size comes from typical rates. */
  source: EstimateSource | undefined;
  #time: TimeEstimate = { state: 'unknown' };
  /** The options the current time estimate is for ('' when none can be asked). */
  #asked = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #input: () => EstimateInput;

  constructor(host: ReactiveControllerHost, input: () => EstimateInput) {
    this.#host = host;
    this.#input = input;
    host.addController(this);
  }

  /** The expected size in bytes of the export the host would make now. */
  get bytes(): number {
    return estimateExportBytes(this.#input().request, this.source);
  }

  get time(): TimeEstimate {
    return this.#time;
  }

  hostUpdate(): void {
    const { api, videoId, request } = this.#input();
    const params = {
      video_id: videoId,
      format: request.format,
      resolution: request.resolution,
      quality_preset: request.quality_preset,
      framing: request.framing,
      framing_fit: request.framing_fit,
      segments: request.segments.map(({ start_time, end_time }) => ({ start_time, end_time })),
    };
    const key = api && videoId && params.segments.length > 0 ? JSON.stringify(params) : '';
    if (key === this.#asked) return;
    this.#stop();
    this.#asked = key;
    this.#time = key ? { state: 'pending' } : { state: 'unknown' };
    if (!api || !key) return;
    this.#timer = setTimeout(() => void this.#ask(api, params, key), ASK_AFTER_MS);
  }

  hostDisconnected(): void {
    this.#stop();
    this.#asked = '';
  }

  async #ask(
    api: VexportClient,
    params: Parameters<VexportClient['estimateExport']>[0],
    key: string,
  ): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    let time: TimeEstimate;
    try {
      const estimate = await api.estimateExport(params, { signal: abort.signal });
      time = { state: 'known', seconds: estimate.seconds, basis: estimate.basis };
    } catch {
      time = { state: 'unknown' };
    }
    if (key !== this.#asked || abort.signal.aborted) return;
    this.#time = time;
    this.#host.requestUpdate();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#abort = undefined;
  }
}
