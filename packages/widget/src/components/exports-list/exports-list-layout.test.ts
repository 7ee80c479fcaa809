import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LOUDNESS_TARGETS } from '@vexport/sdk';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { newUserClient, testStack } from '../../../test/test-stack.js';
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

const LONG_TITLE = 'Holiday in the mountains, drone footage from the second day, full cut.mp4';

/**
 * A finished export with every column at its widest (a long video title, a reframed, loudness-evened file), in
 * a box `width` px wide, listed with all of the user's exports as the demo's Exports tab lists them.
 */
async function finishedReframedExportIn(width: number): Promise<ExportsList> {
  const { client } = await newUserClient();
  let video = await client.registerVideo({ storage_key: testStack().sharedKey, title: LONG_TITLE });
  await waitUntil(
    async () => (video = await client.getVideo(video.id)).status === 'completed',
    'not probed',
    {
      timeout: 20_000,
    },
  );
  const { id } = await client.createExport(video.id, {
    export_type: 'single',
    resolution: '720p',
    format: 'mp4',
    quality_preset: 'low',
    framing: '9:16',
    framing_fit: 'crop',
    loudness_lufs: LOUDNESS_TARGETS.social,
    segment_selections: [{ start_time: 0, end_time: 0.5 }],
  });
  await waitUntil(async () => (await client.getExport(id)).status === 'completed', 'export did not finish', {
    timeout: 45_000,
  });
  const box = await fixture<HTMLDivElement>(
    html`<div style="width: ${width}px">
      <exports-list .client=${client}></exports-list>
    </div>`,
  );
  const list = box.querySelector<ExportsList>('exports-list')!;
  await waitUntil(() => list.shadowRoot!.querySelector('.video')?.textContent === LONG_TITLE, 'not loaded');
  return list;
}

describe('<exports-list> in a desktop card', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  // 1134 px is the demo's Exports card at a 1280 px window
  for (const width of [1134, 1200, 1280]) {
    it(`fits a ${width} px container with every column, one-line dates, and with a question open`, async () => {
      await setViewport({ width: 1300, height: 800 });
      const list = await finishedReframedExportIn(width);
      expect(list.scrollWidth, 'list').to.be.at.most(list.clientWidth);
      const date = list.shadowRoot!.querySelector('time')!;
      expect(date.getClientRects(), 'date lines').to.have.length(1);
      await askToRemove(list);
      expect(list.shadowRoot!.querySelector('[part="confirm"]')).not.to.equal(null);
      expect(list.scrollWidth, 'with the question').to.be.at.most(list.clientWidth);
      await expect(list).to.be.accessible();
    });
  }
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
