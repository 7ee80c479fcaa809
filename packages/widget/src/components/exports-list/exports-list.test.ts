import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Export, VexportClient } from '@vexport/sdk';
import { nextEvent, newUserClient } from '../../../test/test-stack.js';
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
  ...list.shadowRoot!.querySelectorAll('tbody tr:not(.details):not(.skeleton)'),
];
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

  it('deletes a finished export after confirmation', async () => {
    const { client, videoId } = await newUserClient();
    const [finished] = await createExports(client, videoId, 1);
    await waitUntil(
      async () => (await client.getExport(finished!.id)).status === 'completed',
      'export did not finish',
      { timeout: 45_000 },
    );
    const list = await mount(client, videoId);
    const row = rows(list)[0]!;
    [...row.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Delete')!.click();
    await list.updateComplete;
    rows(list)[0]!.querySelector<HTMLButtonElement>('button.danger')!.click();
    await waitUntil(() => list.shadowRoot!.querySelector('[part="empty"]'), 'row not removed');
    expect((await client.listVideoExports(videoId)).total).to.equal(0);
  });
});
