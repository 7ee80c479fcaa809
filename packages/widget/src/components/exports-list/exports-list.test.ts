import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Export, VexportClient } from '@vexport/sdk';
import { nextEvent, newUserClient, testStack } from '../../../test/test-stack.js';
import './exports-list.js';
import type { ExportsList } from './exports-list.js';

async function createExports(client: VexportClient, videoId: string, count: number): Promise<Export[]> {
  const created: Export[] = [];
  for (let index = 0; index < count; index += 1) {
    created.push(
      await client.createExport(videoId, {
        export_type: index % 2 === 0 ? 'single' : 'clips',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'low',
        segment_selections: [{ start_time: index * 0.1, end_time: index * 0.1 + 0.5 }],
      }),
    );
  }
  return created;
}

const rows = (list: ExportsList) => [
  ...list.shadowRoot!.querySelectorAll('tbody tr:not(.details):not(.skeleton):not(.confirm-row)'),
];
const buttonNamed = (root: Element, name: string) =>
  [...root.querySelectorAll('button')].find((button) => button.textContent?.trim() === name)!;
const badges = (list: ExportsList) =>
  [...list.shadowRoot!.querySelectorAll('[part="badge"]')].map((badge) => badge.getAttribute('data-status'));

async function mount(client: VexportClient, videoId: string): Promise<ExportsList> {
  const list = await fixture<ExportsList>(
    html`<exports-list video-id=${videoId} poll-interval="500" .client=${client}></exports-list>`,
  );
  await waitUntil(() => !list.shadowRoot!.querySelector('[aria-busy]'), 'never loaded');
  return list;
}

