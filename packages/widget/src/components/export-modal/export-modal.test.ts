import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createClient, type ExportSegmentInput } from '@vexport/sdk';
// the in-browser add-on, with its cores where it ships them
import '@vexport/widget-ffmpeg';
import { nextEvent, testClient, testStack } from '../../../test/test-stack.js';
import './export-modal.js';
import type { ExportModal } from './export-modal.js';

const twoSegments: ExportSegmentInput[] = [
  { start_time: 0, end_time: 1.5, label: 'Intro' },
  { start_time: 3, end_time: 4 },
];

async function openModal(
  segments: ExportSegmentInput[],
  videoId = testStack().videoId,
): Promise<ExportModal> {
  const modal = await fixture<ExportModal>(
    html`<export-modal video-id=${videoId} .segments=${segments} .client=${testClient()}></export-modal>`,
  );
  modal.open = true;
  await modal.updateComplete;
  return modal;
}

const shadow = (modal: ExportModal) => modal.shadowRoot!;
const checked = (modal: ExportModal, name: string) =>
  shadow(modal).querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;

describe('<export-modal> against the real API', () => {
  beforeEach(async () => {
    await testClient().saveSettings({
      default_resolution: '1080p',
      default_format: 'mp4',
      default_quality: 'medium',
      custom_presets: [],
    });
  });

  it('renders every option, the segments with their total, and an estimate that follows the options', async () => {
    const modal = await openModal(twoSegments);
    const root = shadow(modal);
    expect(root.querySelector('dialog')!.open).to.equal(true);
    expect(
      [...root.querySelectorAll<HTMLInputElement>('input[name="resolution"]')].map((input) => input.value),
    ).to.deep.equal(['720p', '1080p', '4k']);
    expect(
      [...root.querySelectorAll<HTMLInputElement>('input[name="quality"]')].map((input) => input.value),
    ).to.deep.equal(['high', 'medium', 'low']);
    expect(
      [...root.querySelectorAll<HTMLInputElement>('input[name="format"]')].map((input) => input.value),
    ).to.deep.equal(['mp4', 'mov', 'webm']);
    expect(
      [...root.querySelectorAll<HTMLInputElement>('input[name="export-type"]')].map((input) => input.value),
    ).to.deep.equal(['combined', 'clips']);
    expect(root.querySelectorAll('li')).to.have.length(2);
    expect(root.querySelector('.total')!.textContent).to.contain('2.5 s');
    const before = root.querySelector('[part="estimate"]')!.textContent;
    root.querySelector<HTMLInputElement>('input[name="quality"][value="high"]')!.click();
    await modal.updateComplete;
    expect(root.querySelector('[part="estimate"]')!.textContent).not.to.equal(before);
  });

  it('offers a single video, not a combined one, for one segment', async () => {
    const modal = await openModal([{ start_time: 0, end_time: 1 }]);
    expect(
      [...shadow(modal).querySelectorAll<HTMLInputElement>('input[name="export-type"]')].map(
        (input) => input.value,
      ),
    ).to.deep.equal(['single', 'clips']);
  });

  it('takes its defaults from the user’s saved settings', async () => {
    await testClient().saveSettings({
      default_resolution: '720p',
      default_format: 'webm',
      default_quality: 'low',
      custom_presets: [],
    });
    const modal = await openModal(twoSegments);
    await waitUntil(() => checked(modal, 'format') === 'webm', 'defaults were not applied');
    expect([checked(modal, 'resolution'), checked(modal, 'quality')]).to.deep.equal(['720p', 'low']);
  });

  it('explains what is missing and keeps Export disabled', async () => {
    const empty = await openModal([]);
    expect(shadow(empty).querySelector('[part="error"]')!.textContent).to.contain(
      'Select at least one segment',
    );
    expect(shadow(empty).querySelector<HTMLButtonElement>('[part="submit"]')!.disabled).to.equal(true);
    const beyond = await openModal([{ start_time: 0, end_time: testStack().videoDuration + 30 }]);
    await waitUntil(
      () => shadow(beyond).querySelector('[part="error"]')?.textContent?.includes('ends after the end'),
      'no range message',
    );
  });

  it('starts the export and fires export-created with the new record', async () => {
    const modal = await openModal(twoSegments);
    shadow(modal).querySelector<HTMLInputElement>('input[name="format"][value="webm"]')!.click();
    await modal.updateComplete;
    const created = nextEvent<CustomEvent>(modal, 'export-created');
    shadow(modal).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    const { detail } = await created;
    expect(detail.export).to.include({
      video_id: testStack().videoId,
      status: 'pending',
      format: 'webm',
      export_type: 'combined',
    });
    expect(detail.export.segment_selections).to.have.length(2);
    expect(modal.open).to.equal(false);
  });

  it('shows the server’s refusal in words and lets the user correct it', async () => {
    const modal = await openModal(twoSegments, '00000000-0000-4000-8000-000000000000');
    const submit = () => shadow(modal).querySelector<HTMLButtonElement>('[part="submit"]')!;
    await waitUntil(() => !submit().disabled, 'Export stays disabled');
    submit().click();
    await modal.updateComplete;
    expect(submit().disabled, 'disabled while the request is out').to.equal(true);
    await waitUntil(() => !submit().disabled, 'the refused request never ended');
    expect(shadow(modal).querySelector('[part="error"]')?.textContent).to.contain('No video with this id');
    expect(modal.open).to.equal(true);
    modal.videoId = testStack().videoId;
    await waitUntil(() => !shadow(modal).querySelector('[part="error"]'), 'the old error stays');
    const created = nextEvent<CustomEvent>(modal, 'export-created');
    submit().click();
    expect((await created).detail.export.status).to.equal('pending');
  });

  it('checks the segments against the video it is switched to while open', async () => {
    const beyond = [{ start_time: 0, end_time: testStack().videoDuration + 30 }];
    const modal = await openModal(beyond, '00000000-0000-4000-8000-000000000000');
    await waitUntil(
      () => shadow(modal).querySelector('[part="error"]')?.textContent?.includes('No video with this id'),
      'no error for the missing video',
    );
    modal.videoId = testStack().videoId;
    await waitUntil(
      () => shadow(modal).querySelector('[part="error"]')?.textContent?.includes('ends after the end'),
      'no range message for the new video',
    );
  });

  it('keeps an option the user picked while the saved defaults were loading', async () => {
    await testClient().saveSettings({
      default_resolution: '720p',
      default_format: 'webm',
      default_quality: 'low',
      custom_presets: [],
    });
    let releaseSettings!: () => void;
    const settingsHeld = new Promise<void>((resolve) => (releaseSettings = resolve));
    const real = testClient();
    const slowSettingsClient: typeof real = {
      ...real,
      getSettings: async (options) => {
        await settingsHeld;
        return real.getSettings(options);
      },
    };
    const modal = await fixture<ExportModal>(
      html`<export-modal
        video-id=${testStack().videoId}
        .segments=${twoSegments}
        .client=${slowSettingsClient}
      ></export-modal>`,
    );
    modal.open = true;
    await modal.updateComplete;
    shadow(modal).querySelector<HTMLInputElement>('input[name="format"][value="mov"]')!.click();
    releaseSettings();
    await waitUntil(() => checked(modal, 'resolution') === '720p', 'defaults were not applied');
    expect([checked(modal, 'format'), checked(modal, 'quality')]).to.deep.equal(['mov', 'low']);
  });

  it('works from the keyboard: focus inside, Escape closes and gives focus back', async () => {
    const opener = document.createElement('button');
    opener.textContent = 'Export…';
    document.body.append(opener);
    opener.focus();
    const modal = await openModal(twoSegments);
    expect(shadow(modal).activeElement).to.exist;
    await sendKeys({ press: 'Tab' });
    expect(shadow(modal).activeElement).to.exist;
    const closed = nextEvent(modal, 'export-modal-close', 5_000);
    await sendKeys({ press: 'Escape' });
    await closed;
    expect(modal.open).to.equal(false);
    expect(document.activeElement).to.equal(opener);
    opener.remove();
  });

  describe('with the source in the page (ffmpeg.wasm)', () => {
    let source: Blob;
    before(async () => {
      const { url } = await testClient().getVideoSourceUrl(testStack().videoId);
      source = await (await fetch(url)).blob();
    });

    const button = (modal: ExportModal, label: string) =>
      [...shadow(modal).querySelectorAll('button')].find(
        (candidate) => candidate.textContent?.trim() === label,
      )!;

    it('previews the first segment at low resolution', async () => {
      const modal = await openModal(twoSegments);
      modal.source = source;
      await modal.updateComplete;
      button(modal, 'Preview').click();
      await waitUntil(() => shadow(modal).querySelector('video[part="preview"]'), 'no preview', {
        timeout: 30_000,
      });
      const video = shadow(modal).querySelector<HTMLVideoElement>('video[part="preview"]')!;
      await waitUntil(() => video.readyState >= 1, 'preview does not play', { timeout: 10_000 });
      expect(video.duration).to.be.closeTo(1.5, 0.2);
      expect(video.videoHeight).to.equal(240);
    });

    it('exports a short selection in the browser with progress, producing a playable download', async () => {
      const modal = await openModal(twoSegments);
      modal.source = source;
      await modal.updateComplete;
      const completed = nextEvent<CustomEvent<{ blob: Blob; fileName: string }>>(
        modal,
        'local-export-completed',
        60_000,
      );
      button(modal, 'Export in this browser').click();
      const { blob, fileName } = (await completed).detail;
      expect(fileName).to.match(/^export-.+\.mp4$/);
      const video = document.createElement('video');
      video.src = URL.createObjectURL(blob);
      await new Promise((resolve) => (video.onloadedmetadata = resolve));
      expect(video.duration).to.be.closeTo(2.5, 0.2);
      await modal.updateComplete;
      expect(shadow(modal).querySelector('[part="local"] a[download]')).to.exist;
    });

    it('offers the browser export when the API cannot be reached', async () => {
      const offline = createClient({ baseUrl: 'http://127.0.0.1:9', token: 'x', maxRetries: 0 });
      const modal = await fixture<ExportModal>(
        html`<export-modal .segments=${twoSegments} .source=${source} .client=${offline}></export-modal>`,
      );
      modal.open = true;
      await modal.updateComplete;
      shadow(modal).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
      await waitUntil(
        () =>
          shadow(modal)
            .querySelector('[part="error"]')
            ?.textContent?.includes('export this short selection in your browser'),
        'no offline offer',
      );
      expect(button(modal, 'Export in this browser')).to.exist;
    });
  });

  it('shows every time to a tenth of a second, as the editor lists it', async () => {
    const modal = await openModal([{ start_time: 2.3, end_time: 3.5, label: 'Clip 3' }]);
    const item = shadow(modal).querySelector('li')!;
    expect(item.querySelector('.range')!.textContent).to.equal('0:02.3–0:03.5');
    expect(item.querySelector('.length')!.textContent).to.equal('1.2 s');
    expect(shadow(modal).querySelector('.total')!.textContent).to.contain('1.2 s');
    const beyond = await openModal([{ start_time: 0, end_time: testStack().videoDuration + 30 }]);
    await waitUntil(
      () => shadow(beyond).querySelector('[part="error"]')?.textContent?.includes('0:06.0'),
      'the video’s length is not given to a tenth',
    );
  });

  it('starts a quick export from the saved defaults and a single file, not the previous dialog’s choices', async () => {
    await testClient().saveSettings({
      default_resolution: '720p',
      default_format: 'mov',
      default_quality: 'low',
      custom_presets: [],
    });
    const modal = await openModal(twoSegments);
    await waitUntil(() => checked(modal, 'format') === 'mov', 'defaults were not applied');
    for (const [name, value] of [
      ['export-type', 'clips'],
      ['format', 'webm'],
      ['quality', 'high'],
      ['resolution', '1080p'],
    ]) {
      shadow(modal).querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)!.click();
    }
    await modal.updateComplete;
    shadow(modal).querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
    await modal.updateComplete;

    modal.segments = [{ start_time: 0, end_time: testStack().videoDuration }];
    modal.open = true;
    await modal.updateComplete;
    await waitUntil(() => checked(modal, 'export-type') === 'single', 'the previous type stayed');
    await waitUntil(() => checked(modal, 'format') === 'mov', 'the previous format stayed');
    expect([checked(modal, 'resolution'), checked(modal, 'quality')]).to.deep.equal(['720p', 'low']);
  });

  it('offers the user’s own presets and the recommended ones; choosing one fills the fields', async () => {
    await testClient().saveSettings({
      default_resolution: '1080p',
      default_format: 'mp4',
      default_quality: 'medium',
      custom_presets: [
        {
          id: 'review',
          name: 'Team review',
          resolution: '720p',
          format: 'webm',
          quality_preset: 'low',
          export_type: 'clips',
        },
      ],
    });
    const modal = await openModal(twoSegments);
    const select = () => shadow(modal).querySelector<HTMLSelectElement>('select[part="preset"]')!;
    const choose = async (key: string) => {
      select().value = key;
      select().dispatchEvent(new Event('change'));
      await modal.updateComplete;
    };
    await waitUntil(() => select().querySelector('option[value="own:review"]'), 'no own preset');
    const groups = [...select().querySelectorAll('optgroup')].map((group) => group.label);
    expect(groups).to.deep.equal(['Your presets', 'Recommended']);

    await choose('own:review');
    expect(
      ['export-type', 'resolution', 'quality', 'format'].map((name) => checked(modal, name)),
    ).to.deep.equal(['clips', '720p', 'low', 'webm']);

    await choose('recommended:youtube');
    expect(['resolution', 'quality', 'format'].map((name) => checked(modal, name))).to.deep.equal([
      '1080p',
      'high',
      'mp4',
    ]);
    expect(select().value).to.equal('recommended:youtube');

    shadow(modal).querySelector<HTMLInputElement>('input[name="format"][value="mov"]')!.click();
    await modal.updateComplete;
    expect(select().value, 'a changed field no longer shows the preset').to.equal('');
  });

  it('with progress="inline", stays open after Export and follows the export in place', async () => {
    const modal = await openModal(twoSegments);
    modal.progress = 'inline';
    await modal.updateComplete;
    const created = nextEvent<CustomEvent>(modal, 'export-created');
    shadow(modal).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    const { detail } = await created;
    await modal.updateComplete;
    expect(modal.open).to.equal(true);
    expect(shadow(modal).querySelector('dialog')!.open).to.equal(true);
    const progress = shadow(modal).querySelector('export-progress')!;
    expect(progress.exportId).to.equal(detail.export.id);
    expect(progress.getAttribute('part')).to.equal('progress');
    await waitUntil(() => progress.shadowRoot?.textContent?.trim(), 'the progress shows nothing');
    await expect(modal).to.be.accessible();
    const close = [...shadow(modal).querySelectorAll('button')].find(
      (candidate) => candidate.textContent?.trim() === 'Close',
    )!;
    close.click();
    await modal.updateComplete;
    expect(modal.open).to.equal(false);
  });

  it('has no accessibility violations when open', async () => {
    const modal = await openModal(twoSegments);
    await expect(modal).to.be.accessible();
  });
});
