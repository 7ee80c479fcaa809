import { consume } from '@lit/context';
import {
  EXPORT_TYPES,
  FORMATS,
  QUALITY_PRESETS,
  RESOLUTIONS,
  estimateExportBytes,
  findSegmentOutsideVideo,
  totalSegmentDuration,
  type ExportSegmentInput,
  type ExportType,
  type Format,
  type QualityPreset,
  type Resolution,
  type VexportClient,
} from '@vexport/sdk';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { defineElement } from '../../internal/define.js';
import { clientContext } from '../../context/client-context.js';
import { loadBrowserFfmpeg, offerBrowserFfmpeg } from '../../ffmpeg/browser-ffmpeg.js';
import { planLocalExport, planPreview, runInBrowser } from '../../ffmpeg/local-export.js';
import { emit } from '../../events/export-events.js';
import { defaultStrings, type Strings } from '../../i18n/strings.js';
import { describeError } from '../../internal/describe-error.js';
import { formatBytes, formatDuration } from '../../internal/format.js';
import { exportModalStyles } from './export-modal.styles.js';

/** The export types offered for a number of segments: one segment is a single video, several are joined. */
export function offeredExportTypes(segmentCount: number): ExportType[] {
  return EXPORT_TYPES.filter((type) => (segmentCount === 1 ? type !== 'combined' : type !== 'single'));
}

/**
 * @summary The export dialog: resolution, quality, format and export type for the chosen segments, with the
 * estimated file size; starts the export.
 *
 * @event export-created - The API accepted the export; `detail.export` is the new record.
 * @event export-modal-close - The dialog closed without exporting (Cancel, Escape, or the close button).
 * @event local-export-completed - An export made in this browser is ready; `detail.blob`, `detail.fileName`.
 *
 * @csspart dialog - The native `<dialog>`.
 * @csspart form - The form inside it.
 * @csspart fieldset - Each group of options.
 * @csspart segments - The list of segments.
 * @csspart estimate - The estimated size.
 * @csspart error - The message shown when something went wrong; its `data-code` attribute holds the error's
 * stable code (`unauthorized`, `cors_refused`, `connection_error`…, see docs/widget.md).
 * @csspart submit - The Export button.
 * @csspart cancel - The Cancel button.
 * @csspart preview - The preview video.
 * @csspart local - The in-browser export's progress and download link.
 *
 * @cssproperty --vexport-color-accent - Buttons and selected options.
 * @cssproperty --vexport-color-surface - The dialog's background.
 * @cssproperty --vexport-color-text - Text.
 *
 * @tagname export-modal
 */
export class ExportModal extends LitElement {
  static override styles = exportModalStyles;

  /** The video to export from. */
  @property({ attribute: 'video-id' }) videoId = '';

  /** The chosen time ranges of the video, in seconds. */
  @property({ attribute: false }) segments: ExportSegmentInput[] = [];

  /** Whether the dialog is shown. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** Overrides of the English texts. */
  @property({ attribute: false }) strings: Partial<Strings> = {};

  /** An API client; by default the one a surrounding `<vexport-provider>` gives. */
  @property({ attribute: false }) client?: VexportClient;

  /**
   * The source video as the page has it (a File/Blob, or a same-origin URL): enables the preview and, for
   * short exports, exporting in this browser with ffmpeg.wasm (also when the API cannot be reached). Both
   * need the `@vexport/widget-ffmpeg` add-on on the page; without it they are not offered.
   */
  @property({ attribute: false }) source?: Blob | string;

  /** Longest total, in seconds, that may be exported in the browser. */
  @property({ type: Number, attribute: 'local-export-limit' }) localExportLimit = 60;

  @consume({ context: clientContext, subscribe: true })
  @state()
  protected contextClient?: VexportClient;

  @state() protected resolution: Resolution = '1080p';
  @state() protected quality: QualityPreset = 'medium';
  @state() protected format: Format = 'mp4';
  @state() protected exportType: ExportType = 'single';
  @state() protected videoDuration: number | undefined;
  @state() protected submitting = false;
  @state() protected error = '';
  /** The stable code of {@link error}'s failure; '' for messages of the form itself. */
  @state() protected errorCode = '';
  @state() protected hasAudio: boolean | undefined;
  @state() protected previewUrl = '';
  @state() protected previewing = false;
  @state() protected localProgress: number | undefined;
  @state() protected localResult: { url: string; fileName: string } | undefined;