describe('<exports-list> against the real API and worker', () => {
  it('shows an empty state that asks the host to open the export dialog', async () => {
    const { client, videoId } = await newUserClient();
    const list = await mount(client, videoId);
    const request = nextEvent(list, 'export-create-request', 2_000);
    list.shadowRoot!.querySelector<HTMLButtonElement>('[part="empty"] button')!.click();
    await request;
    await expect(list).to.be.accessible();
  });

  it('lists the exports with colour-coded statuses and follows them until they finish', async () => {
    const { client, videoId } = await newUserClient();
    const list = await mount(client, videoId);
    await createExports(client, videoId, 2);
    document.dispatchEvent(new CustomEvent('export-created'));
    await waitUntil(() => rows(list).length === 2, 'new rows missing');
    await waitUntil(
      () => badges(list).every((status) => status === 'completed'),
      'rows did not reach completed',
      { timeout: 45_000 },
    );
    expect(
      rows(list).every((row) => row.querySelector('button.primary')?.textContent?.includes('Download')),
    ).to.equal(true);
    await expect(list).to.be.accessible();
  });

  it('pages 10 at a time, filters by type, and sorts', async () => {
    const { client, videoId } = await newUserClient();
    await createExports(client, videoId, 12);
    const list = await mount(client, videoId);
    expect(rows(list)).to.have.length(10);
    expect(list.shadowRoot!.querySelector('[part="pager"]')!.textContent).to.contain('Page 1 of 2');
    [...list.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="pager"] button')].at(-1)!.click();
    await waitUntil(() => rows(list).length === 2, 'second page not shown');
    const type = list.shadowRoot!.querySelector<HTMLSelectElement>('select[name="type"]')!;
    type.value = 'clips';
    type.dispatchEvent(new Event('change'));
    await waitUntil(
      () =>
        rows(list).length === 6 && rows(list).every((row) => row.textContent?.includes('Individual clips')),
      'filter not applied',
    );
  });

  it('asks before deleting a finished export, naming it and saying the file goes, and keeps it on "Keep"', async () => {
    const { client, videoId } = await newUserClient();
    const [finished] = await createExports(client, videoId, 1);
    await waitUntil(
      async () => (await client.getExport(finished!.id)).status === 'completed',
      'export did not finish',
      { timeout: 45_000 },
    );
    const list = await mount(client, videoId);
    // the question names the file after the video, whose title arrives after the list
    await waitUntil(() => rows(list)[0]?.querySelector('.video')?.textContent === 'Sample', 'no video name');
    const ask = async () => {
      buttonNamed(rows(list)[0]!, 'Delete').click();
      await list.updateComplete;
      return list.shadowRoot!.querySelector<HTMLElement>('[part="confirm"]')!;
    };
    let question = await ask();
    expect(question.querySelector('p')!.textContent!.trim()).to.equal(
      `Delete the export “sample-single-${finished!.id.slice(0, 8)}.mp4”? ` +
        'The file is removed and cannot be downloaded again.',
    );
    expect(
      [...question.querySelectorAll('button')].map((button) => button.textContent!.trim()),
    ).to.deep.equal(['Delete export', 'Keep the export']);
    expect(list.shadowRoot!.activeElement!.textContent!.trim()).to.equal('Keep the export');
    buttonNamed(question, 'Keep the export').click();
    await list.updateComplete;
    expect(list.shadowRoot!.querySelector('[part="confirm"]')).to.equal(null);
    expect((await client.listVideoExports(videoId)).total).to.equal(1);

    question = await ask();
    buttonNamed(question, 'Delete export').click();
    await waitUntil(() => list.shadowRoot!.querySelector('[part="empty"]'), 'row not removed');
    expect((await client.listVideoExports(videoId)).total).to.equal(0);
  });

  it("names each export's video, labels 4K as the dialog does, and asks before stopping a running export", async () => {
    const { client, videoId } = await newUserClient();
    const running = await client.createExport(videoId, {
      export_type: 'combined',
      resolution: '4k',
      format: 'webm',
      quality_preset: 'high',
      segment_selections: [
        { start_time: 0, end_time: testStack().videoDuration },
        { start_time: 0, end_time: testStack().videoDuration },
      ],
    });
    const list = await mount(client, videoId);
    await waitUntil(() => rows(list)[0]?.querySelector('.video')?.textContent === 'Sample', 'no video name');
    const cells = [...rows(list)[0]!.querySelectorAll('td')].map((cell) => cell.textContent!.trim());
    expect(cells.slice(0, 1).concat(cells.slice(2, 6))).to.deep.equal([
      'Sample',
      'Combined video',
      '4K',
      'WebM',
      'High',
    ]);
    expect([...list.shadowRoot!.querySelectorAll('th')].map((th) => th.textContent)[0]).to.equal('Video');
    buttonNamed(rows(list)[0]!, 'Cancel export').click();
    await list.updateComplete;
    const question = list.shadowRoot!.querySelector<HTMLElement>('[part="confirm"]')!;
    expect(question.querySelector('p')!.textContent!.trim()).to.equal(
      `Stop the export “sample-combined-${running.id.slice(0, 8)}.webm”? What was made so far is discarded.`,
    );
    buttonNamed(question, 'Stop export').click();
    await waitUntil(() => badges(list)[0] === 'cancelled', 'not cancelled', { timeout: 20_000 });

    // a cancelled export never made a file, so deleting it names none
    buttonNamed(rows(list)[0]!, 'Delete').click();
    await list.updateComplete;
    expect(list.shadowRoot!.querySelector<HTMLElement>('[part="confirm"] p')!.textContent!.trim()).to.equal(
      'Delete this export of “Sample”? It made no file; the export record is removed.',
    );
  });

  it("shows the host's name for a video when it gives one", async () => {
    const { client, videoId } = await newUserClient();
    await createExports(client, videoId, 1);
    const list = await fixture<ExportsList>(
      html`<exports-list
        video-id=${videoId}
        .videoNames=${{ [videoId]: 'Beach trip, day 2' }}
        .client=${client}
      ></exports-list>`,
    );
    await waitUntil(() => rows(list).length === 1, 'not loaded');
    expect(rows(list)[0]!.querySelector('.video')!.textContent).to.equal('Beach trip, day 2');
  });

  it('says so when the filters match nothing, and shows every export again on request', async () => {
    const { client, videoId } = await newUserClient();
    await createExports(client, videoId, 1);
    const list = await mount(client, videoId);
    const status = list.shadowRoot!.querySelector<HTMLSelectElement>('select[name="status"]')!;
    status.value = 'failed';
    status.dispatchEvent(new Event('change'));
    await waitUntil(() => list.shadowRoot!.querySelector('[part="empty"]'), 'no empty state for the filter');
    const empty = list.shadowRoot!.querySelector<HTMLElement>('[part="empty"]')!;
    expect(empty.querySelector('p')!.textContent).to.equal('No exports match these filters.');
    expect(list.shadowRoot!.querySelector('table')).to.equal(null);
    await expect(list).to.be.accessible();
    buttonNamed(empty, 'Show all exports').click();
    await waitUntil(() => rows(list).length === 1, 'filters not cleared');
    expect(list.shadowRoot!.querySelector<HTMLSelectElement>('select[name="status"]')!.value).to.equal('');
  });
});
