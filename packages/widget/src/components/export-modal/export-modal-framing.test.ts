import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Export, ExportSegmentInput, VexportClient } from '@vexport/sdk';
import { nextEvent, testClient, testStack } from '../../../test/test-stack.js';
import './export-modal.js';
import type { ExportModal } from './export-modal.js';
import '../export-settings/export-settings.js';
import type { ExportSettingsElement } from '../export-settings/export-settings.js';

const twoSegments: ExportSegmentInput[] = [
  { start_time: 0, end_time: 1.5, label: 'Intro' },
  { start_time: 3, end_time: 4 },
];

async function openModal(client: VexportClient = testClient()): Promise<ExportModal> {
  const modal = await fixture<ExportModal>(
    html`<export-modal
      video-id=${testStack().videoId}
      .segments=${twoSegments}
      .client=${client}
    ></export-modal>`,
  );
  modal.open = true;
  await modal.updateComplete;
  await waitUntil(
    () => modal.shadowRoot!.querySelector('input[name="resolution"]:checked')?.closest('label')?.textContent,
    'the dialog never rendered its options',
  );
  return modal;
}

const shadow = (modal: ExportModal) => modal.shadowRoot!;
const checked = (modal: ExportModal, name: string) =>
  shadow(modal).querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
const values = (modal: ExportModal, name: string) =>
  [...shadow(modal).querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)].map((input) => input.value);

async function choose(modal: ExportModal, name: string, value: string): Promise<void> {
  shadow(modal).querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)!.click();
  await modal.updateComplete;
}

async function choosePreset(modal: ExportModal, key: string): Promise<void> {
  const select = shadow(modal).querySelector<HTMLSelectElement>('select[part="preset"]')!;
  select.value = key;
  select.dispatchEvent(new Event('change'));
  await modal.updateComplete;
}

async function submit(modal: ExportModal): Promise<Export> {
  const created = nextEvent<CustomEvent<{ export: Export }>>(modal, 'export-created');
  shadow(modal).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
  return (await created).detail.export;
}

/** The test API, with the sample video reported at `width`×`height` so the resolutions can be compared. */
function clientWithVideoSize(width: number, height: number): VexportClient {
  const real = testClient();
  return {
    ...real,
    getVideo: async (id, options) => ({ ...(await real.getVideo(id, options)), width, height }),
  };
}

const hint = (modal: ExportModal, resolution: string) =>
  shadow(modal)
    .querySelector(`input[name="resolution"][value="${resolution}"]`)!
    .closest('label')!
    .querySelector('.hint')?.textContent ?? '';