  @query('dialog') protected dialog!: HTMLDialogElement;

  #returnFocusTo: Element | null = null;
  /** Options the user chose since the dialog opened: saved defaults arriving later leave them alone. */
  readonly #picked = new Set<'resolution' | 'format' | 'quality'>();

  protected get text(): Strings {
    return { ...defaultStrings, ...this.strings };
  }

  protected get api(): VexportClient | undefined {
    return this.client ?? this.contextClient;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('segments') && !offeredExportTypes(this.segments.length).includes(this.exportType)) {
      this.exportType = offeredExportTypes(this.segments.length)[0]!;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open')) {
      if (this.open && !this.dialog.open) this.#show();
      else if (!this.open && this.dialog.open) this.dialog.close();
    } else if (changed.has('videoId') && this.open) {
      this.error = '';
      void this.#loadVideo();
    }
  }

  #show(): void {
    this.#returnFocusTo = document.activeElement;
    this.error = '';
    this.#picked.clear();
    this.dialog.showModal();
    void this.#loadSettings();
    void this.#loadVideo();
  }

  /** The user's saved defaults, for the options not already picked while they were loading. */
  async #loadSettings(): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const settings = await api.getSettings();
      if (!this.#picked.has('resolution')) this.resolution = settings.default_resolution;
      if (!this.#picked.has('format')) this.format = settings.default_format;
      if (!this.#picked.has('quality')) this.quality = settings.default_quality;
    } catch (error) {
      this.#showError(error, this.text.loadFailed);
    }
  }

  /** The video's length and whether it has sound; an answer for a video no longer shown is dropped. */
  async #loadVideo(): Promise<void> {
    const api = this.api;
    const videoId = this.videoId;
    this.videoDuration = undefined;
    this.hasAudio = undefined;
    if (!api || !videoId) return;
    try {
      const video = await api.getVideo(videoId);
      if (videoId !== this.videoId) return;
      this.videoDuration = video.duration_seconds ?? undefined;
      this.hasAudio = video.audio_codec !== null;
    } catch (error) {
      if (videoId === this.videoId) this.#showError(error, this.text.loadFailed);
    }
  }

  #pick(option: 'resolution', value: Resolution): void;
  #pick(option: 'format', value: Format): void;
  #pick(option: 'quality', value: QualityPreset): void;
  #pick(option: 'resolution' | 'format' | 'quality', value: string): void {
    this.#picked.add(option);
    if (option === 'resolution') this.resolution = value as Resolution;
    else if (option === 'format') this.format = value as Format;
    else this.quality = value as QualityPreset;
  }

  /** The first thing that keeps the form from being sent, in words; '' when it can be sent. */
  protected validationMessage(): string {
    if (this.segments.length === 0) return this.text.noSegments;
    if (this.videoDuration !== undefined) {
      const outside = findSegmentOutsideVideo(this.segments, this.videoDuration);
      if (outside !== -1) return this.text.segmentOutside(outside + 1, formatDuration(this.videoDuration));
    }
    return '';
  }

  /** Shows a failed load's message, unless one is already shown. */
  #showError(error: unknown, fallback: string): void {
    if (this.error) return;
    const { code, message } = describeError(error, this.text, fallback);
    this.error = message;
    this.errorCode = code;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const invalid = this.validationMessage();
    if (invalid || !api) {
      this.error = invalid;
      this.errorCode = 'invalid';
      return;
    }
    this.submitting = true;
    this.error = '';
    try {
      const created = await api.createExport(this.videoId, {
        export_type: this.exportType,
        resolution: this.resolution,
        format: this.format,
        quality: this.quality,
        // only the fields of a segment: a host's segments may carry more, and the API refuses unknown fields
        segments: this.segments.map(({ start_time, end_time, clip_id, label }) => ({
          start_time,
          end_time,
          clip_id,
          label,
        })),
      });
      emit(this, 'export-created', { export: created });
      this.#close(false);
    } catch (error) {
      const { code, message } = describeError(error, this.text);
      const unreachable = code === 'connection_error' || code === 'timeout';
      this.error = unreachable && this.canExportLocally ? this.text.offlineTryLocal : message;
      this.errorCode = code;
    } finally {
      this.submitting = false;
    }
  }

  /** True when the page gave the source and the in-browser add-on is loaded. */
  protected get canWorkInBrowser(): boolean {
    return this.source !== undefined && offerBrowserFfmpeg();
  }

  /** True when this export may run in the browser: it can work there and the total is short. */
  protected get canExportLocally(): boolean {
    return (
      this.canWorkInBrowser &&
      this.exportType !== 'clips' &&
      totalSegmentDuration(this.segments) <= this.localExportLimit
    );
  }

  async #sourceBlob(): Promise<Blob> {
    const source = this.source!;
    return typeof source === 'string' ? (await fetch(source)).blob() : source;
  }

  async #preview(): Promise<void> {
    const first = this.segments[0];
    if (!first || !this.source) return;
    this.previewing = true;
    this.error = '';
    try {
      const blob = await runInBrowser(
        await loadBrowserFfmpeg(),
        await this.#sourceBlob(),
        planPreview(first),
      );
      URL.revokeObjectURL(this.previewUrl);
      this.previewUrl = URL.createObjectURL(blob);
    } catch {
      this.error = this.text.previewFailed;
      this.errorCode = 'preview_failed';
    } finally {
      this.previewing = false;
    }
  }

  async #exportLocally(): Promise<void> {
    if (!this.canExportLocally) return;
    this.submitting = true;
    this.error = '';
    this.localProgress = 0;
    const request = {
      segments: this.segments,
      resolution: this.resolution,
      quality: this.quality,
      format: this.format,
    };
    try {
      const ffmpeg = await loadBrowserFfmpeg();
      const source = await this.#sourceBlob();
      const onProgress = (fraction: number) => (this.localProgress = fraction);
      let blob: Blob;
      try {
        blob = await runInBrowser(
          ffmpeg,
          source,
          planLocalExport({ ...request, hasAudio: this.hasAudio ?? true }),
          { onProgress },
        );
      } catch (error) {
        if (this.hasAudio !== undefined) throw error;
        blob = await runInBrowser(ffmpeg, source, planLocalExport({ ...request, hasAudio: false }), {
          onProgress,
        });
      }
      const fileName = `export-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${this.format}`;
      if (this.localResult) URL.revokeObjectURL(this.localResult.url);
      this.localResult = { url: URL.createObjectURL(blob), fileName };
      this.localProgress = 1;
      emit(this, 'local-export-completed', { blob, fileName });
    } catch {
      this.localProgress = undefined;
      this.error = this.text.localExportFailed;
      this.errorCode = 'local_export_failed';
    } finally {
      this.submitting = false;
    }
  }

  #close(cancelled: boolean): void {
    this.open = false;
    if (this.dialog.open) this.dialog.close();
    if (this.#returnFocusTo instanceof HTMLElement) this.#returnFocusTo.focus();
    if (cancelled) emit(this, 'export-modal-close', {});
  }

  #onCancel(event: Event): void {
    event.preventDefault();
    if (!this.submitting) this.#close(true);
  }

  #radioGroup<Value extends string>(
    name: string,
    legend: string,
    values: readonly Value[],
    current: Value,
    labels: Record<Value, string>,
    set: (value: Value) => void,
    hints?: Record<Value, string>,
  ) {
    return html`
      <fieldset part="fieldset" ?disabled=${this.submitting}>
        <legend>${legend}</legend>
        <div class="options">
          ${values.map(
            (value) => html`
              <label class="option">
                <input
                  type="radio"
                  name=${name}
                  .value=${value}
                  .checked=${value === current}
                  @change=${() => set(value)}
                />
                <span class="option-label">${labels[value]}</span>
                ${hints ? html`<span class="hint">${hints[value]}</span>` : nothing}
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }

  protected override render() {
    const text = this.text;
    const total = totalSegmentDuration(this.segments);
    const estimate = estimateExportBytes(
      { resolution: this.resolution, quality_preset: this.quality },
      total,
    );
    const invalid = this.validationMessage();
    const message = this.error || invalid;
    return html`
      <dialog part="dialog" aria-labelledby="title" @cancel=${this.#onCancel}>
        <form part="form" method="dialog" @submit=${this.#submit} novalidate>
          <header>
            <h2 id="title">${text.modalTitle}</h2>
            <button type="button" class="icon" aria-label=${text.close} @click=${() => this.#close(true)}>
              ✕
            </button>
          </header>
          <section part="segments" aria-labelledby="segments-heading">
            <h3 id="segments-heading">${text.segmentsHeading}</h3>
            <ol>
              ${this.segments.map(
                (segment, index) => html`
                  <li>
                    <span>${segment.label ?? `#${index + 1}`}</span>
                    <span class="range"
                      >${formatDuration(segment.start_time)}–${formatDuration(segment.end_time)}</span
                    >
                    <span class="length">${formatDuration(segment.end_time - segment.start_time)}</span>
                  </li>
                `,
              )}
            </ol>
            <p class="total">${text.totalDuration}: <strong>${formatDuration(total)}</strong></p>
          </section>
          ${this.#radioGroup('export-type', text.typeLegend, offeredExportTypes(this.segments.length), this.exportType, text.types, (value) => (this.exportType = value))}
          ${this.#radioGroup('resolution', text.resolutionLegend, RESOLUTIONS, this.resolution, text.resolutions, (value) => this.#pick('resolution', value))}
          ${this.#radioGroup('quality', text.qualityLegend, QUALITY_PRESETS, this.quality, text.qualities, (value) => this.#pick('quality', value), text.qualityHints)}
          ${this.#radioGroup('format', text.formatLegend, FORMATS, this.format, text.formats, (value) => this.#pick('format', value), text.formatHints)}
          <p part="estimate" class="estimate" aria-live="polite">
            ${text.estimatedSize}: <strong>≈ ${formatBytes(estimate)}</strong>
          </p>
          ${
            message
              ? html`<p
                  part="error"
                  class="error"
                  role="alert"
                  data-code=${this.error ? this.errorCode : 'invalid'}
                >
                  ${message}
                </p>`
              : nothing
          }
          ${
            this.previewUrl
              ? html`<video
                  part="preview"
                  class="preview"
                  controls
                  muted
                  src=${this.previewUrl}
                  aria-label=${text.preview}
                ></video>`
              : nothing
          }
          ${
            this.localProgress !== undefined
              ? html`<div part="local" class="local" role="status">
                  <progress
                    max="1"
                    .value=${this.localProgress}
                    aria-label=${text.localExportProgress}
                  ></progress>
                  ${
                    this.localResult
                      ? html`<a
                          class="download"
                          href=${this.localResult.url}
                          download=${this.localResult.fileName}
                          >${text.download} ${this.localResult.fileName}</a
                        >`
                      : html`<span>${text.localExporting} ${Math.round(this.localProgress * 100)}%</span>`
                  }
                </div>`
              : nothing
          }
          <footer>
            ${
              this.canWorkInBrowser && this.segments.length > 0
                ? html`<button
                    type="button"
                    ?disabled=${this.previewing || this.submitting}
                    @click=${() => void this.#preview()}
                  >
                    ${this.previewing ? text.previewing : text.preview}
                  </button>`
                : nothing
            }
            ${
              this.canExportLocally
                ? html`<button
                    type="button"
                    ?disabled=${this.submitting || invalid !== ''}
                    @click=${() => void this.#exportLocally()}
                  >
                    ${text.exportLocally}
                  </button>`
                : nothing
            }
            <button
              part="cancel"
              type="button"
              class="secondary"
              ?disabled=${this.submitting}
              @click=${() => this.#close(true)}
            >
              ${text.cancel}
            </button>
            <button
              part="submit"
              type="submit"
              class="primary"
              ?disabled=${this.submitting || invalid !== ''}
            >
              ${this.submitting ? text.submitting : text.submit}
            </button>
          </footer>
        </form>
      </dialog>
    `;
  }
}

defineElement('export-modal', ExportModal);

declare global {
  interface HTMLElementTagNameMap {
    'export-modal': ExportModal;
  }
}
