import {
  VexportError,
  isTerminalExportStatus,
  type Export,
  type ExportProgress,
  type ExportStatus,
  type Stage,
  type VexportClient,
} from '@vexport/sdk';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { defineElement } from '../../internal/define.js';
import { VexportElement } from '../../internal/vexport-element.js';
import { emit } from '../../events/export-events.js';
import { formatDuration, formatExportOptions } from '../../internal/format.js';
import { exportProgressStyles } from './export-progress.styles.js';
import { EtaEstimator } from './eta-estimator.js';
import { pageTitle, showTitleBadge } from './title-badge.js';

const STAGE_ICONS: Record<Stage, string> = {
  queued: '⏳',
  downloading: '⬇',
  processing: '⚙',
  uploading: '⬆',
  complete: '✓',
};

/** Ended exports that did not complete: the stage they stopped in would read as still at work. */
const ENDED_ICONS: Partial<Record<ExportStatus, string>> = {
  failed: '⚠',
  cancelled: '⊘',
};

/**
 * @summary Live progress of one export: the video's name, the export's options and a poster; bar, stage,
 * elapsed time and an ETA smoothed from the measured speed; cancel (with confirmation), retry after a
 * failure, download and preview when done. `compact` fits a toast; `notify` tells a person in another tab.
 *
 * @event export-completed - The export finished; `detail.export` has its file.
 * @event export-failed - The export failed; `detail.export.error_message` says why.
 * @event export-cancelled - The export was cancelled.
 * @event export-created - Retry started a new export; `detail.export` is the new record (this element follows it).
 *
 * @csspart poster - The poster image.
 * @csspart name - The video's name.
 * @csspart options - The export's options (type, resolution, format, quality).
 * @csspart bar - The progress track.
 * @csspart fill - The filled part.
 * @csspart stage - The stage line.
 * @csspart times - Elapsed time and ETA.
 * @csspart actions - The buttons.
 * @csspart preview - The video shown when done.
 * @csspart error - The failure message.
 *
 * @tagname export-progress
 */
export class ExportProgressElement extends VexportElement {
  static override styles = exportProgressStyles;

  /** The export to follow. */
  @property({ attribute: 'export-id' }) exportId = '';

  /**
   * The video's name as the host knows it; when empty, the element shows the title of the export's video
   * record, if the client can fetch it.
   */
  @property({ attribute: 'video-name' }) videoName = '';

  /** URL of an image of the video (a frame or thumbnail) shown beside the progress. */
  @property() poster = '';

  /** A one-line layout for toasts and narrow places: no options line and no preview. */
  @property({ type: Boolean, reflect: true }) compact = false;

  /**
   * When the export completes: a system notification (only where the page already has permission; asking
   * is the host's choice) and a "✓ Export ready" badge on the page's title until the person comes back.
   */
  @property({ type: Boolean }) notify = false;

  /** Milliseconds between progress requests when Server-Sent Events are not available. */
  @property({ type: Number, attribute: 'poll-interval' }) pollInterval = 2000;

  @state() protected progress: ExportProgress | undefined;
  @state() protected record: Export | undefined;
  @state() protected confirmingCancel = false;
  @state() protected connectionProblem = false;
  @state() protected busy = false;
  /** The video record's title, when `video-name` is empty. */
  @state() protected videoTitle = '';
  @state() protected secondsLeft: number | undefined;

  #eta = new EtaEstimator();
  /** Counts the time left down between measurements, which may be far apart while a pass stalls. */
  #etaTicker: ReturnType<typeof setInterval> | undefined;

