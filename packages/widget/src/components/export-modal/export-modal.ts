import {
  DEFAULT_EXPORT_SETTINGS,
  EXPORT_TYPES,
  FORMATS,
  FRAMINGS,
  FRAMING_FITS,
  LOUDNESS_TARGETS,
  QUALITY_PRESETS,
  RESOLUTIONS,
  findSegmentOutsideVideo,
  framedDimensions,
  totalSegmentDuration,
  type CustomPreset,
  type Export,
  type ExportSegmentInput,
  type ExportSettings,
  type ExportType,
  type Format,
  type Framing,
  type FramingFit,
  type QualityPreset,
  type Resolution,
  type SourcePicture,
} from '@vexport/sdk';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { defineElement } from '../../internal/define.js';
import { VexportElement } from '../../internal/vexport-element.js';
import { offerBrowserFfmpeg } from '../../ffmpeg/browser-ffmpeg.js';
import { emit } from '../../events/export-events.js';
import type { LoudnessChoice } from '../../i18n/strings.js';
import { describeError } from '../../internal/describe-error.js';
import { formatApproximateDuration, formatBytes, formatLoudness } from '../../internal/format.js';
import { formatLength, formatTimecode } from '../../internal/format-time.js';
import { DIALOG_RECOMMENDED_PRESETS, type DialogPreset } from '../../internal/recommended-presets.js';
import {
  defaultResolution,
  resolutionAllowed,
  resolutionFit,
  sourceShortSide,
  type Reframe,
  type SourceSize,
  type UpscalePolicy,
} from '../../internal/source-resolutions.js';
import '../export-progress/export-progress.js';
import { exportModalStyles } from './export-modal.styles.js';
import { ExportEstimateController } from './export-estimate-controller.js';
import { LocalExportController } from './local-export-controller.js';

/** The export types offered for a number of segments: one segment is a single video, several are joined. */
export function offeredExportTypes(segmentCount: number): ExportType[] {
  return EXPORT_TYPES.filter((type) => (segmentCount === 1 ? type !== 'combined' : type !== 'single'));
}

/** A preset the dialog offers: one of the user's own, or a recommended one. */
interface OfferedPreset {
  key: string;
  name: string;
  preset: Omit<DialogPreset, 'id'>;
}

/** The options a preset or the user's saved defaults set. */
type PickedOption = 'resolution' | 'format' | 'quality';

const UPSCALE_POLICIES: readonly UpscalePolicy[] = ['allow', 'warn', 'disable'];

const LOUDNESS_CHOICES: readonly LoudnessChoice[] = ['off', 'social', 'podcast', 'broadcast'];

/** The loudness target in LUFS of a choice; null leaves the sound as it is. */
function loudnessLufs(choice: LoudnessChoice): number | null {
  return choice === 'off' ? null : LOUDNESS_TARGETS[choice];
}

/** The choice offering a preset's loudness target (off for none, or for one the dialog does not offer). */
function loudnessChoice(lufs: number | null | undefined): LoudnessChoice {
  return LOUDNESS_CHOICES.find((choice) => choice !== 'off' && loudnessLufs(choice) === lufs) ?? 'off';
}

