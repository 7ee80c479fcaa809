import {
  DEFAULT_EXPORT_SETTINGS,
  FORMATS,
  QUALITY_PRESETS,
  RESOLUTIONS,
  type CustomPreset,
  type ExportSettings,
  type Format,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
import { html, nothing, type PropertyValues } from 'lit';
import { state } from 'lit/decorators.js';
import { defineElement } from '../../internal/define.js';
import { VexportElement } from '../../internal/vexport-element.js';
import { emit } from '../../events/export-events.js';
import { defaultStrings } from '../../i18n/strings.js';
import { describeError } from '../../internal/describe-error.js';
import { formatExportOptions } from '../../internal/format.js';
import { RECOMMENDED_PRESETS } from '../../internal/recommended-presets.js';
import { exportSettingsStyles } from './export-settings.styles.js';

/**
 * Settings that suit common destinations, the same ones the export dialog offers, named as its default
 * strings name them. Settings keep no framing or loudness; the dialog chooses those.
 */
export const PLATFORM_RECOMMENDATIONS: readonly (CustomPreset & { description: string })[] =
  RECOMMENDED_PRESETS.map((preset) => ({
    ...preset,
    name: defaultStrings.recommendedPresetNames[preset.id] ?? preset.id,
    description: formatExportOptions(defaultStrings, preset),
  }));

const STORAGE_KEY = 'vexport:export-settings';

/**
 * @summary The user's export defaults and custom presets, with recommendations for common platforms. Saves
 * to the API, or on this device while the API cannot be reached. "Use as defaults" applies and saves at
 * once; "Reset to defaults" asks first and keeps the custom presets unless the person ticks a box.
 *
 * @event settings-saved - Settings were saved; `detail.settings` is what is stored, `detail.offline` whether only locally.
 *
 * @csspart section - Each section.
 * @csspart preset - Each preset row.
 * @csspart status - The save message (`role="status"`).
 * @csspart confirm - The question before a reset.
 *
 * @tagname export-settings
 */
export class ExportSettingsElement extends VexportElement {
  static override styles = exportSettingsStyles;

  @state() protected settings: ExportSettings = structuredClone(DEFAULT_EXPORT_SETTINGS) as ExportSettings;
  @state() protected draft: CustomPreset | undefined;
  @state() protected status = '';
  @state() protected problem = '';
  @state() protected saving = false;
  /** False until the saved settings arrived: the controls stay disabled, so no edit is lost to the load. */
  @state() protected loaded = false;
  @state() protected confirmingReset = false;
  @state() protected resetDeletesPresets = false;

  /** Loads the saved settings: from the API, or this device's copy when the API cannot be reached. */
  async load(): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.loaded = false;
    try {
      this.settings = await api.getSettings();
      await this.#sendOfflineCopy();
    } catch {
      const local = localStorage.getItem(STORAGE_KEY);
      if (local) this.settings = JSON.parse(local) as ExportSettings;
    } finally {
      this.loaded = true;
    }
  }

  /** Sends settings saved offline once the API answers again. */
  async #sendOfflineCopy(): Promise<void> {
    const local = localStorage.getItem(STORAGE_KEY);
    if (!local) return;
    this.settings = await this.api!.saveSettings(JSON.parse(local) as ExportSettings);
    localStorage.removeItem(STORAGE_KEY);
  }

  /** Saves the settings as they are now. */
  async save(): Promise<void> {
    await this.#persist(this.text.settingsSaved);
  }

  /** Saves the settings, then says `saved` (or that they are kept on this device, or why not). */
  async #persist(saved: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.saving = true;
    this.status = '';
    try {
      this.settings = await api.saveSettings(this.settings);
      localStorage.removeItem(STORAGE_KEY);
      this.status = saved;
      emit(this, 'settings-saved', { settings: this.settings, offline: false });
    } catch (error) {
      const { code, message } = describeError(error, this.text);
      if (code === 'connection_error' || code === 'timeout') {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(this.settings));
        this.status = this.text.settingsSavedOffline;
        emit(this, 'settings-saved', { settings: this.settings, offline: true });
      } else {
        this.status = message;
      }
    } finally {
      this.saving = false;
    }
  }

  #askReset(): void {
    this.resetDeletesPresets = false;
    this.confirmingReset = true;
  }

  async #keepSettings(): Promise<void> {
    this.confirmingReset = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.footer button')?.focus();
  }

  async #reset(): Promise<void> {
    const deletePresets = this.resetDeletesPresets;
    const defaults = structuredClone(DEFAULT_EXPORT_SETTINGS) as ExportSettings;
    this.settings = deletePresets ? defaults : { ...defaults, custom_presets: this.settings.custom_presets };
    this.confirmingReset = false;
    await this.#persist(deletePresets ? this.text.settingsResetWithPresets : this.text.settingsReset);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.footer button')?.focus();
  }

  #setDefault<Key extends 'default_resolution' | 'default_format' | 'default_quality'>(
    key: Key,
    value: ExportSettings[Key],
  ): void {
    this.settings = { ...this.settings, [key]: value };
  }

  /** Makes `preset` the defaults for new exports and saves at once: the button says "Use as defaults". */
  async #applyPreset(preset: CustomPreset): Promise<void> {
    this.settings = {
      ...this.settings,
      default_resolution: preset.resolution,
      default_format: preset.format,
      default_quality: preset.quality_preset,
    };
    await this.#persist(this.text.defaultsApplied(preset.name));
  }

  #startPreset(preset?: CustomPreset): void {
    this.problem = '';
    this.draft = preset
      ? { ...preset }
      : {
          id: `preset-${Date.now().toString(36)}`,
          name: '',
          resolution: this.settings.default_resolution,
          format: this.settings.default_format,
          quality_preset: this.settings.default_quality,
        };
  }

  #commitPreset(): void {
    const draft = this.draft;
    if (!draft) return;
    if (!draft.name.trim()) {
      this.problem = this.text.presetNameRequired;
      return;
    }
    const others = this.settings.custom_presets.filter((preset) => preset.id !== draft.id);
    this.settings = { ...this.settings, custom_presets: [...others, { ...draft, name: draft.name.trim() }] };
    this.draft = undefined;
  }

  #deletePreset(id: string): void {
    this.settings = {
      ...this.settings,
      custom_presets: this.settings.custom_presets.filter((preset) => preset.id !== id),
    };
  }

  #select<Value extends string>(
    label: string,
    name: string,
    values: readonly Value[],
    current: Value,
    labels: Record<Value, string>,
    set: (value: Value) => void,
  ) {
    return html`
      <label class="field">
        ${label}
        <select
          name=${name}
          ?disabled=${!this.loaded}
          @change=${(event: Event) => set((event.target as HTMLSelectElement).value as Value)}
        >
          ${values.map((value) => html`<option value=${value} ?selected=${value === current}>${labels[value]}</option>`)}
        </select>
      </label>
    `;
  }

  #presetEditor(draft: CustomPreset) {
    const text = this.text;
    const update = (changes: Partial<CustomPreset>) =>
      (this.draft = { ...(this.draft ?? draft), ...changes });
    return html`
      <div class="editor" role="group" aria-label=${text.presetName}>
        <label class="field">
          ${text.presetName}
          <input
            name="preset-name"
            .value=${draft.name}
            maxlength="80"
            @input=${(event: Event) => update({ name: (event.target as HTMLInputElement).value })}
          />
        </label>
        ${this.#select(text.resolutionLegend, 'preset-resolution', RESOLUTIONS, draft.resolution, text.resolutions, (value: Resolution) => update({ resolution: value }))}
        ${this.#select(text.qualityLegend, 'preset-quality', QUALITY_PRESETS, draft.quality_preset, text.qualities, (value: QualityPreset) => update({ quality_preset: value }))}
        ${this.#select(text.formatLegend, 'preset-format', FORMATS, draft.format, text.formats, (value: Format) => update({ format: value }))}
        <button class="primary" @click=${() => this.#commitPreset()}>${text.savePreset}</button>
        <button @click=${() => (this.draft = undefined)}>${text.cancel}</button>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      </div>
    `;
  }

  #resetQuestion() {
    const text = this.text;
    const hasPresets = this.settings.custom_presets.length > 0;
    return html`<div part="confirm" class="confirm" role="group" aria-labelledby="reset-question">
      <p id="reset-question">
        ${text.confirmReset(
          formatExportOptions(text, {
            resolution: DEFAULT_EXPORT_SETTINGS.default_resolution,
            format: DEFAULT_EXPORT_SETTINGS.default_format,
            quality_preset: DEFAULT_EXPORT_SETTINGS.default_quality,
          }),
        )}
        ${hasPresets ? text.resetKeepsPresets : nothing}
      </p>
      ${
        hasPresets
          ? html`<label class="check">
              <input
                type="checkbox"
                name="delete-presets"
                .checked=${this.resetDeletesPresets}
                @change=${(event: Event) =>
                  (this.resetDeletesPresets = (event.target as HTMLInputElement).checked)}
              />
              ${text.alsoDeletePresets}
            </label>`
          : nothing
      }
      <div class="buttons">
        <button class="danger" @click=${() => void this.#reset()}>${text.resetYes}</button>
        <button @click=${() => void this.#keepSettings()}>${text.resetNo}</button>
      </div>
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('client') || changed.has('contextClient')) void this.load();
    if (changed.has('confirmingReset') && this.confirmingReset) {
      // the safe answer takes the focus, so a stray Enter keeps the settings
      this.renderRoot.querySelector<HTMLButtonElement>('[part="confirm"] button:not(.danger)')?.focus();
    }
  }

  protected override render() {
    const text = this.text;
    const { settings } = this;
    return html`
      <section part="section" aria-labelledby="defaults">
        <h3 id="defaults">${text.defaultsHeading}</h3>
        <div class="row">
          ${this.#select(text.resolutionLegend, 'default-resolution', RESOLUTIONS, settings.default_resolution, text.resolutions, (value: Resolution) => this.#setDefault('default_resolution', value))}
          ${this.#select(text.qualityLegend, 'default-quality', QUALITY_PRESETS, settings.default_quality, text.qualities, (value: QualityPreset) => this.#setDefault('default_quality', value))}
          ${this.#select(text.formatLegend, 'default-format', FORMATS, settings.default_format, text.formats, (value: Format) => this.#setDefault('default_format', value))}
        </div>
      </section>
      <section part="section" aria-labelledby="recommended">
        <h3 id="recommended">${text.recommendationsHeading}</h3>
        <p part="note" class="muted">${text.recommendationsFramingNote}</p>
        <ul class="presets">
          ${RECOMMENDED_PRESETS.map((recommendation) => {
            const name = text.recommendedPresetNames[recommendation.id] ?? recommendation.id;
            return html`<li part="preset">
              <span
                ><strong>${name}</strong>
                <span class="muted">${formatExportOptions(text, recommendation)}</span></span
              >
              <button
                aria-label=${`${text.usePreset}: ${name}`}
                ?disabled=${this.saving || !this.loaded}
                @click=${() => void this.#applyPreset({ ...recommendation, name })}
              >
                ${text.usePreset}
              </button>
            </li>`;
          })}
        </ul>
      </section>
      <section part="section" aria-labelledby="custom">
        <h3 id="custom">${text.presetsHeading}</h3>
        ${settings.custom_presets.length === 0 && !this.draft ? html`<p class="muted">${text.noPresets}</p>` : nothing}
        <ul class="presets">
          ${settings.custom_presets.map(
            (preset) =>
              html`<li part="preset">
                <span>
                  <strong>${preset.name}</strong>
                  <span class="muted">${formatExportOptions(text, preset)}</span>
                </span>
                <span class="buttons">
                  <button
                    aria-label=${`${text.usePreset}: ${preset.name}`}
                    ?disabled=${this.saving || !this.loaded}
                    @click=${() => void this.#applyPreset(preset)}
                  >
                    ${text.usePreset}
                  </button>
                  <button
                    aria-label=${`${text.editPreset} ${preset.name}`}
                    @click=${() => this.#startPreset(preset)}
                  >
                    ${text.editPreset}
                  </button>
                  <button
                    aria-label=${`${text.deletePreset} ${preset.name}`}
                    @click=${() => this.#deletePreset(preset.id)}
                  >
                    ${text.deletePreset}
                  </button>
                </span>
              </li>`,
          )}
        </ul>
        ${this.draft ? this.#presetEditor(this.draft) : html`<button @click=${() => this.#startPreset()}>${text.addPreset}</button>`}
      </section>
      ${this.confirmingReset ? this.#resetQuestion() : nothing}
      <div class="footer">
        <button
          aria-expanded=${this.confirmingReset}
          @click=${() => this.#askReset()}
          ?disabled=${this.saving || !this.loaded}
        >
          ${text.resetSettings}
        </button>
        <button class="primary" @click=${() => void this.save()} ?disabled=${this.saving || !this.loaded}>
          ${text.saveSettings}
        </button>
      </div>
      <p part="status" class="status" role="status">${this.status}</p>
    `;
  }
}

defineElement('export-settings', ExportSettingsElement);

declare global {
  interface HTMLElementTagNameMap {
    'export-settings': ExportSettingsElement;
  }
}
