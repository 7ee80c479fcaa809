import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createClient, type ExportSegmentInput, type VexportClient } from '@vexport/sdk';
import { formatApproximateDuration } from '../../internal/format.js';
import { testClient, testStack } from '../../../test/test-stack.js';
import './export-modal.js';
import type { ExportModal } from './export-modal.js';

const segments: ExportSegmentInput[] = [
  { start_time: 0, end_time: 1.5 },
  { start_time: 3, end_time: 4 },
];

async function openModal(client: VexportClient | undefined): Promise<ExportModal> {
  const modal = await fixture<ExportModal>(
    html`<export-modal
      video-id=${testStack().videoId}
      .segments=${segments}
      .client=${client}
    ></export-modal>`,
  );
  modal.open = true;
  await modal.updateComplete;
  return modal;
}

const part = (modal: ExportModal, name: string) => modal.shadowRoot!.querySelector(`[part="${name}"]`)!;
const choose = async (modal: ExportModal, name: string, value: string) => {
  modal.shadowRoot!.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)!.click();
  await modal.updateComplete;
};
/** The estimated time once the API answered for the options shown. */
const answeredTime = async (modal: ExportModal) => {
  await waitUntil(() => part(modal, 'estimated-time').getAttribute('data-state') !== 'pending', 'no answer');
  return part(modal, 'estimated-time').textContent!.trim();
};
/** What the API estimates for the dialog's video and segments with these options. */
const apiTime = async (options: { format: 'webm'; resolution: '4k' }) => {
  const estimate = await testClient().estimateExport({
    video_id: testStack().videoId,
    quality_preset: 'medium',
    framing: 'original',
    framing_fit: 'crop',
    segments,
    ...options,
  });
  return `about ${formatApproximateDuration(estimate.seconds)}`;
};

describe('<export-modal> estimates against the real API', () => {
  beforeEach(async () => {
    await testClient().saveSettings({
      default_resolution: '1080p',
      default_format: 'mp4',
      default_quality: 'medium',
      custom_presets: [],
    });
  });

  it('shows the size and the API’s time estimate, and follows the format and resolution', async () => {
    const modal = await openModal(testClient());
    await waitUntil(() => modal.shadowRoot!.querySelector('input[name="format"]:checked'), 'no options');
    expect(await answeredTime(modal)).to.match(/^about \d+ (s|min)$/);
    const mp4Size = part(modal, 'estimate').querySelector('strong')!.textContent;
    expect(mp4Size).to.match(/^≈ [\d.]+ [KM]B$/);

    await choose(modal, 'format', 'webm');
    // H.264 and VP9 spend different bits on the same picture: the size is each format's own
    expect(part(modal, 'estimate').querySelector('strong')!.textContent).not.to.equal(mp4Size);
    // a kind of export no other test makes, so no worker's measurement changes its speed meanwhile
    await choose(modal, 'resolution', '4k');
    expect(part(modal, 'estimated-time').getAttribute('data-state')).to.equal('pending');
    expect(await answeredTime(modal)).to.equal(await apiTime({ format: 'webm', resolution: '4k' }));
    expect(part(modal, 'estimate').textContent!.replace(/\s+/g, ' ')).to.match(
      /≈ [\d.]+ [KM]B · about \d+ (s|min)/,
    );
  });

  it('says the time is unknown when the API cannot answer, and still shows the size', async () => {
    const unreachable = createClient({ baseUrl: testStack().apiWithoutCors, token: testStack().token });
    const modal = await openModal(unreachable);
    expect(await answeredTime(modal)).to.equal('time unknown');
    expect(part(modal, 'estimate').querySelector('strong')!.textContent).to.match(/^≈ [\d.]+ [KM]B$/);
  });

  it('says the time is unknown without a client', async () => {
    const modal = await openModal(undefined);
    expect(await answeredTime(modal)).to.equal('time unknown');
  });
});
