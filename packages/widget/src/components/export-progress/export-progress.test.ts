import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { nextEvent, testClient, testStack } from '../../../test/test-stack.js';
import './export-progress.js';
import type { ExportProgressElement } from './export-progress.js';

async function follow(exportId: string): Promise<ExportProgressElement> {
  return fixture<ExportProgressElement>(
    html`<export-progress export-id=${exportId} .client=${testClient()}></export-progress>`,
  );
}

describe('<export-progress> against the real API and worker', () => {
  it('follows a real export to completion, then offers the download and a preview', async () => {
    const created = await testClient().createExport(testStack().videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 2 }],
    });
    const element = await follow(created.id);
    const completed = await nextEvent<CustomEvent>(element, 'export-completed');
    expect(completed.detail.export).to.include({ id: created.id, status: 'completed' });
    await element.updateComplete;
    const root = element.shadowRoot!;
    expect(root.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('100');
    expect(root.querySelector('[part="actions"] button')!.textContent).to.contain('Download');
    await waitUntil(() => root.querySelector('video[part="preview"]'), 'no preview');
    await expect(element).to.be.accessible();
  });

  it('cancels a running export after confirmation', async () => {
    const created = await testClient().createExport(testStack().videoId, {
      export_type: 'combined',
      resolution: '4k',
      format: 'webm',
      quality_preset: 'high',
      segment_selections: [
        { start_time: 0, end_time: testStack().videoDuration },
        { start_time: 0, end_time: testStack().videoDuration },
      ],
    });
    const element = await follow(created.id);
    const root = element.shadowRoot!;
    await waitUntil(() => root.querySelector('[part="actions"] button'), 'no cancel button', {
      timeout: 20_000,
    });
    root.querySelector<HTMLButtonElement>('[part="actions"] button')!.click();
    await element.updateComplete;
    const confirm = root.querySelector<HTMLButtonElement>('.confirm button.danger')!;
    expect(confirm.textContent).to.contain('Stop it');
    const cancelled = nextEvent<CustomEvent>(element, 'export-cancelled');
    confirm.click();
    expect((await cancelled).detail.export.status).to.equal('cancelled');
  });

  it('stops all network activity when it leaves the page', async () => {
    const created = await testClient().createExport(testStack().videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    const realFetch = window.fetch;
    let requests = 0;
    window.fetch = (...args: Parameters<typeof fetch>) => {
      requests += 1;
      return realFetch(...args);
    };
    try {
      const element = await fixture<ExportProgressElement>(
        html`<export-progress
          export-id=${created.id}
          poll-interval="100"
          .client=${testClient()}
        ></export-progress>`,
      );
      await waitUntil(() => requests > 0, 'never asked for progress');
      element.remove();
      const afterRemoval = requests;
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(requests).to.equal(afterRemoval);
    } finally {
      window.fetch = realFetch;
    }
  });
});
