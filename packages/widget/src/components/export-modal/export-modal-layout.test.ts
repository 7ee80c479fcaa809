import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { testClient, testStack } from '../../../test/test-stack.js';
import './export-modal.js';
import type { ExportModal } from './export-modal.js';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'narrow', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

/** Relative luminance of a computed `rgb(…)` colour (WCAG 2). */
function luminance(color: string): number {
  const [r, g, b] = color
    .match(/[\d.]+/g)!
    .slice(0, 3)
    .map((channel) => {
      const value = Number(channel) / 255;
      return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(foreground: string, background: string): number {
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

/** A host page with a banner of its own and the demo's accent, with the dialog open on two segments. */
async function openOnHostPage(): Promise<{ page: HTMLElement; modal: ExportModal }> {
  await testClient().saveSettings({
    default_resolution: '720p',
    default_format: 'mp4',
    default_quality: 'medium',
    custom_presets: [],
  });
  const real = testClient();
  let videoLoaded!: () => void;
  const loaded = new Promise<void>((resolve) => (videoLoaded = resolve));
  const client: typeof real = {
    ...real,
    getVideo: async (id, options) => {
      const video = await real.getVideo(id, options);
      videoLoaded();
      return video;
    },
  };
  const page = await fixture<HTMLElement>(html`
    <div style="--vexport-color-accent: light-dark(#2563eb, #4c8dff)">
      <header><strong>Host app</strong></header>
      <main>
        <export-modal
          video-id=${testStack().videoId}
          .segments=${[
            { start_time: 0, end_time: 1.5, label: 'Intro with a long name that has to wrap on a phone' },
            { start_time: 3.2, end_time: 4.7, label: 'Ending' },
          ]}
          .client=${client}
        ></export-modal>
      </main>
    </div>
  `);
  const modal = page.querySelector('export-modal')!;
  modal.open = true;
  await modal.updateComplete;
  const checked = () => modal.shadowRoot!.querySelector<HTMLInputElement>('input[name="resolution"]:checked');
  await waitUntil(() => checked()?.value === '720p', 'the saved defaults never arrived');
  await loaded;
  await modal.updateComplete;
  return { page, modal };
}

const visible = (element: Element) => element.getClientRects().length > 0;

describe('<export-modal> on phones and desktops, in light and dark', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    document.documentElement.style.colorScheme = '';
    await setViewport({ width: 800, height: 600 });
  });

  const setUp = async (viewport: (typeof VIEWPORTS)[number], scheme: 'light' | 'dark') => {
    await setViewport({ width: viewport.width, height: viewport.height });
    await emulateMedia({ colorScheme: scheme });
    document.documentElement.style.colorScheme = scheme;
    return openOnHostPage();
  };

  for (const viewport of VIEWPORTS) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`fits ${viewport.width} px wide in ${scheme} without sideways scrolling, with 44 px touch targets`, async () => {
        const { modal } = await setUp(viewport, scheme);
        const root = modal.shadowRoot!;
        const dialog = root.querySelector('dialog')!;
        const box = dialog.getBoundingClientRect();
        expect(box.left, 'dialog starts off-screen').to.be.at.least(0);
        expect(box.right, 'dialog ends off-screen').to.be.at.most(viewport.width);
        expect(dialog.scrollWidth, 'the dialog scrolls sideways').to.be.at.most(dialog.clientWidth);
        expect(document.documentElement.scrollWidth, 'the page scrolls sideways').to.be.at.most(
          viewport.width,
        );

        const targets = [...root.querySelectorAll('button, select, label.option')].filter(visible);
        expect(targets.length).to.be.greaterThan(5);
        for (const target of targets) {
          const { width, height } = target.getBoundingClientRect();
          const name = target.textContent?.trim() || target.getAttribute('aria-label');
          expect(height, `${name} is ${height} px high`).to.be.at.least(44);
          expect(width, `${name} is ${width} px wide`).to.be.at.least(44);
        }
        await executeServerCommand('vexport-screenshot', {
          name: `export-modal-${viewport.name}-${scheme}`,
          selector: 'export-modal >> dialog',
        });
      });

      it(`is axe-clean at ${viewport.width} px in ${scheme} on a page with its own banner, Export at 4.5:1 or more`, async () => {
        const { page, modal } = await setUp(viewport, scheme);
        const root = modal.shadowRoot!;
        const banners = root.querySelectorAll('header, [role="banner"]').length;
        expect(banners, 'the dialog adds a banner landmark').to.equal(0);
        const submit = root.querySelector<HTMLButtonElement>('[part="submit"]')!;
        const style = getComputedStyle(submit);
        expect(contrast(style.color, style.backgroundColor)).to.be.at.least(4.5);
        await expect(page).to.be.accessible();
      });
    }
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`fits 390 px in ${scheme} with a portrait framing, its fill or fit and loudness shown, axe-clean`, async () => {
      const { page, modal } = await setUp(VIEWPORTS[0], scheme);
      const root = modal.shadowRoot!;
      root.querySelector<HTMLInputElement>('input[name="framing"][value="9:16"]')!.click();
      root.querySelector<HTMLInputElement>('input[name="loudness"][value="social"]')!.click();
      await modal.updateComplete;
      expect(root.querySelectorAll('input[name="framing-fit"]')).to.have.length(2);
      const dialog = root.querySelector('dialog')!;
      expect(dialog.scrollWidth, 'the dialog scrolls sideways').to.be.at.most(dialog.clientWidth);
      expect(document.documentElement.scrollWidth, 'the page scrolls sideways').to.be.at.most(390);
      for (const option of root.querySelectorAll('label.option')) {
        expect(option.getBoundingClientRect().right, `${option.textContent?.trim()} overflows`).to.be.at.most(
          dialog.getBoundingClientRect().right,
        );
      }
      await expect(page).to.be.accessible();
    });
  }

  it('lays options out one per row in a phone-wide dialog and side by side on a desktop', async () => {
    const lefts = async (width: number) => {
      await setViewport({ width, height: 900 });
      const { modal } = await openOnHostPage();
      await new Promise(requestAnimationFrame);
      return [...modal.shadowRoot!.querySelectorAll('input[name="resolution"]')].map(
        (input) => input.closest('label')!.getBoundingClientRect().left,
      );
    };
    const phone = await lefts(390);
    expect(new Set(phone).size, 'resolutions side by side on a phone').to.equal(1);
    const desktop = await lefts(1280);
    expect(new Set(desktop).size, 'resolutions stacked on a desktop').to.equal(3);
  });
});
