import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { DEFAULT_EXPORT_SETTINGS } from '@vexport/sdk';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { newUserClient } from '../../../test/test-stack.js';
import './export-settings.js';
import type { ExportSettingsElement } from './export-settings.js';

/** Settings with a custom preset and the reset question open, the state with the most on screen. */
async function settingsAskingToReset(): Promise<ExportSettingsElement> {
  const { client } = await newUserClient();
  await client.saveSettings({
    ...DEFAULT_EXPORT_SETTINGS,
    custom_presets: [
      { id: 'p-1', name: 'Client review', resolution: '4k', format: 'mov', quality_preset: 'high' },
    ],
  });
  const element = await fixture<ExportSettingsElement>(
    html`<export-settings .client=${client}></export-settings>`,
  );
  await waitUntil(() => element.shadowRoot!.textContent!.includes('Client review'), 'settings not loaded');
  const reset = [...element.shadowRoot!.querySelectorAll('button')].find(
    (button) => button.textContent?.trim() === 'Reset to defaults',
  )!;
  await waitUntil(() => !reset.disabled, 'reset never enabled');
  reset.click();
  await element.updateComplete;
  return element;
}

async function useScheme(scheme: 'light' | 'dark'): Promise<void> {
  await emulateMedia({ colorScheme: scheme });
  document.documentElement.style.colorScheme = scheme;
  document.body.style.background = scheme === 'dark' ? '#0d1117' : '#ffffff';
}

describe('<export-settings> layouts', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  for (const [viewport, width] of [
    ['phone', 390],
    ['desktop', 1280],
  ] as const) {
    it(`fits a ${viewport} (${width} px) with touch-sized controls`, async () => {
      await setViewport({ width, height: 844 });
      const element = await settingsAskingToReset();
      expect(document.documentElement.scrollWidth).to.be.at.most(width);
      expect(element.scrollWidth).to.be.at.most(element.clientWidth);
      for (const control of element.shadowRoot!.querySelectorAll('button, select, label.check')) {
        expect(control.getBoundingClientRect().height, control.textContent!.trim()).to.be.at.least(44);
      }
    });
  }
});

describe('<export-settings> accessibility', () => {
  after(() => useScheme('light'));

  for (const scheme of ['light', 'dark'] as const) {
    it(`is accessible in ${scheme}, with the reset question open`, async () => {
      await useScheme(scheme);
      const element = await settingsAskingToReset();
      expect(element.shadowRoot!.querySelector('[part="confirm"]')).not.to.equal(null);
      await expect(element).to.be.accessible();
    });
  }
});
