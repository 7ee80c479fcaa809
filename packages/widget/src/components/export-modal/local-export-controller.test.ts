import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ExportSegmentInput } from '@vexport/sdk';
// the in-browser add-on, with its cores where it ships them
import '@vexport/widget-ffmpeg';
import { nextEvent, testClient, testStack } from '../../../test/test-stack.js';
import './export-modal.js';
import type { ExportModal } from './export-modal.js';

const segments: ExportSegmentInput[] = [{ start_time: 0, end_time: 1 }];

const shadow = (modal: ExportModal) => modal.shadowRoot!;
const button = (modal: ExportModal, label: string) =>
  [...shadow(modal).querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === label)!;

describe('<export-modal> in-browser preview and export (LocalExportController)', () => {
  let source: Blob;
  const revoked: string[] = [];
  const revoke = URL.revokeObjectURL.bind(URL);

  before(async () => {
    const { url } = await testClient().getVideoSourceUrl(testStack().videoId);
    source = await (await fetch(url)).blob();
  });

  beforeEach(() => {
    revoked.length = 0;
    URL.revokeObjectURL = (url: string) => {
      revoked.push(url);
      revoke(url);
    };
  });

  afterEach(() => {
    URL.revokeObjectURL = revoke;
  });

  async function openModal(): Promise<ExportModal> {
    const modal = await fixture<ExportModal>(
      html`<export-modal
        video-id=${testStack().videoId}
        .segments=${segments}
        .source=${source}
        .client=${testClient()}
      ></export-modal>`,
    );
    modal.open = true;
    await modal.updateComplete;
    return modal;
  }

  async function preview(modal: ExportModal): Promise<string> {
    const before = shadow(modal).querySelector<HTMLVideoElement>('video[part="preview"]')?.src;
    button(modal, 'Preview').click();
    await waitUntil(
      () => {
        const src = shadow(modal).querySelector<HTMLVideoElement>('video[part="preview"]')?.src;
        return src && src !== before;
      },
      'no preview',
      { timeout: 30_000 },
    );
    return shadow(modal).querySelector<HTMLVideoElement>('video[part="preview"]')!.src;
  }

  it('revokes the preview’s and the download’s object URLs when the dialog is removed', async () => {
    const modal = await openModal();
    const previewUrl = await preview(modal);
    const completed = nextEvent(modal, 'local-export-completed', 60_000);
    button(modal, 'Export in this browser').click();
    await completed;
    await modal.updateComplete;
    const downloadUrl = shadow(modal).querySelector<HTMLAnchorElement>('[part="local"] a[download]')!.href;
    expect(revoked).to.not.include(previewUrl);
    expect(revoked).to.not.include(downloadUrl);

    modal.remove();

    expect(revoked).to.include.members([previewUrl, downloadUrl]);
  });
});
