import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Export, ExportProgress, VexportClient } from '@vexport/sdk';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { newUserClient, nextEvent } from '../../../test/test-stack.js';
import './export-progress.js';
import type { ExportProgressElement } from './export-progress.js';

const POSTER =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90"><rect width="160" height="90" fill="teal"/></svg>',
  );

const RECORD = {
  id: 'e-1',
  video_id: 'v-1',
  export_type: 'combined',
  resolution: '4k',
  format: 'webm',
  quality_preset: 'high',
  status: 'processing',
  segment_selections: [{ start_time: 0, end_time: 1 }],
  error_message: null,
} as unknown as Export;

/**
 * A client that plays `samples` as the export's progress. Only the ETA and the states a real export cannot be
 * held in (running forever, failed) use it; `onNext` runs each time the element asks for the next sample.
 */
function scriptedClient(samples: ExportProgress[], onNext: () => Promise<void> = async () => {}) {
  return {
    async *watchExport() {
      for (const sample of samples) {
        yield sample;
        await onNext();
      }
      await new Promise(() => {});
    },
    getExport: async () => RECORD,
    getVideo: async () => ({ id: 'v-1', title: 'Beach trip, day 2' }),
  } as unknown as VexportClient;
}

const sample = (progress: number, seconds: number, status = 'processing'): ExportProgress =>
  ({
    progress,
    status,
    current_stage: 'processing',
    estimated_time_remaining: null,
    elapsed_time: seconds,
    updated_at: new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString(),
  }) as ExportProgress;