  #watching: AbortController | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatching();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#startWatching();
  }

  protected override updated(changed: PropertyValues): void {
    if (
      changed.has('exportId') ||
      changed.has('client') ||
      changed.has('contextClient') ||
      changed.has('pollInterval')
    ) {
      this.#startWatching();
    }
  }

  #stopWatching(): void {
    this.#watching?.abort();
    this.#watching = undefined;
    clearInterval(this.#etaTicker);
    this.#etaTicker = undefined;
  }

  #tickEta = (): void => {
    this.secondsLeft = this.#eta.secondsLeftAt(performance.now() / 1000);
  };

  #startWatching(): void {
    this.#stopWatching();
    const api = this.api;
    if (!api || !this.exportId || !this.isConnected) return;
    const controller = new AbortController();
    this.#watching = controller;
    this.progress = undefined;
    this.record = undefined;
    this.videoTitle = '';
    this.confirmingCancel = false;
    this.#eta.reset();
    this.secondsLeft = undefined;
    void this.#describe(api, this.exportId, controller.signal);
    void this.#watch(api, this.exportId, controller.signal);
  }

  /** The export's options and its video's title; the card shows progress without them if they fail. */
  async #describe(api: VexportClient, exportId: string, signal: AbortSignal): Promise<void> {
    try {
      const record = await api.getExport(exportId, { signal });
      if (signal.aborted) return;
      this.record ??= record;
      if (this.videoName || typeof api.getVideo !== 'function') return;
      const video = await api.getVideo(record.video_id, { signal });
      if (!signal.aborted) this.videoTitle = video.title;
    } catch {
      // a name and options are a courtesy; progress and errors have their own channel
    }
  }

  /** The name shown for the video, or '' when there is none. */
  protected get displayName(): string {
    return this.videoName || this.videoTitle;
  }

  #measure(progress: ExportProgress): void {
    if (progress.status !== 'processing') {
      clearInterval(this.#etaTicker);
      this.#etaTicker = undefined;
      return;
    }
    const at = progress.updated_at ? Date.parse(progress.updated_at) / 1000 : performance.now() / 1000;
    this.#eta.add(progress.progress, at, performance.now() / 1000);
    this.#tickEta();
    this.#etaTicker ??= setInterval(this.#tickEta, 1_000);
  }

  async #watch(api: VexportClient, exportId: string, signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt += 1) {
      try {
        for await (const progress of api.watchExport(exportId, {
          signal,
          pollIntervalMs: this.pollInterval,
        })) {
          this.progress = progress;
          this.#measure(progress);
          this.connectionProblem = false;
          if (isTerminalExportStatus(progress.status)) {
            await this.#finish(api, exportId, signal);
            return;
          }
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof VexportError && error.status >= 400 && error.status < 500) return;
        this.connectionProblem = true;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 15_000)));
      }
    }
  }

  async #finish(api: VexportClient, exportId: string, signal: AbortSignal): Promise<void> {
    const record = await api.getExport(exportId, { signal });
    if (signal.aborted) return;
    this.record = record;
    if (record.status === 'completed' && this.notify) this.#announce();
    const event =
      record.status === 'completed'
        ? 'export-completed'
        : record.status === 'failed'
          ? 'export-failed'
          : 'export-cancelled';
    emit(this, event, { export: record });
  }

  #announce(): void {
    const text = this.text;
    const name = this.displayName;
    if ('Notification' in window && Notification.permission === 'granted') {
      new Notification(text.exportReadyNotification, {
        body: name ? text.exportReadyBody(name) : text.exportReadyFallback,
        ...(this.poster ? { icon: this.poster } : {}),
      });
    }
    showTitleBadge(text.exportReadyTitle(pageTitle()));
  }

  async #cancel(): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.busy = true;
    try {
      await api.cancelExport(this.exportId);
      this.confirmingCancel = false;
    } finally {
      this.busy = false;
    }
  }

  async #download(): Promise<void> {
    await this.api?.downloadExport(this.exportId);
  }

  async #retry(): Promise<void> {
    const api = this.api;
    const failed = this.record;
    if (!api || !failed) return;
    this.busy = true;
    try {
      const created = await api.createExport(failed.video_id, {
        export_type: failed.export_type,
        resolution: failed.resolution,
        format: failed.format,
        quality_preset: failed.quality_preset,
        segment_selections: failed.segment_selections,
      });
      emit(this, 'export-created', { export: created });
      this.exportId = created.id;
    } finally {
      this.busy = false;
    }
  }

  #previewUrl = '';

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('record') && this.record?.status === 'completed' && this.record.export_type !== 'clips') {
      const api = this.api;
      void api?.getExportDownloadUrl(this.record.id).then(({ url }) => {
        this.#previewUrl = url;
        this.requestUpdate();
      });
    }
  }

  #actions() {
    const text = this.text;
    const status = this.progress?.status;
    if (status === 'completed') {
      return html`<button class="primary" @click=${() => void this.#download()}>${text.download}</button>`;
    }
    if (status === 'failed') {
      return html`<button
        class="primary"
        ?disabled=${this.busy || !this.record}
        @click=${() => void this.#retry()}
      >
        ${text.retry}
      </button>`;
    }
    if (status === 'cancelled' || status === undefined) return nothing;
    if (this.confirmingCancel) {
      const question = this.displayName ? text.confirmStopExport(this.displayName) : text.confirmCancel;
      return html`
        <div class="confirm" role="group" aria-labelledby="stop-question">
          <p id="stop-question">${question}</p>
          <span class="buttons">
            <button class="danger" ?disabled=${this.busy} @click=${() => void this.#cancel()}>
              ${text.stopExportYes}
            </button>
            <button @click=${() => (this.confirmingCancel = false)}>${text.stopExportNo}</button>
          </span>
        </div>
      `;
    }
    return html`<button @click=${() => (this.confirmingCancel = true)}>${text.cancelExport}</button>`;
  }

  #remaining(status: ExportStatus) {
    if (status !== 'processing') return nothing;
    const text = this.text;
    const left = this.secondsLeft;
    return html`<span part="eta" class="eta"
      >${text.remaining}: ${left === undefined ? text.estimating : formatDuration(left)}</span
    >`;
  }

  #heading() {
    const name = this.displayName;
    const record = this.record;
    if (!name && !record) return nothing;
    return html`<div class="heading">
      ${name ? html`<p part="name" class="name" title=${name}>${name}</p>` : nothing}
      ${
        record && !this.compact
          ? html`<p part="options" class="options">${formatExportOptions(this.text, record)}</p>`
          : nothing
      }
    </div>`;
  }

  protected override render() {
    const text = this.text;
    const progress = this.progress;
    const percent = Math.round(progress?.progress ?? 0);
    const stage = progress?.current_stage ?? 'queued';
    const status = progress?.status ?? 'pending';
    const name = this.displayName;
    return html`
      <div class="card" data-status=${status} ?data-poster=${Boolean(this.poster)}>
        ${this.poster ? html`<img part="poster" class="poster" src=${this.poster} alt="" />` : nothing}
        <div class="body">
          ${this.#heading()}
          <div class="stage" part="stage">
            <span class="icon" aria-hidden="true">${ENDED_ICONS[status] ?? STAGE_ICONS[stage]}</span>
            <span
              >${status === 'processing' || status === 'pending' ? text.stages[stage] : text.statuses[status]}</span
            >
            <span class="percent">${percent}%</span>
          </div>
          <div
            part="bar"
            class="bar"
            role="progressbar"
            aria-label=${name ? `${text.progressLabel}: ${name}` : text.progressLabel}
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=${percent}
          >
            <div part="fill" class="fill" style="width: ${percent}%"></div>
          </div>
          <div part="times" class="times">
            ${this.compact ? nothing : html`<span>${text.elapsed}: ${formatDuration(progress?.elapsed_time ?? 0)}</span>`}
            ${this.#remaining(status)}
          </div>
          <p class="visually-hidden" aria-live="polite">
            ${text.statuses[status]} ${status === 'processing' ? text.stages[stage] : ''}
          </p>
          ${this.connectionProblem ? html`<p class="warning" role="status">${text.unreachable}</p>` : nothing}
          ${
            status === 'failed'
              ? html`<p part="error" class="error" role="alert">
                  ${this.record?.error_message ?? text.failedFallback}
                </p>`
              : nothing
          }
          ${
            status === 'completed' && this.#previewUrl && !this.compact
              ? html`<video part="preview" controls preload="metadata" src=${this.#previewUrl}></video>`
              : nothing
          }
          <div part="actions" class="actions">${this.#actions()}</div>
        </div>
      </div>
    `;
  }
}

defineElement('export-progress', ExportProgressElement);

declare global {
  interface HTMLElementTagNameMap {
    'export-progress': ExportProgressElement;
  }
}
