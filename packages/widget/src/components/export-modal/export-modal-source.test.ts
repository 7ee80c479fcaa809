import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { VexportClient } from '@vexport/sdk';
import { testClient, testStack } from '../../../test/test-stack.js';
import './export-modal.js';
import type { ExportModal } from './export-modal.js';

/** The real API, with the sample video reported at another picture size. */
function clientWithSource(width: number, height: number): VexportClient {
  const real = testClient();
  return {
    ...real,
    getVideo: async (id, options) => ({ ...(await real.getVideo(id, options)), width, height }),
  };
}

async function openModal(
  client: VexportClient,
  upscale?: 'allow' | 'warn' | 'disable',
): Promise<ExportModal> {
  const modal = await fixture<ExportModal>(
    html`<export-modal
      video-id=${testStack().videoId}
      upscale=${upscale ?? 'warn'}
      .segments=${[{ start_time: 0, end_time: 1 }]}
      .client=${client}
    ></export-modal>`,
  );
  modal.open = true;
  await modal.updateComplete;
  await waitUntil(() => hint(modal, '4k') !== '', 'the source’s size never arrived');
  return modal;
}

const input = (modal: ExportModal, value: string) =>
  modal.shadowRoot!.querySelector<HTMLInputElement>(`input[name="resolution"][value="${value}"]`)!;
const hint = (modal: ExportModal, value: string) =>
  input(modal, value).closest('label')!.querySelector('.hint')?.textContent?.trim() ?? '';
const checkedResolution = (modal: ExportModal) =>
  modal.shadowRoot!.querySelector<HTMLInputElement>('input[name="resolution"]:checked')?.value;
const warning = (modal: ExportModal) => modal.shadowRoot!.querySelector('[part="upscale-warning"]');

async function saveDefaultResolution(resolution: '720p' | '1080p' | '4k'): Promise<void> {
  await testClient().saveSettings({
    default_resolution: resolution,
    default_format: 'mp4',
    default_quality: 'medium',
    custom_presets: [],
  });
}

describe('<export-modal> resolutions against the source, on the real API', () => {
  it('labels each resolution against a 1080p source and keeps the saved 1080p default', async () => {
    await saveDefaultResolution('1080p');
    const modal = await openModal(clientWithSource(1920, 1080));
    expect(['720p', '1080p', '4k'].map((value) => hint(modal, value))).to.deep.equal([
      '',
      'matches source',
      'upscaled from 1080p',
    ]);
    await waitUntil(() => checkedResolution(modal) === '1080p', 'the saved default was not kept');
    expect(warning(modal)).to.equal(null);
  });

  it('starts a 480p source at the resolution closest to it, not at the saved 1080p', async () => {
    await saveDefaultResolution('1080p');
    const modal = await openModal(clientWithSource(854, 480));
    expect(hint(modal, '720p')).to.equal('upscaled from 480p');
    expect(hint(modal, '1080p')).to.equal('upscaled from 480p');
    await waitUntil(() => checkedResolution(modal) === '720p', 'the default upscales more than needed');
  });

  it('starts a 1080p source saved at 4K at 1080p, the largest resolution that does not upscale', async () => {
    await saveDefaultResolution('4k');
    const modal = await openModal(clientWithSource(1920, 1080));
    await waitUntil(() => checkedResolution(modal) === '1080p', 'the default upscales');
  });

  it('warns (upscale="warn", the default) when the user chooses a resolution above the source', async () => {
    await saveDefaultResolution('1080p');
    const modal = await openModal(clientWithSource(1920, 1080));
    input(modal, '4k').click();
    await modal.updateComplete;
    expect(input(modal, '4k').disabled).to.equal(false);
    expect(warning(modal)?.textContent).to.contain('The source is 1080p');
  });

  it('offers larger resolutions without a warning with upscale="allow"', async () => {
    await saveDefaultResolution('1080p');
    const modal = await openModal(clientWithSource(1920, 1080), 'allow');
    input(modal, '4k').click();
    await modal.updateComplete;
    expect(checkedResolution(modal)).to.equal('4k');
    expect(warning(modal)).to.equal(null);
  });

  it('disables the resolutions above the source with upscale="disable"', async () => {
    await saveDefaultResolution('1080p');
    const modal = await openModal(clientWithSource(1920, 1080), 'disable');
    expect(['720p', '1080p', '4k'].map((value) => input(modal, value).disabled)).to.deep.equal([
      false,
      false,
      true,
    ]);
  });
});
