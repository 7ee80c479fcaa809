import { expect, fixture, html } from '@open-wc/testing';
import { BrowserFfmpegUnavailableError, hasBrowserFfmpeg, loadBrowserFfmpeg } from './browser-ffmpeg.js';
import '../components/export-modal/export-modal.js';
import type { ExportModal } from '../components/export-modal/export-modal.js';

// This file never imports @vexport/widget-ffmpeg: the page is a host that installed the widget alone.
describe('without the in-browser add-on', () => {
  it('says how to turn in-browser export on when asked to load ffmpeg.wasm', async () => {
    expect(hasBrowserFfmpeg()).to.equal(false);
    const failure = await loadBrowserFfmpeg().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(BrowserFfmpegUnavailableError);
    expect((failure as Error).message).to.contain('@vexport/widget-ffmpeg');
  });

  it('<export-modal> offers no preview and no in-browser export, even with the source in the page', async () => {
    const modal = await fixture<ExportModal>(
      html`<export-modal
        .segments=${[{ start_time: 0, end_time: 2 }]}
        .source=${new Blob([new Uint8Array(16)], { type: 'video/mp4' })}
      ></export-modal>`,
    );
    modal.open = true;
    await modal.updateComplete;
    const labels = [...modal.shadowRoot!.querySelectorAll('footer button')].map((button) =>
      button.textContent?.trim(),
    );
    expect(labels).to.not.include('Preview');
    expect(labels).to.not.include('Export in this browser');
    expect(labels.length).to.be.greaterThan(0);
  });
});