/**
 * @summary The export dialog: a preset or resolution, framing, quality, format, loudness and export type
 * for the chosen segments, with the estimated file size; starts the export.
 *
 * @event export-created - The API accepted the export; `detail.export` is the new record.
 * @event export-modal-close - The dialog closed without exporting (Cancel, Escape, or the close button).
 * @event local-export-completed - An export made in this browser is ready; `detail.blob`, `detail.fileName`.
 *
 * @csspart dialog - The native `<dialog>`.
 * @csspart form - The form inside it.
 * @csspart preset - The preset chooser (`<select>`).
 * @csspart fieldset - Each group of options.
 * @csspart segments - The list of segments.
 * @csspart estimate - The estimated size and time.
 * @csspart estimated-time - The estimated time, from the workers' measured speed (`data-state`: `known`,
 *   `pending` or `unknown`).
 * @csspart upscale-warning - The note shown when the chosen resolution (in the chosen framing) is larger
 * than the source's.
 * @csspart error - The message shown when something went wrong; its `data-code` attribute holds the error's
 * stable code (`unauthorized`, `cors_refused`, `connection_error`…, see docs/widget.md).
 * @csspart submit - The Export button.
 * @csspart cancel - The Cancel button.
 * @csspart preview - The preview video.
 * @csspart local - The in-browser export's progress and download link.
 * @csspart progress - The `<export-progress>` shown in place with `progress="inline"`.
 *
 * @cssproperty --vexport-color-accent - Buttons and selected options.
 * @cssproperty --vexport-color-surface - The dialog's background.
 * @cssproperty --vexport-color-text - Text.
 *
 * @tagname export-modal
 */
export class ExportModal extends VexportElement {
  static override styles = exportModalStyles;

  /** The video to export from. */
  @property({ attribute: 'video-id' }) videoId = '';

  /** The chosen time ranges of the video, in seconds. */
  @property({ attribute: false }) segments: ExportSegmentInput[] = [];

  /** Whether the dialog is shown. */
  @property({ type: Boolean, reflect: true }) open = false;

  /**
   * The source video as the page has it (a File/Blob, or a same-origin URL): enables the preview and, for
   * short exports, exporting in this browser with ffmpeg.wasm (also when the API cannot be reached). Both
   * need the `@vexport/widget-ffmpeg` add-on on the page; without it they are not offered.
   */
  @property({ attribute: false }) source?: Blob | string;

  /** Longest total, in seconds, that may be exported in the browser. */
  @property({ type: Number, attribute: 'local-export-limit' }) localExportLimit = 60;

  /**
   * Resolutions larger than the source's picture: `allow` offers them, `warn` (the default) offers them
   * with a note that they add no detail, `disable` offers only those that do not enlarge the source.
   */
  @property() upscale: UpscalePolicy = 'warn';

  /**
   * `inline`: after Export the dialog stays open and follows the export with `<export-progress>` in
   * place; otherwise it closes and the host shows the progress (on `export-created`).
   */
  @property() progress: 'inline' | 'close' = 'close';

  @state() protected resolution: Resolution = DEFAULT_EXPORT_SETTINGS.default_resolution;
  @state() protected quality: QualityPreset = DEFAULT_EXPORT_SETTINGS.default_quality;
  @state() protected format: Format = DEFAULT_EXPORT_SETTINGS.default_format;
  @state() protected exportType: ExportType = 'single';
  @state() protected framing: Framing = 'original';
  @state() protected framingFit: FramingFit = 'crop';
  @state() protected loudness: LoudnessChoice = 'off';
  @state() protected videoDuration: number | undefined;
  @state() protected sourceSize: SourceSize | undefined;
  /** The source's picture as the API probed it, so an in-browser export has the service's exact size. */
  #sourcePicture: SourcePicture | undefined;
  @state() protected ownPresets: CustomPreset[] = [];
  /** The key of the preset whose options are shown ('' once the user changed one of them). */
  @state() protected presetKey = '';
  @state() protected submitting = false;
  @state() protected error = '';
  /** The stable code of {@link error}'s failure; '' for messages of the form itself. */
  @state() protected errorCode = '';
  @state() protected hasAudio: boolean | undefined;
  /** The export started from this dialog, followed in place with `progress="inline"`. */
  @state() protected started: Export | undefined;

  @query('dialog') protected dialog!: HTMLDialogElement;