describe('<export-modal> framing and loudness', () => {
  beforeEach(async () => {
    await testClient().saveSettings({
      default_resolution: '1080p',
      default_format: 'mp4',
      default_quality: 'medium',
      custom_presets: [],
    });
  });

  it('offers the framings and loudness targets, and fill or fit only for a framing other than the source’s', async () => {
    const modal = await openModal();
    expect(values(modal, 'framing')).to.deep.equal(['original', '9:16', '1:1', '16:9']);
    expect(values(modal, 'loudness')).to.deep.equal(['off', 'social', 'podcast', 'broadcast']);
    expect([checked(modal, 'framing'), checked(modal, 'loudness')]).to.deep.equal(['original', 'off']);
    expect(values(modal, 'framing-fit'), 'fill or fit offered for the original framing').to.deep.equal([]);
    await choose(modal, 'framing', '9:16');
    expect(values(modal, 'framing-fit')).to.deep.equal(['crop', 'pad']);
    expect(checked(modal, 'framing-fit')).to.equal('crop');
    const labels = [...shadow(modal).querySelectorAll('input[name="framing-fit"]')].map(
      (input) => input.closest('label')!.querySelector('.option-label')!.textContent,
    );
    expect(labels).to.deep.equal(['Fill (crop)', 'Fit (bars)']);
  });

  it('sends the chosen framing, fit and loudness, and the export record has them', async () => {
    const modal = await openModal();
    await choose(modal, 'framing', '9:16');
    await choose(modal, 'framing-fit', 'pad');
    await choose(modal, 'loudness', 'podcast');
    const created = await submit(modal);
    expect(created).to.include({ framing: '9:16', framing_fit: 'pad', loudness_lufs: -16 });
    const stored = await testClient().getExport(created.id);
    expect(stored).to.include({ framing: '9:16', framing_fit: 'pad', loudness_lufs: -16 });
  });

  it('fills portrait 9:16, crop and −14 LUFS from the Reels preset, and exports with them', async () => {
    const modal = await openModal();
    const option = shadow(modal).querySelector('option[value="recommended:reels"]')!;
    expect(option.textContent).to.equal(
      'Instagram Reels, TikTok, Shorts — 1080p MP4 · Portrait 9:16 · Social −14 LUFS',
    );
    await choosePreset(modal, 'recommended:reels');
    expect(
      ['resolution', 'format', 'framing', 'framing-fit', 'loudness'].map((name) => checked(modal, name)),
    ).to.deep.equal(['1080p', 'mp4', '9:16', 'crop', 'social']);
    const created = await submit(modal);
    expect(created).to.include({
      resolution: '1080p',
      framing: '9:16',
      framing_fit: 'crop',
      loudness_lufs: -14,
    });
  });

  it('puts framing and loudness back to the source’s for a preset without them, and forgets the preset when one changes', async () => {
    const modal = await openModal();
    await choosePreset(modal, 'recommended:reels');
    await choosePreset(modal, 'recommended:youtube');
    expect([checked(modal, 'framing'), checked(modal, 'loudness')]).to.deep.equal(['original', 'off']);
    await choosePreset(modal, 'recommended:reels');
    await choose(modal, 'loudness', 'broadcast');
    expect(shadow(modal).querySelector<HTMLSelectElement>('select[part="preset"]')!.value).to.equal('');
  });

  it('names the Reels preset as Settings does, and Settings says the dialog chooses its framing and loudness', async () => {
    const modal = await openModal();
    const inDialog = shadow(modal).querySelector('option[value="recommended:reels"]')!.textContent!;
    const settings = await fixture<ExportSettingsElement>(
      html`<export-settings .client=${testClient()}></export-settings>`,
    );
    const recommended = settings.shadowRoot!.querySelector('section[aria-labelledby="recommended"]')!;
    const inSettings = [...recommended.querySelectorAll('[part="preset"] strong')].map(
      (name) => name.textContent!,
    );
    const reels = inSettings.find((name) => name.startsWith('Instagram'))!;
    expect(inDialog.split(' · ')[0]).to.equal(reels);
    expect(reels).not.to.match(/portrait|9:16|cropped|framed/i);
    expect(recommended.querySelector('[part="note"]')!.textContent).to.contain(
      'Framing and loudness are chosen in the export dialog',
    );
  });

  it('names only the preset that crops to portrait as portrait', async () => {
    const modal = await openModal();
    const names = [...shadow(modal).querySelectorAll<HTMLOptionElement>('option[value^="recommended:"]')].map(
      (option) => [option.value, option.textContent!] as const,
    );
    const portrait = names.filter(([, name]) => /portrait|9:16|vertical/i.test(name)).map(([key]) => key);
    expect(portrait).to.deep.equal(['recommended:reels']);
  });

  it('measures the resolutions in the chosen framing: cropping a 1080p landscape source to 9:16 enlarges it', async () => {
    const modal = await openModal(clientWithVideoSize(1920, 1080));
    await waitUntil(() => hint(modal, '1080p') === 'matches source', 'the source size never arrived');
    expect(shadow(modal).querySelector('[part="upscale-warning"]')).to.equal(null);

    await choose(modal, 'framing', '9:16');
    expect(hint(modal, '1080p')).to.equal('upscaled from 1080p');
    const warning = shadow(modal).querySelector('[part="upscale-warning"]')!;
    expect(warning.textContent).to.contain('framed as Portrait 9:16 at this resolution, it is enlarged');
    const sizeHint = shadow(modal)
      .querySelector('input[name="framing"][value="9:16"]')!
      .closest('label')!
      .querySelector('.hint')!.textContent;
    expect(sizeHint).to.equal('1080×1920');

    await choose(modal, 'framing-fit', 'pad');
    expect(hint(modal, '1080p'), 'bars shrink the picture to fit').to.equal('');
    expect(shadow(modal).querySelector('[part="upscale-warning"]')).to.equal(null);
  });

  it('with upscale="disable", moves off a resolution that the chosen framing would enlarge', async () => {
    const modal = await openModal(clientWithVideoSize(1920, 1080));
    modal.upscale = 'disable';
    await waitUntil(() => hint(modal, '1080p') === 'matches source', 'the source size never arrived');
    expect(checked(modal, 'resolution')).to.equal('1080p');
    await choose(modal, 'framing', '9:16');
    expect(checked(modal, 'resolution')).to.equal('720p');
    const disabled = shadow(modal).querySelector<HTMLInputElement>(
      'input[name="resolution"][value="1080p"]',
    )!;
    expect(disabled.disabled).to.equal(true);
  });

  it('has no accessibility violations with a framing, its fit and a loudness target shown', async () => {
    const modal = await openModal();
    await choosePreset(modal, 'recommended:reels');
    expect(values(modal, 'framing-fit')).to.have.length(2);
    await expect(modal).to.be.accessible();
  });
});
