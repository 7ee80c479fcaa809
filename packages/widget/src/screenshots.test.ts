// Renders each component in a typical state, in light and dark, and saves a screenshot into
// docs/images/components/ (see the `vexport-screenshot` command in web-test-runner.config.mjs).
import { fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { newUserClient, testStack } from '../test/test-stack.js';
import './index.js';
import type { ExportModal } from './components/export-modal/export-modal.js';

async function shoot(name: string, selector: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 150));
  await executeServerCommand('vexport-screenshot', { name, selector });
}

describe('component screenshots for the docs', () => {
  before(() => setViewport({ width: 900, height: 1000 }));
  after(() => emulateMedia({ colorScheme: 'light' }));

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders every component in ${scheme}`, async () => {
      await emulateMedia({ colorScheme: scheme });
      document.documentElement.style.colorScheme = scheme;
      document.body.style.background = scheme === 'dark' ? '#0d1117' : '#f6f8fa';
      const { client, videoId } = await newUserClient();
      const created = await client.createExport(videoId, {
        export_type: 'combined',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'low',
        segment_selections: [
          { start_time: 0, end_time: 1 },
          { start_time: 2, end_time: 3 },
        ],
      });

      const modal = await fixture<ExportModal>(
        html`<export-modal video-id=${videoId} .client=${client}></export-modal>`,
      );
      modal.segments = [
        { start_time: 0, end_time: 1.5, label: 'Intro' },
        { start_time: 3, end_time: testStack().videoDuration, label: 'Ending' },
      ];
      modal.open = true;
      await modal.updateComplete;
      await shoot(`export-modal-${scheme}`, 'export-modal >> dialog');
      modal.open = false;

      const progress = await fixture(
        html`<div style="width: 560px; padding: 8px">
          <export-progress export-id=${created.id} .client=${client}></export-progress>
        </div>`,
      );
      await waitUntil(
        () => progress.querySelector('export-progress')!.shadowRoot!.querySelector('video'),
        'not completed',
        { timeout: 45_000 },
      );
      await shoot(`export-progress-${scheme}`, 'export-progress');

      const list = await fixture(
        html`<div style="width: 860px; padding: 8px">
          <exports-list video-id=${videoId} .client=${client}></exports-list>
        </div>`,
      );
      await waitUntil(
        () => list.querySelector('exports-list')!.shadowRoot!.querySelector('[data-status="completed"]'),
        'list not loaded',
      );
      await shoot(`exports-list-${scheme}`, 'exports-list');

      const settings = await fixture(
        html`<div style="width: 640px; padding: 8px">
          <export-settings .client=${client}></export-settings>
        </div>`,
      );
      await waitUntil(
        () => settings.querySelector('export-settings')!.shadowRoot!.querySelector('select'),
        'settings not loaded',
      );
      await shoot(`export-settings-${scheme}`, 'export-settings');
    });
  }
});
