import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Export, VexportClient } from '@vexport/sdk';
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
    expect(confirm.textContent).to.contain('Stop export');
    const cancelled = nextEvent<CustomEvent>(element, 'export-cancelled');
    confirm.click();
    expect((await cancelled).detail.export.status).to.equal('cancelled');
  });

  it('shows why an export failed and retries it as a new export with the same options', async () => {
    // A worker failure cannot be provoked through the API, so this one case uses a scripted client.
    const failed = {
      id: 'e-failed',
      video_id: 'v-1',
      export_type: 'combined',
      resolution: '1080p',
      format: 'webm',
      quality_preset: 'high',
      status: 'failed',
      segment_selections: [
        { start_time: 0, end_time: 1 },
        { start_time: 2, end_time: 3 },
      ],
      error_message: 'The source video is damaged or in a format that cannot be read.',
    } as unknown as Export;
    const requests: unknown[] = [];
    const scripted = {
      async *watchExport(id: string) {
        yield {
          progress: id === 'e-failed' ? 40 : 0,
          status: id === 'e-failed' ? 'failed' : 'pending',
          current_stage: 'processing',
          estimated_time_remaining: null,
          elapsed_time: 3,
        };
      },
      getExport: async () => failed,
      createExport: async (videoId: string, request: unknown) => {
        requests.push({ videoId, request });
        return { ...failed, id: 'e-retried', status: 'pending' };
      },
    } as unknown as VexportClient;
    const element = document.createElement('export-progress');
    const failedEvent = nextEvent(element, 'export-failed', 5_000);
    element.client = scripted;
    element.exportId = 'e-failed';
    document.body.append(element);
    await failedEvent;
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part="error"]')!.textContent).to.contain('damaged');
    const created = nextEvent<CustomEvent>(element, 'export-created', 5_000);
    element.shadowRoot!.querySelector<HTMLButtonElement>('[part="actions"] button')!.click();
    expect((await created).detail.export.id).to.equal('e-retried');
    expect(element.exportId).to.equal('e-retried');
    element.remove();
    expect(requests).to.deep.equal([
      {
        videoId: 'v-1',
        request: {
          export_type: 'combined',
          resolution: '1080p',
          format: 'webm',
          quality_preset: 'high',
          segment_selections: failed.segment_selections,
        },
      },
    ]);
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
