import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './vexport-timeline.js';
import type { VexportTimeline } from './vexport-timeline.js';

/** Samples the repository keeps, served by the test runner from the repository root. */
const PLAYABLE = '/testing/media/real-world/androidx--mkv-bbb_642x642_768kbps_30fps_vp9.webm';
/** HEVC picture with AAC sound: Chromium without an HEVC decoder plays the sound over a black picture. */
const HEVC = '/testing/media/real-world/mediabunny--video-h265.mp4';

/** A timeline following a page player that loads `src`. */
async function timelineWithVideo(
  src: string,
): Promise<{ timeline: VexportTimeline; video: HTMLVideoElement }> {
  const wrapper = await fixture<HTMLDivElement>(html`
    <div style="width: 800px">
      <video muted preload="auto"></video>
      <vexport-timeline duration="10"></vexport-timeline>
    </div>
  `);
  const video = wrapper.querySelector('video')!;
  const timeline = wrapper.querySelector('vexport-timeline')!;
  timeline.video = video;
  await timeline.updateComplete;
  video.src = src;
  return { timeline, video };
}

const note = (timeline: VexportTimeline) =>
  timeline.shadowRoot!.querySelector<HTMLElement>('[part="unplayable"]');

describe('<vexport-timeline> with a video the browser cannot show', () => {
  it('says that an HEVC source cannot be previewed here but can still be exported', async () => {
    const { timeline, video } = await timelineWithVideo(HEVC);
    await waitUntil(() => video.error !== null || video.readyState >= 1, 'the video never loaded', {
      timeout: 10_000,
    });
    await waitUntil(() => note(timeline), 'no word about the black picture', { timeout: 10_000 });
    expect(note(timeline)!.getAttribute('role')).to.equal('alert');
    expect(note(timeline)!.textContent).to.match(/cannot show this video/);
    expect(note(timeline)!.textContent).to.match(/export/);
  });

  it('says so for a file that is not a video it can decode at all, and clears it for the next one', async () => {
    const garbage = URL.createObjectURL(new Blob([new Uint8Array(4096).fill(7)], { type: 'video/mp4' }));
    const { timeline, video } = await timelineWithVideo(garbage);
    await waitUntil(() => note(timeline), 'no word about the failed video', { timeout: 10_000 });
    URL.revokeObjectURL(garbage);

    video.src = PLAYABLE;
    await waitUntil(() => video.readyState >= 1, 'the playable video never loaded', { timeout: 10_000 });
    await timeline.updateComplete;
    expect(note(timeline)).to.equal(null);
  });
});

describe('<vexport-timeline> on touch screens', () => {
  it('hides the keyboard shortcut hints where the pointer is coarse and cannot hover', async () => {
    const timeline = await fixture<VexportTimeline>(
      html`<vexport-timeline duration="10"></vexport-timeline>`,
    );
    const sheets = timeline.shadowRoot!.adoptedStyleSheets;
    const touchRules = sheets
      .flatMap((sheet) => [...sheet.cssRules])
      .filter(
        (rule): rule is CSSMediaRule =>
          rule instanceof CSSMediaRule &&
          /pointer:\s*coarse/.test(rule.conditionText) &&
          /hover:\s*none/.test(rule.conditionText),
      );
    const hidden = touchRules
      .flatMap((rule) => [...rule.cssRules])
      .some(
        (rule) =>
          rule instanceof CSSStyleRule &&
          rule.selectorText.split(',').some((selector) => selector.trim() === '.shortcuts') &&
          rule.style.display === 'none',
      );
    expect(hidden, 'a (hover: none) and (pointer: coarse) rule hiding .shortcuts').to.equal(true);
  });

  it('words the empty clips list for touch, without keys, where the pointer is coarse and cannot hover', async () => {
    const timeline = await fixture<VexportTimeline>(
      html`<vexport-timeline duration="10"></vexport-timeline>`,
    );
    const touchRules = timeline
      .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
      .filter(
        (rule): rule is CSSMediaRule =>
          rule instanceof CSSMediaRule &&
          /pointer:\s*coarse/.test(rule.conditionText) &&
          /hover:\s*none/.test(rule.conditionText),
      )
      .flatMap((rule) => [...rule.cssRules])
      .filter((rule): rule is CSSStyleRule => rule instanceof CSSStyleRule);
    // apply the touch rules to the empty text as a phone would
    const empty = timeline.shadowRoot!.querySelector<HTMLElement>('.empty')!;
    for (const child of empty.querySelectorAll<HTMLElement>('*')) {
      const rule = touchRules.filter((candidate) => child.matches(candidate.selectorText)).at(-1);
      if (rule?.style.display) child.style.display = rule.style.display;
    }
    expect(empty.innerText.trim()).to.equal(
      'No clips yet. Tap Mark in where a clip starts and Mark out where it ends, or drag on the strip.',
    );
  });
});