  #returnFocusTo: Element | null = null;
  /** The in-browser preview and export, whose object URLs go when the dialog leaves the page. */
  readonly #local = new LocalExportController(this);
  readonly #estimate = new ExportEstimateController(this, () => ({
    api: this.api,
    videoId: this.videoId,
    request: {
      format: this.format,
      resolution: this.resolution,
      quality_preset: this.quality,
      framing: this.framing,
      framing_fit: this.framingFit,
      segments: this.segments,
    },
  }));
  /** Options the user chose since the dialog opened: saved defaults arriving later leave them alone. */
  readonly #picked = new Set<PickedOption>();
  /** The saved default resolution, kept until the source's size is known. */
  #savedResolution: Resolution = DEFAULT_EXPORT_SETTINGS.default_resolution;

  /** {@link upscale}, with an unknown attribute value read as the default. */
  protected get upscalePolicy(): UpscalePolicy {
    return UPSCALE_POLICIES.includes(this.upscale) ? this.upscale : 'warn';
  }

  /** The chosen framing and fit, which the resolutions are measured in. */
  protected get reframe(): Reframe {
    return { framing: this.framing, fit: this.framingFit };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open && !this.dialog?.open) this.#reset();
    else if (changed.has('segments') && !offeredExportTypes(this.segments.length).includes(this.exportType)) {
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

  /**
   * Every opening starts from the saved defaults and the first export type offered (a single file for one
   * segment), never from what the previous opening left: a quick export of a whole video must not inherit
   * "Individual clips (ZIP)".
   */
  #reset(): void {
    this.error = '';
    this.started = undefined;
    this.presetKey = '';
    this.#picked.clear();
    this.framing = 'original';
    this.framingFit = 'crop';
    this.loudness = 'off';
    this.#applyDefaults(DEFAULT_EXPORT_SETTINGS);
    this.exportType = offeredExportTypes(this.segments.length)[0]!;
  }

  #show(): void {
    this.#returnFocusTo = document.activeElement;
    this.dialog.showModal();
    void this.#loadSettings();
    void this.#loadVideo();
  }

  /** Saved defaults, for the options not already picked since the dialog opened. */
  #applyDefaults(
    settings: Pick<ExportSettings, 'default_resolution' | 'default_format' | 'default_quality'>,
  ): void {
    this.#savedResolution = settings.default_resolution;
    if (!this.#picked.has('resolution'))
      this.resolution = defaultResolution(this.#savedResolution, this.sourceSize, this.reframe);
    if (!this.#picked.has('format')) this.format = settings.default_format;
    if (!this.#picked.has('quality')) this.quality = settings.default_quality;
  }

  /** The user's saved defaults and presets. */
  async #loadSettings(): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const settings = await api.getSettings();
      this.ownPresets = settings.custom_presets;
      this.#applyDefaults(settings);
    } catch (error) {
      this.#showError(error, this.text.loadFailed);
    }
  }

  /** The video's length, size and whether it has sound; an answer for a video no longer shown is dropped. */
  async #loadVideo(): Promise<void> {
    const api = this.api;
    const videoId = this.videoId;
    this.videoDuration = undefined;
    this.hasAudio = undefined;
    this.sourceSize = undefined;
    this.#sourcePicture = undefined;
    this.#estimate.source = undefined;
    if (!api || !videoId) return;
    try {
      const video = await api.getVideo(videoId);
      if (videoId !== this.videoId) return;
      this.videoDuration = video.duration_seconds ?? undefined;
      this.#estimate.source = video;
      this.hasAudio = video.audio_codec !== null;
      this.sourceSize = { width: video.width, height: video.height, rotation: video.rotation };
      this.#sourcePicture =
        video.width && video.height
          ? { width: video.width, height: video.height, sampleAspectRatio: 1, rotation: video.rotation ?? 0 }
          : undefined;
      if (!this.#picked.has('resolution')) {
        this.resolution = defaultResolution(this.#savedResolution, this.sourceSize, this.reframe);
      }
    } catch (error) {
      if (videoId === this.videoId) this.#showError(error, this.text.loadFailed);
    }
  }

  #pick(option: 'resolution', value: Resolution): void;
  #pick(option: 'format', value: Format): void;
  #pick(option: 'quality', value: QualityPreset): void;
  #pick(option: PickedOption, value: string): void {
    this.#picked.add(option);
    this.presetKey = '';
    if (option === 'resolution') this.resolution = value as Resolution;
    else if (option === 'format') this.format = value as Format;
    else this.quality = value as QualityPreset;
  }

  /**
   * Sets the framing and fit; under `upscale="disable"`, a resolution that would now enlarge the source
   * gives way to the largest that does not.
   */
  #reframe(framing: Framing, fit: FramingFit): void {
    this.framing = framing;
    this.framingFit = fit;
    this.presetKey = '';
    if (!resolutionAllowed(this.resolution, this.sourceSize, this.upscalePolicy, this.reframe)) {
      this.resolution = defaultResolution(this.resolution, this.sourceSize, this.reframe);
    }
  }

  /** The presets the dialog offers: the user's own first, then the recommended ones. */
  protected offeredPresets(): { own: OfferedPreset[]; recommended: OfferedPreset[] } {
    const names = this.text.recommendedPresetNames;
    return {
      own: this.ownPresets.map(({ id, name, ...preset }) => ({ key: `own:${id}`, name, preset })),
      recommended: DIALOG_RECOMMENDED_PRESETS.map(({ id, ...preset }) => ({
        key: `recommended:${id}`,
        name: this.#dialogPresetName(names[id] ?? id, preset),
        preset,
      })),
    };
  }

  /**
   * A recommended preset's name as Settings shows it too, followed by the framing and loudness that only the
   * dialog adds, so neither place promises what the other does not do.
   */
  #dialogPresetName(name: string, preset: Omit<DialogPreset, 'id'>): string {
    const framing = preset.framing && preset.framing !== 'original' ? this.text.framings[preset.framing] : '';
    const loudness = preset.loudness_lufs == null ? '' : formatLoudness(this.text, preset.loudness_lufs);
    return [name, framing, loudness].filter(Boolean).join(' · ');
  }

  /** Fills the fields from the preset with `key`, within what the source and the segments allow. */
  #choosePreset(key: string): void {
    const { own, recommended } = this.offeredPresets();
    const chosen = [...own, ...recommended].find((offered) => offered.key === key);
    if (!chosen) return;
    const { resolution, quality_preset, format, export_type, framing, framing_fit, loudness_lufs } =
      chosen.preset;
    for (const option of ['resolution', 'format', 'quality'] as const) this.#picked.add(option);
    // a preset without a framing (every saved one) describes an export in the source's shape
    this.framing = framing ?? 'original';
    this.framingFit = framing_fit ?? 'crop';
    this.loudness = loudnessChoice(loudness_lufs);
    this.resolution = resolutionAllowed(resolution, this.sourceSize, this.upscalePolicy, this.reframe)
      ? resolution
      : defaultResolution(resolution, this.sourceSize, this.reframe);
    this.quality = quality_preset;
    this.format = format;
    if (export_type && offeredExportTypes(this.segments.length).includes(export_type)) {
      this.exportType = export_type;
    }
    this.presetKey = key;
  }

  /** The first thing that keeps the form from being sent, in words; '' when it can be sent. */
  protected validationMessage(): string {
    if (this.segments.length === 0) return this.text.noSegments;
    if (this.videoDuration !== undefined) {
      const outside = findSegmentOutsideVideo(this.segments, this.videoDuration);
      if (outside !== -1) return this.text.segmentOutside(outside + 1, formatTimecode(this.videoDuration));
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
        framing: this.framing,
        framing_fit: this.framingFit,
        loudness_lufs: loudnessLufs(this.loudness),
        // only the fields of a segment: a host's segments may carry more, and the API refuses unknown fields
        segments: this.segments.map(({ start_time, end_time, clip_id, label }) => ({
          start_time,
          end_time,
          clip_id,
          label,
        })),
      });
      emit(this, 'export-created', { export: created });
      if (this.progress === 'inline') this.started = created;
      else this.#close(false);
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

  /**
   * True when this export may run in the browser: it can work there, the total is short, and it keeps the
   * source's framing and loudness (the in-browser export does neither).
   */
  protected get canExportLocally(): boolean {
    return (
      this.canWorkInBrowser &&
      this.exportType !== 'clips' &&
      this.framing === 'original' &&
      this.loudness === 'off' &&
      totalSegmentDuration(this.segments) <= this.localExportLimit
    );
  }

  async #preview(): Promise<void> {
    const first = this.segments[0];
    if (!first || !this.source) return;
    this.error = '';
    try {
      await this.#local.preview(this.source, first);
    } catch {
      this.error = this.text.previewFailed;
      this.errorCode = 'preview_failed';
    }
  }

  async #exportLocally(): Promise<void> {
    if (!this.canExportLocally) return;
    this.submitting = true;
    this.error = '';
    try {
      const { blob, fileName } = await this.#local.export(this.source!, {
        segments: this.segments,
        resolution: this.resolution,
        quality: this.quality,
        format: this.format,
        hasAudio: this.hasAudio,
        source: this.#sourcePicture,
      });
      emit(this, 'local-export-completed', { blob, fileName });
    } catch {
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
    if (cancelled && !this.started) emit(this, 'export-modal-close', {});
  }

  #onCancel(event: Event): void {
    event.preventDefault();
    if (!this.submitting) this.#close(true);
  }

  #radioGroup<Value extends string>(group: {
    name: string;
    legend: string;
    values: readonly Value[];
    current: Value;
    labels: Record<Value, string>;
    set: (value: Value) => void;
    hint?: (value: Value) => string;
    allowed?: (value: Value) => boolean;
  }) {
    return html`
      <fieldset part="fieldset" ?disabled=${this.submitting}>
        <legend>${group.legend}</legend>
        <div class="options">
          ${group.values.map((value) => {
            const hint = group.hint?.(value);
            return html`
              <label class="option">
                <input
                  type="radio"
                  name=${group.name}
                  .value=${value}
                  .checked=${value === group.current}
                  ?disabled=${group.allowed ? !group.allowed(value) : false}
                  @change=${() => group.set(value)}
                />
                <span class="option-label">${group.labels[value]}</span>
                ${hint ? html`<span class="hint">${hint}</span>` : nothing}
              </label>
            `;
          })}
        </div>
      </fieldset>
    `;
  }

  /** What a resolution does to the source's picture, in words ('' while the source's size is unknown). */
  #resolutionHint(resolution: Resolution): string {
    const fit = resolutionFit(resolution, this.sourceSize, this.reframe);
    if (fit === 'matches') return this.text.matchesSource;
    if (fit === 'upscaled') return this.text.upscaledFrom(`${sourceShortSide(this.sourceSize)}p`);
    return '';
  }

  #renderTitleBar() {
    // a plain heading row: a <header> here would be a second banner landmark on the host's page
    return html`<div class="title-bar">
      <h2 id="title">${this.text.modalTitle}</h2>
      <button type="button" class="icon" aria-label=${this.text.close} @click=${() => this.#close(true)}>
        ✕
      </button>
    </div>`;
  }

  #renderSegments() {
    const text = this.text;
    return html`<section part="segments" aria-labelledby="segments-heading">
      <h3 id="segments-heading">${text.segmentsHeading}</h3>
      <ol>
        ${this.segments.map(
          (segment, index) => html`
            <li>
              <span class="name">${segment.label ?? `#${index + 1}`}</span>
              <span class="range"
                >${formatTimecode(segment.start_time)}–${formatTimecode(segment.end_time)}</span
              >
              <span class="length">${formatLength(segment.end_time - segment.start_time)}</span>
            </li>
          `,
        )}
      </ol>
      <p class="total">
        ${text.totalDuration}: <strong>${formatLength(totalSegmentDuration(this.segments))}</strong>
      </p>
    </section>`;
  }

  #renderPresets() {
    const { own, recommended } = this.offeredPresets();
    const option = ({ key, name }: OfferedPreset) =>
      html`<option value=${key} .selected=${key === this.presetKey}>${name}</option>`;
    return html`<div class="field">
      <label for="preset">${this.text.presetLegend}</label>
      <select
        id="preset"
        part="preset"
        ?disabled=${this.submitting}
        @change=${(event: Event) => this.#choosePreset((event.target as HTMLSelectElement).value)}
      >
        <option value="" .selected=${this.presetKey === ''}>${this.text.presetNone}</option>
        ${own.length > 0 ? html`<optgroup label=${this.text.ownPresets}>${own.map(option)}</optgroup>` : nothing}
        <optgroup label=${this.text.recommendedPresets}>${recommended.map(option)}</optgroup>
      </select>
    </div>`;
  }

  /** The output's size in a framing at the chosen resolution, or its description while that is unknown. */
  #framingHint(framing: Framing): string {
    if (framing === 'original' || !this.#sourcePicture) {
      return framing === 'original' ? this.text.framingOriginalHint : '';
    }
    const { width, height } = framedDimensions(this.#sourcePicture, this.resolution, framing);
    return `${width}×${height}`;
  }

  /** The framing and, for a framing other than the source's, whether to fill it or fit the picture in. */
  #renderFraming() {
    const text = this.text;
    return html`
      ${this.#radioGroup({
        name: 'framing',
        legend: text.framingLegend,
        values: FRAMINGS,
        current: this.framing,
        labels: text.framings,
        set: (value) => this.#reframe(value, this.framingFit),
        hint: (value) => this.#framingHint(value),
      })}
      ${
        this.framing === 'original'
          ? nothing
          : this.#radioGroup({
              name: 'framing-fit',
              legend: text.framingFitLegend,
              values: FRAMING_FITS,
              current: this.framingFit,
              labels: text.framingFits,
              set: (value) => this.#reframe(this.framing, value),
              hint: (value) => text.framingFitHints[value],
            })
      }
    `;
  }

  /** The note that the chosen resolution (in the chosen framing) enlarges the source's picture. */
  #renderUpscaleWarning() {
    const upscaling = resolutionFit(this.resolution, this.sourceSize, this.reframe) === 'upscaled';
    if (!upscaling || this.upscalePolicy !== 'warn') return nothing;
    const source = `${sourceShortSide(this.sourceSize)}p`;
    const text = this.text;
    return html`<p part="upscale-warning" class="warning">
      ${
        this.framing === 'original'
          ? text.upscaleWarning(source)
          : text.reframeUpscaleWarning(source, text.framings[this.framing])
      }
    </p>`;
  }

  #renderOptions() {
    const text = this.text;
    const policy = this.upscalePolicy;
    return html`
      ${this.#radioGroup({
        name: 'export-type',
        legend: text.typeLegend,
        values: offeredExportTypes(this.segments.length),
        current: this.exportType,
        labels: text.types,
        set: (value) => {
          this.exportType = value;
          this.presetKey = '';
        },
      })}
      ${this.#radioGroup({
        name: 'resolution',
        legend: text.resolutionLegend,
        values: RESOLUTIONS,
        current: this.resolution,
        labels: text.resolutions,
        set: (value) => this.#pick('resolution', value),
        hint: (value) => this.#resolutionHint(value),
        allowed: (value) => resolutionAllowed(value, this.sourceSize, policy, this.reframe),
      })}
      ${this.#renderFraming()} ${this.#renderUpscaleWarning()}
      ${this.#radioGroup({
        name: 'quality',
        legend: text.qualityLegend,
        values: QUALITY_PRESETS,
        current: this.quality,
        labels: text.qualities,
        set: (value) => this.#pick('quality', value),
        hint: (value) => text.qualityHints[value],
      })}
      ${this.#radioGroup({
        name: 'format',
        legend: text.formatLegend,
        values: FORMATS,
        current: this.format,
        labels: text.formats,
        set: (value) => this.#pick('format', value),
        hint: (value) => text.formatHints[value],
      })}
      ${this.#radioGroup({
        name: 'loudness',
        legend: text.loudnessLegend,
        values: LOUDNESS_CHOICES,
        current: this.loudness,
        labels: text.loudnessOptions,
        set: (value) => {
          this.loudness = value;
          this.presetKey = '';
        },
        hint: (value) => text.loudnessHints[value],
      })}
    `;
  }

  #renderMessages(invalid: string) {
    const text = this.text;
    const time = this.#estimate.time;
    const timeText =
      time.state === 'known'
        ? text.estimatedTime(formatApproximateDuration(time.seconds))
        : time.state === 'pending'
          ? text.estimatingTime
          : text.timeUnknown;
    const message = this.error || invalid;
    return html`
      <p part="estimate" class="estimate" aria-live="polite">
        ${text.estimatedSize}: <strong>≈ ${formatBytes(this.#estimate.bytes)}</strong> ·
        <span part="estimated-time" data-state=${time.state}>${timeText}</span>
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
    `;
  }

  #renderLocal() {
    const text = this.text;
    const { previewUrl, progress, result } = this.#local;
    return html`
      ${
        previewUrl
          ? html`<video
              part="preview"
              class="preview"
              controls
              muted
              src=${previewUrl}
              aria-label=${text.preview}
            ></video>`
          : nothing
      }
      ${
        progress !== undefined
          ? html`<div part="local" class="local" role="status">
              <progress max="1" .value=${progress} aria-label=${text.localExportProgress}></progress>
              ${
                result
                  ? html`<a class="download" href=${result.url} download=${result.fileName}
                      >${text.download} ${result.fileName}</a
                    >`
                  : html`<span>${text.localExporting} ${Math.round(progress * 100)}%</span>`
              }
            </div>`
          : nothing
      }
    `;
  }

  #renderFooter(invalid: string) {
    const text = this.text;
    return html`<footer>
      ${
        this.canWorkInBrowser && this.segments.length > 0
          ? html`<button
              type="button"
              ?disabled=${this.#local.previewing || this.submitting}
              @click=${() => void this.#preview()}
            >
              ${this.#local.previewing ? text.previewing : text.preview}
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
      <button part="submit" type="submit" class="primary" ?disabled=${this.submitting || invalid !== ''}>
        ${this.submitting ? text.submitting : text.submit}
      </button>
    </footer>`;
  }

  /** The started export, followed in place (`progress="inline"`). */
  #renderStarted(started: Export) {
    const text = this.text;
    return html`<div part="form" class="form">
      ${this.#renderTitleBar()}
      <p class="started" role="status">${text.exportStarted}</p>
      <export-progress
        part="progress"
        export-id=${started.id}
        .client=${this.api}
        .strings=${this.strings}
      ></export-progress>
      <footer>
        <button type="button" class="secondary" @click=${() => (this.started = undefined)}>
          ${text.exportAgain}
        </button>
        <button type="button" class="primary" @click=${() => this.#close(false)}>${text.close}</button>
      </footer>
    </div>`;
  }

  protected override render() {
    const invalid = this.validationMessage();
    return html`
      <dialog part="dialog" aria-labelledby="title" @cancel=${this.#onCancel}>
        ${
          this.started
            ? this.#renderStarted(this.started)
            : html`<form part="form" class="form" method="dialog" @submit=${this.#submit} novalidate>
                ${this.#renderTitleBar()} ${this.#renderSegments()} ${this.#renderPresets()}
                ${this.#renderOptions()} ${this.#renderMessages(invalid)} ${this.#renderLocal()}
                ${this.#renderFooter(invalid)}
              </form>`
        }
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