const part = (element: ExportProgressElement, name: string) =>
  element.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`);

async function useScheme(scheme: 'light' | 'dark'): Promise<void> {
  await emulateMedia({ colorScheme: scheme });
  document.documentElement.style.colorScheme = scheme;
  document.body.style.background = scheme === 'dark' ? '#0d1117' : '#ffffff';
}

describe('<export-progress> shows which export it is', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it("names the video from its record, lists the export's options and shows the poster", async () => {
    const { client, videoId } = await newUserClient();
    const created = await client.createExport(videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    const element = await fixture<ExportProgressElement>(
      html`<export-progress export-id=${created.id} poster=${POSTER} .client=${client}></export-progress>`,
    );
    await waitUntil(() => part(element, 'name'), 'no video name shown');
    expect(part(element, 'name')!.textContent).to.equal('Sample');
    expect(part(element, 'options')!.textContent).to.equal('Single video · 720p · MP4 · Low quality');
    expect(part(element, 'poster')!.getAttribute('src')).to.equal(POSTER);
    expect(part(element, 'bar')!.getAttribute('aria-label')).to.equal('Export progress: Sample');
    await nextEvent(element, 'export-completed');
  });

  it("prefers the host's video-name, and labels 4K as the dialog does", async () => {
    const element = await fixture<ExportProgressElement>(
      html`<export-progress
        export-id="e-1"
        video-name="Interview (final cut)"
        .client=${scriptedClient([sample(10, 0)])}
      ></export-progress>`,
    );
    await waitUntil(() => part(element, 'options'), 'no options shown');
    expect(part(element, 'name')!.textContent).to.equal('Interview (final cut)');
    expect(part(element, 'options')!.textContent).to.equal('Combined video · 4K · WebM · High quality');
  });
});

describe('<export-progress> time left', () => {
  it('says "Estimating…" until two measurements, then shows a time left that never grows', async () => {
    const seen: string[] = [];
    const element = document.createElement('export-progress');
    const record = async () => {
      await element.updateComplete;
      seen.push(part(element, 'eta')!.textContent!.trim());
    };
    // the speeds of the report: 16 → 24 % while the server's estimate went 0:09 → 0:23
    const samples = [
      sample(10, 0),
      sample(16, 3),
      sample(20, 9),
      sample(24, 21),
      sample(40, 27),
      sample(70, 33),
    ];
    element.client = scriptedClient(samples, record);
    element.exportId = 'e-1';
    document.body.append(element);
    await waitUntil(() => seen.length === samples.length, 'not every sample was shown', { timeout: 5_000 });
    element.remove();
    expect(seen[0]).to.equal('Remaining: Estimating…');
    const seconds = seen.slice(1).map((line) => {
      const [minutes, rest] = line.replace('Remaining: ', '').split(':').map(Number);
      return minutes! * 60 + rest!;
    });
    expect(seconds.every((value) => Number.isFinite(value))).to.equal(true);
    for (let index = 1; index < seconds.length; index += 1) {
      expect(seconds[index]!, `ETA went ${seen.join(' → ')}`).to.be.at.most(seconds[index - 1]!);
    }
  });
});

describe('<export-progress> time left on a fake clock', () => {
  let now = 0;
  const realNow = Object.getOwnPropertyDescriptor(performance, 'now');
  beforeEach(() => {
    now = 1_000_000;
    Object.defineProperty(performance, 'now', { configurable: true, value: () => now });
  });
  afterEach(() => {
    if (realNow) Object.defineProperty(performance, 'now', realNow);
    else delete (performance as { now?: unknown }).now;
  });

  async function showing(samples: ExportProgress[]) {
    let shown = 0;
    const element = await fixture<ExportProgressElement>(
      html`<export-progress
        export-id="e-1"
        .client=${scriptedClient(samples, async () => {
          shown += 1;
        })}
      ></export-progress>`,
    );
    await waitUntil(() => shown === samples.length, 'not every sample was shown');
    await element.updateComplete;
    const eta = () => part(element, 'eta')!.textContent!.trim();
    return { element, eta };
  }

  it('says "Estimating…" while the first readings are too few to trust (30 % in the first second)', async () => {
    const { eta } = await showing([sample(0, 0), sample(30, 1)]);
    expect(eta()).to.equal('Remaining: Estimating…');
  });

  it('counts down with the wall clock while progress stalls, then admits it does not know', async () => {
    const { eta } = await showing([sample(10, 0), sample(20, 10)]);
    expect(eta()).to.equal('Remaining: 1:20');
    // the shown time is refreshed once a second: each wait outlasts one refresh
    const refreshed = { timeout: 3_000 };
    now += 10_000;
    await waitUntil(() => eta() === 'Remaining: 1:10', `still ${eta()} ten seconds later`, refreshed);
    now += 75_000;
    await waitUntil(
      () => eta() === 'Remaining: Estimating…',
      `still ${eta()} after the countdown ran out`,
      refreshed,
    );
  });
});

describe('<export-progress> after it ended', () => {
  for (const [status, icon] of [
    ['cancelled', '⊘'],
    ['failed', '⚠'],
  ] as const) {
    it(`shows a ${status} export with its own icon, not the gear of the stage it stopped in`, async () => {
      const element = await fixture<ExportProgressElement>(
        html`<export-progress
          export-id="e-1"
          .client=${scriptedClient([sample(40, 5, status)])}
        ></export-progress>`,
      );
      const card = () => element.shadowRoot!.querySelector<HTMLElement>('.card');
      await waitUntil(() => card()?.dataset.status === status, 'the end was not shown');
      expect(part(element, 'stage')!.querySelector('.icon')!.textContent).to.equal(icon);
    });
  }
});

describe('<export-progress notify>', () => {
  const RealNotification = window.Notification;
  afterEach(() => {
    window.Notification = RealNotification;
  });

  it('announces a completed export with a system notification and a title badge until the page has focus', async () => {
    // Headless Chromium cannot grant the permission, so a stand-in records what would be shown.
    const shown: { title: string; body?: string }[] = [];
    window.Notification = class {
      static permission = 'granted';
      constructor(title: string, options: NotificationOptions = {}) {
        shown.push({ title, body: options.body });
      }
    } as unknown as typeof Notification;
    document.title = 'My video app';
    const { client, videoId } = await newUserClient();
    const created = await client.createExport(videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    const element = await fixture<ExportProgressElement>(
      html`<export-progress notify export-id=${created.id} .client=${client}></export-progress>`,
    );
    await waitUntil(() => part(element, 'name'), 'no video name shown');
    await nextEvent(element, 'export-completed');
    expect(shown).to.deep.equal([{ title: 'Export ready', body: 'Sample is ready to download.' }]);
    expect(document.title).to.equal('✓ Export ready — My video app');
    window.dispatchEvent(new Event('focus'));
    expect(document.title).to.equal('My video app');
  });
});

describe('<export-progress> layouts', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  for (const [viewport, width, posterWidth] of [
    ['phone', 390, 64],
    ['desktop', 1280, 128],
  ] as const) {
    it(`fits a ${viewport} (${width} px) with touch-sized buttons and a poster sized to its space`, async () => {
      await setViewport({ width, height: 844 });
      const element = await fixture<ExportProgressElement>(
        html`<export-progress
          export-id="e-1"
          poster=${POSTER}
          video-name="A very long name of a holiday video that a person gave it on their phone.mov"
          .client=${scriptedClient([sample(10, 0), sample(20, 5)])}
        ></export-progress>`,
      );
      await waitUntil(() => part(element, 'actions')!.querySelector('button'), 'no cancel button');
      element.shadowRoot!.querySelector<HTMLButtonElement>('[part="actions"] button')!.click();
      await element.updateComplete;
      expect(document.documentElement.scrollWidth).to.be.at.most(width);
      const card = element.shadowRoot!.querySelector<HTMLElement>('.card')!;
      expect(card.scrollWidth).to.be.at.most(card.clientWidth);
      for (const button of element.shadowRoot!.querySelectorAll('button')) {
        expect(button.getBoundingClientRect().height).to.be.at.least(44);
      }
      expect(Math.round(part(element, 'poster')!.getBoundingClientRect().width)).to.equal(posterWidth);
    });
  }

  it('compact: one short card for a toast, without the options line or a preview', async () => {
    const element = await fixture<ExportProgressElement>(
      html`<div style="width: 320px">
        <export-progress
          compact
          export-id="e-1"
          poster=${POSTER}
          .client=${scriptedClient([sample(10, 0), sample(20, 5)])}
        ></export-progress>
      </div>`,
    ).then((wrapper) => wrapper.querySelector('export-progress')!);
    await waitUntil(() => part(element, 'name') && part(element, 'eta'), 'not shown');
    expect(part(element, 'options')).to.equal(null);
    expect(part(element, 'times')!.textContent).not.to.contain('Elapsed');
    expect(Math.round(part(element, 'poster')!.getBoundingClientRect().width)).to.equal(48);
    const full = await fixture<ExportProgressElement>(
      html`<div style="width: 320px">
        <export-progress export-id="e-1" .client=${scriptedClient([sample(10, 0)])}></export-progress>
      </div>`,
    ).then((wrapper) => wrapper.querySelector('export-progress')!);
    await waitUntil(() => part(full, 'options'), 'not shown');
    expect(element.getBoundingClientRect().height).to.be.below(full.getBoundingClientRect().height);
  });
});

describe('<export-progress> accessibility', () => {
  after(() => useScheme('light'));

  for (const scheme of ['light', 'dark'] as const) {
    it(`is accessible in ${scheme}: running with the stop question open, compact, and failed`, async () => {
      await useScheme(scheme);
      const running = await fixture<ExportProgressElement>(
        html`<export-progress
          export-id="e-1"
          poster=${POSTER}
          .client=${scriptedClient([sample(10, 0), sample(20, 5)])}
        ></export-progress>`,
      );
      await waitUntil(
        () => part(running, 'name') && running.shadowRoot!.querySelector('[part="actions"] button'),
      );
      running.shadowRoot!.querySelector<HTMLButtonElement>('[part="actions"] button')!.click();
      await running.updateComplete;
      expect(running.shadowRoot!.querySelector('.confirm')!.textContent).to.contain(
        'Stop the export “Beach trip, day 2”?',
      );
      await expect(running).to.be.accessible();

      const compact = await fixture<ExportProgressElement>(
        html`<export-progress
          compact
          export-id="e-1"
          .client=${scriptedClient([sample(10, 0)])}
        ></export-progress>`,
      );
      await waitUntil(() => part(compact, 'name'));
      await expect(compact).to.be.accessible();

      const failed = await fixture<ExportProgressElement>(
        html`<export-progress
          export-id="e-1"
          .client=${scriptedClient([sample(40, 3, 'failed')])}
        ></export-progress>`,
      );
      await waitUntil(() => part(failed, 'error'));
      await expect(failed).to.be.accessible();
    });
  }
});
