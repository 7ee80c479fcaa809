import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createClient, DEFAULT_EXPORT_SETTINGS } from '@vexport/sdk';
import { newUserClient, nextEvent } from '../../../test/test-stack.js';
import './export-settings.js';
import type { ExportSettingsElement } from './export-settings.js';

const select = (element: ExportSettingsElement, name: string) =>
  element.shadowRoot!.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
const choose = async (element: ExportSettingsElement, name: string, value: string) => {
  const field = select(element, name);
  field.value = value;
  field.dispatchEvent(new Event('change'));
  await element.updateComplete;
};
const button = (element: ExportSettingsElement, label: string) =>
  [...element.shadowRoot!.querySelectorAll('button')].find(
    (candidate) => candidate.textContent?.trim() === label,
  )!;

describe('<export-settings> against the real API', () => {
  beforeEach(() => localStorage.clear());

  it('saves defaults and custom presets to the API, and loads them again', async () => {
    const { client } = await newUserClient();
    const element = await fixture<ExportSettingsElement>(
      html`<export-settings .client=${client}></export-settings>`,
    );
    await waitUntil(() => !select(element, 'default-format').disabled, 'settings not loaded');
    await choose(element, 'default-format', 'webm');
    await choose(element, 'default-resolution', '720p');
    button(element, 'Add preset').click();
    await element.updateComplete;
    button(element, 'Save preset').click();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain(
      'Give the preset a name',
    );
    const name = element.shadowRoot!.querySelector<HTMLInputElement>('input[name="preset-name"]')!;
    name.value = 'Client review';
    name.dispatchEvent(new Event('input'));
    await choose(element, 'preset-quality', 'high');
    button(element, 'Save preset').click();
    await element.updateComplete;
    const saved = nextEvent<CustomEvent>(element, 'settings-saved', 10_000);
    button(element, 'Save settings').click();
    expect((await saved).detail.offline).to.equal(false);
    const stored = await client.getSettings();
    expect(stored).to.deep.include({ default_format: 'webm', default_resolution: '720p' });
    expect(stored.custom_presets.map((preset) => [preset.name, preset.quality_preset])).to.deep.equal([
      ['Client review', 'high'],
    ]);

    const again = await fixture<ExportSettingsElement>(
      html`<export-settings .client=${client}></export-settings>`,
    );
    await waitUntil(() => select(again, 'default-format').value === 'webm', 'saved settings not loaded');
    expect(again.shadowRoot!.textContent).to.contain('Client review');
    await expect(again).to.be.accessible();
  });

  it('"Use as defaults" on a recommendation applies and saves at once, and says so', async () => {
    const { client } = await newUserClient();
    const element = await fixture<ExportSettingsElement>(
      html`<export-settings .client=${client}></export-settings>`,
    );
    await waitUntil(() => !select(element, 'default-format').disabled, 'settings not loaded');
    const web = [...element.shadowRoot!.querySelectorAll('li')].find((item) =>
      item.textContent?.includes('Web page'),
    )!;
    const saved = nextEvent<CustomEvent>(element, 'settings-saved', 10_000);
    web.querySelector('button')!.click();
    expect((await saved).detail.offline).to.equal(false);
    expect([
      select(element, 'default-resolution').value,
      select(element, 'default-format').value,
    ]).to.deep.equal(['720p', 'webm']);
    expect(await client.getSettings()).to.deep.include({
      default_resolution: '720p',
      default_format: 'webm',
    });
    await element.updateComplete;
    const status = element.shadowRoot!.querySelector('[role="status"]')!;
    expect(status.textContent).to.match(/^Web page.* is now the default for new exports, and saved\.$/);
  });

  it('asks before a reset, and keeps the custom presets unless the box is ticked', async () => {
    const { client } = await newUserClient();
    const preset = {
      id: 'p-1',
      name: 'Client review',
      resolution: '4k',
      format: 'mov',
      quality_preset: 'high',
    } as const;
    await client.saveSettings({
      ...DEFAULT_EXPORT_SETTINGS,
      default_format: 'webm',
      custom_presets: [preset],
    });
    const element = await fixture<ExportSettingsElement>(
      html`<export-settings .client=${client}></export-settings>`,
    );
    await waitUntil(() => select(element, 'default-format').value === 'webm', 'settings not loaded');
    expect(element.shadowRoot!.textContent).to.contain('4K · MOV · High quality');

    button(element, 'Reset to defaults').click();
    await element.updateComplete;
    const question = element.shadowRoot!.querySelector<HTMLElement>('[part="confirm"]')!;
    expect(question.querySelector('p')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Reset the defaults for new exports to 1080p · MP4 · Medium quality? ' +
        'Your custom presets are kept unless you tick the box.',
    );
    expect(element.shadowRoot!.activeElement!.textContent!.trim()).to.equal('Keep my settings');
    button(element, 'Keep my settings').click();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part="confirm"]')).to.equal(null);
    expect((await client.getSettings()).default_format).to.equal('webm');

    button(element, 'Reset to defaults').click();
    await element.updateComplete;
    let saved = nextEvent<CustomEvent>(element, 'settings-saved', 10_000);
    button(element, 'Reset defaults').click();
    expect((await saved).detail.settings).to.deep.equal({
      ...DEFAULT_EXPORT_SETTINGS,
      custom_presets: [preset],
    });
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal(
      'Defaults restored; your custom presets are kept.',
    );

    button(element, 'Reset to defaults').click();
    await element.updateComplete;
    const tick = element.shadowRoot!.querySelector<HTMLInputElement>('input[name="delete-presets"]')!;
    tick.click();
    saved = nextEvent<CustomEvent>(element, 'settings-saved', 10_000);
    button(element, 'Reset defaults').click();
    expect((await saved).detail.settings).to.deep.equal(DEFAULT_EXPORT_SETTINGS);
    expect((await client.getSettings()).custom_presets).to.deep.equal([]);
  });

  it('keeps the settings on this device while the API cannot be reached', async () => {
    const offline = createClient({ baseUrl: 'http://127.0.0.1:9', token: 'x', maxRetries: 0 });
    const element = await fixture<ExportSettingsElement>(
      html`<export-settings .client=${offline}></export-settings>`,
    );
    await choose(element, 'default-quality', 'low');
    const saved = nextEvent<CustomEvent>(element, 'settings-saved', 10_000);
    await waitUntil(() => !button(element, 'Save settings').disabled, 'Save never enabled');
    button(element, 'Save settings').click();
    expect((await saved).detail.offline).to.equal(true);
    expect(element.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain(
      'Saved on this device',
    );
    expect(JSON.parse(localStorage.getItem('vexport:export-settings')!).default_quality).to.equal('low');
  });
});
