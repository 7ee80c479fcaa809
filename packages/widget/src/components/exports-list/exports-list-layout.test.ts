import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { newUserClient } from '../../../test/test-stack.js';
import './exports-list.js';
import type { ExportsList } from './exports-list.js';

async function listWithOneExport(): Promise<ExportsList> {
  const { client, videoId } = await newUserClient();
  await client.createExport(videoId, {
    export_type: 'single',
    resolution: '720p',
    format: 'mp4',
    quality_preset: 'low',
    segment_selections: [{ start_time: 0, end_time: 0.5 }],
  });
  const list = await fixture<ExportsList>(
    html`<exports-list video-id=${videoId} .client=${client}></exports-list>`,
  );
  await waitUntil(() => list.shadowRoot!.querySelector('.video')?.textContent === 'Sample', 'not loaded');
  return list;
}

async function askToRemove(list: ExportsList): Promise<void> {
  const row = list.shadowRoot!.querySelector('tbody tr')!;
  [...row.querySelectorAll('button')].at(-1)!.click();
  await list.updateComplete;
}

async function useScheme(scheme: 'light' | 'dark'): Promise<void> {
  await emulateMedia({ colorScheme: scheme });
  document.documentElement.style.colorScheme = scheme;
  document.body.style.background = scheme === 'dark' ? '#0d1117' : '#ffffff';
}

describe('<exports-list> layouts', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('is a list of cards on a phone (390 px): nothing scrolls sideways, every button is touch-sized', async () => {
    await setViewport({ width: 390, height: 844 });
    const list = await listWithOneExport();
    await askToRemove(list);
    expect(document.documentElement.scrollWidth).to.be.at.most(390);
    expect(list.scrollWidth).to.be.at.most(list.clientWidth);
    const row = list.shadowRoot!.querySelector('tbody tr')!;
    expect(getComputedStyle(row).display).to.equal('block');
    const resolution = row.querySelectorAll('td')[3]!;
    expect(getComputedStyle(resolution, '::before').content).to.equal('"Resolution"');
    for (const control of list.shadowRoot!.querySelectorAll('button, select')) {
      expect(control.getBoundingClientRect().height, control.textContent!).to.be.at.least(44);
    }
    await expect(list).to.be.accessible();
  });

  it('is a table on a desktop (1280 px)', async () => {
    await setViewport({ width: 1280, height: 800 });
    const list = await listWithOneExport();
    const row = list.shadowRoot!.querySelector('tbody tr')!;
    expect(getComputedStyle(row).display).to.equal('table-row');
    expect(getComputedStyle(list.shadowRoot!.querySelector('thead')!).position).not.to.equal('absolute');
    expect(list.scrollWidth).to.be.at.most(list.clientWidth);
  });
});

describe('<exports-list> accessibility', () => {
  after(() => useScheme('light'));

  for (const scheme of ['light', 'dark'] as const) {
    it(`is accessible in ${scheme}, with a question open`, async () => {
      await useScheme(scheme);
      const list = await listWithOneExport();
      await askToRemove(list);
      expect(list.shadowRoot!.querySelector('[part="confirm"]')).not.to.equal(null);
      await expect(list).to.be.accessible();
    });
  }
});
