import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import {
  emulateMedia,
  executeServerCommand,
  sendKeys,
  sendMouse,
  setViewport,
} from '@web/test-runner-commands';
import './vexport-timeline.js';
import type { TimelineSegment, VexportTimeline } from './vexport-timeline.js';

/** A sample video the repository keeps, served by the test runner from the repository root. */
const SAMPLE_VIDEO = '/testing/media/real-world/androidx--mkv-bbb_642x642_768kbps_30fps_vp9.webm';

async function timeline(
  segments: TimelineSegment[] = [],
  { width = 800, duration = 10, frameRate = 10 } = {},
): Promise<VexportTimeline> {
  const wrapper = await fixture<HTMLDivElement>(html`
    <div style="width: ${width}px; max-width: 100%; box-sizing: border-box; padding: 8px">
      <vexport-timeline duration=${duration} frame-rate=${frameRate} .segments=${segments}></vexport-timeline>
    </div>
  `);
  const element = wrapper.querySelector('vexport-timeline')!;
  await element.updateComplete;
  return element;
}

const $ = <T extends Element = HTMLElement>(element: VexportTimeline, selector: string) =>
  element.shadowRoot!.querySelector<T>(selector)!;
const $$ = <T extends Element = HTMLElement>(element: VexportTimeline, selector: string) => [
  ...element.shadowRoot!.querySelectorAll<T>(selector),
];
const handle = (element: VexportTimeline, clip: number, edge: 'start' | 'end') =>
  $$(element, `.handle.${edge}`)[clip]!;
const times = (element: VexportTimeline) => element.segments.map((clip) => [clip.start_time, clip.end_time]);
const focused = (element: VexportTimeline) => element.shadowRoot!.activeElement as HTMLElement | null;

/** The page x of `time` seconds on the strip. */
function xOf(element: VexportTimeline, time: number): number {
  const box = $(element, '.track').getBoundingClientRect();
  return box.left + (time / element.duration) * box.width;
}

function yOfStrip(element: VexportTimeline): number {
  const box = $(element, '.strip').getBoundingClientRect();
  return Math.round(box.top + box.height / 2);
}

/** Drags with the real mouse from `fromX` to `toX` at height `y`, in steps as a hand would. */
async function mouseDrag(fromX: number, toX: number, y: number): Promise<void> {
  await sendMouse({ type: 'move', position: [Math.round(fromX), y] });
  await sendMouse({ type: 'down' });
  for (let step = 1; step <= 4; step += 1) {
    await sendMouse({ type: 'move', position: [Math.round(fromX + ((toX - fromX) * step) / 4), y] });
  }
  await sendMouse({ type: 'up' });
}

/** A touch drag as a phone sends it: pointer events of type "touch". */
function touchDrag(target: HTMLElement, fromX: number, toX: number, y: number): void {
  const init = {
    bubbles: true,
    composed: true,
    pointerId: 7,
    pointerType: 'touch',
    isPrimary: true,
    clientY: y,
  };
  target.dispatchEvent(new PointerEvent('pointerdown', { ...init, clientX: fromX, button: 0, buttons: 1 }));
  for (let step = 1; step <= 4; step += 1) {
    const clientX = fromX + ((toX - fromX) * step) / 4;
    target.dispatchEvent(new PointerEvent('pointermove', { ...init, clientX, buttons: 1 }));
  }
  target.dispatchEvent(new PointerEvent('pointerup', { ...init, clientX: toX, button: 0 }));
}

async function typeTime(element: VexportTimeline, selector: string, text: string): Promise<void> {
  const input = $<HTMLInputElement>(element, selector);
  input.focus();
  input.select();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
  await element.updateComplete;
}

const nextChange = (element: VexportTimeline) =>
  oneEvent<HTMLElementEventMap['segments-change']>(element, 'segments-change');

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

describe('<vexport-timeline>', () => {
  before(() => setViewport({ width: 1000, height: 800 }));
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    document.documentElement.style.colorScheme = '';
    document.body.style.background = '';
    await setViewport({ width: 1000, height: 800 });
  });

  describe('keyboard only', () => {
    it('marks a clip with I and O, trims it with the arrow keys on its handles, reached by Tab', async () => {
      const element = await timeline();
      $(element, '[part="playhead"]').focus();
      await sendKeys({ press: 'Shift+ArrowRight' });
      await sendKeys({ press: 'ArrowRight' });
      expect(element.currentTime).to.equal(1.1);
      await sendKeys({ press: 'i' });
      await sendKeys({ press: 'Shift+ArrowRight' });
      await sendKeys({ press: 'Shift+ArrowRight' });
      const changed = nextChange(element);
      await sendKeys({ press: 'o' });
      expect((await changed).detail.segments).to.deep.equal([
        { start_time: 1.1, end_time: 3.1, label: 'Clip 1' },
      ]);
      await element.updateComplete;
      expect($(element, '[part="message"]').textContent).to.contain('Clip 1 added: 0:01.1 to 0:03.1');

      await sendKeys({ press: 'Tab' });
      expect(focused(element)).to.equal(handle(element, 0, 'start'));
      await sendKeys({ press: 'ArrowLeft' });
      await sendKeys({ press: 'Tab' });
      expect(focused(element)!.classList.contains('clip-body')).to.be.true;
      await sendKeys({ press: 'Tab' });
      expect(focused(element)).to.equal(handle(element, 0, 'end'));
      await sendKeys({ press: 'Shift+ArrowRight' });
      expect(times(element)).to.deep.equal([[1, 4.1]]);
      expect(handle(element, 0, 'end').getAttribute('aria-valuetext')).to.equal('0:04.1');
    });

    it('reaches every button, clip, handle and time field with Tab', async () => {
      const element = await timeline([
        { start_time: 1, end_time: 2 },
        { start_time: 4, end_time: 6, label: 'Ending' },
      ]);
      const reached = new Set<Element>();
      $(element, 'button.zoom-out').focus();
      for (let press = 0; press < 30; press += 1) {
        if (focused(element)) reached.add(focused(element)!);
        await sendKeys({ press: 'Tab' });
      }
      const wanted = $$(
        element,
        '.toolbar button:not([disabled]), [part="playhead"], .handle, .clip-body, .row input, .row button',
      );
      expect(wanted.length).to.equal(3 + 1 + 2 * 3 + 2 * 4);
      for (const target of wanted) expect(reached.has(target), target.outerHTML).to.be.true;
    });

    it('with O and no mark in, starts the clip where the previous clip ends, or at 0', async () => {
      const element = await timeline();
      element.currentTime = 2;
      await element.updateComplete;
      $(element, '[part="playhead"]').focus();
      await sendKeys({ press: 'o' });
      expect(times(element)).to.deep.equal([[0, 2]]);
      element.currentTime = 5;
      await element.updateComplete;
      await sendKeys({ press: 'o' });
      expect(times(element)).to.deep.equal([
        [0, 2],
        [2, 5],
      ]);
      await element.updateComplete;
      expect($(element, '[part="message"]').textContent).to.contain('starts where the previous clip ends');
    });

    it('explains why O inside a clip, or before the mark in, makes nothing', async () => {
      const element = await timeline([{ start_time: 2, end_time: 4 }]);
      element.currentTime = 3;
      await element.updateComplete;
      $(element, '[part="playhead"]').focus();
      await sendKeys({ press: 'o' });
      await element.updateComplete;
      expect($(element, '[part="message"]').textContent).to.contain('inside Clip 1');
      element.currentTime = 6;
      await element.updateComplete;
      await sendKeys({ press: 'i' });
      await sendKeys({ press: 'Shift+ArrowLeft' });
      await sendKeys({ press: 'o' });
      await element.updateComplete;
      expect($(element, '[part="message"]').textContent).to.contain('after the mark in (0:06.0)');
      expect(times(element)).to.deep.equal([[2, 4]]);
    });

    it('plays with L, stops with K, plays backwards with J and toggles with space', async () => {
      const element = await timeline();
      $(element, '[part="playhead"]').focus();
      await sendKeys({ press: 'l' });
      await waitUntil(() => element.currentTime > 0.3, 'L did not play');
      await sendKeys({ press: 'k' });
      const stoppedAt = element.currentTime;
      await nextFrame();
      await nextFrame();
      expect(element.currentTime).to.equal(stoppedAt);
      await sendKeys({ press: 'j' });
      await waitUntil(() => element.currentTime < stoppedAt, 'J did not play backwards');
      await sendKeys({ press: ' ' });
      const pausedAt = element.currentTime;
      await nextFrame();
      await nextFrame();
      expect(element.currentTime).to.equal(pausedAt);
      await sendKeys({ press: ' ' });
      await waitUntil(() => element.currentTime > pausedAt, 'space did not play');
      await sendKeys({ press: 'k' });
    });

    it('removes the focused clip with Delete', async () => {
      const element = await timeline([
        { start_time: 1, end_time: 2 },
        { start_time: 4, end_time: 6 },
      ]);
      $$(element, '.clip-body')[0]!.focus();
      const changed = nextChange(element);
      await sendKeys({ press: 'Delete' });
      expect((await changed).detail.segments).to.deep.equal([{ start_time: 4, end_time: 6 }]);
    });
  });

  describe('pointer', () => {
    it('drags a clip’s out handle with the mouse, snapping to frames', async () => {
      const element = await timeline([{ start_time: 1, end_time: 3 }]);
      const seeks: number[] = [];
      element.addEventListener('seek', (event) => seeks.push(event.detail.time));
      const changed = nextChange(element);
      const grip = handle(element, 0, 'end').querySelector('.grip')!.getBoundingClientRect();
      await mouseDrag(grip.left + grip.width / 2, xOf(element, 5.03), yOfStrip(element));
      const [{ start_time: start, end_time: end }] = (await changed).detail.segments as [TimelineSegment];
      expect(start).to.equal(1);
      expect(end).to.be.closeTo(5, 0.11);
      expect(Math.round(end * 10) / 10).to.equal(end);
      expect(seeks.at(-1)).to.equal(end);
    });

    it('drags an in handle by touch', async () => {
      const element = await timeline([{ start_time: 2, end_time: 4 }]);
      const changed = nextChange(element);
      touchDrag(handle(element, 0, 'start'), xOf(element, 2), xOf(element, 0.5), yOfStrip(element));
      expect((await changed).detail.segments[0]!.start_time).to.be.closeTo(0.5, 0.11);
    });

    it('makes a clip by dragging across the strip, and seeks on a tap', async () => {
      const element = await timeline([{ start_time: 1, end_time: 2 }]);
      const changed = nextChange(element);
      await mouseDrag(xOf(element, 6), xOf(element, 8), yOfStrip(element));
      const segments = (await changed).detail.segments;
      expect(segments).to.have.length(2);
      expect(segments[1]!.start_time).to.be.closeTo(6, 0.11);
      expect(segments[1]!.end_time).to.be.closeTo(8, 0.11);
      const seek = oneEvent<HTMLElementEventMap['seek']>(element, 'seek');
      await sendMouse({ type: 'click', position: [Math.round(xOf(element, 4)), yOfStrip(element)] });
      expect((await seek).detail.time).to.be.closeTo(4, 0.11);
    });
  });

  describe('overlap', () => {
    it('stops a dragged handle at the next clip and says so', async () => {
      const element = await timeline([
        { start_time: 1, end_time: 3 },
        { start_time: 5, end_time: 7 },
      ]);
      const changed = nextChange(element);
      const grip = handle(element, 0, 'end').querySelector('.grip')!.getBoundingClientRect();
      await mouseDrag(grip.left + grip.width / 2, xOf(element, 6.5), yOfStrip(element));
      expect((await changed).detail.segments.map((clip) => [clip.start_time, clip.end_time])).to.deep.equal([
        [1, 5],
        [5, 7],
      ]);
      await element.updateComplete;
      expect($(element, '[part="message"]').textContent).to.contain('Clip 1 stops at Clip 2');
    });

    it('stops a handle moved by keys at the previous clip', async () => {
      const element = await timeline([
        { start_time: 1, end_time: 3 },
        { start_time: 3.2, end_time: 7 },
      ]);
      handle(element, 1, 'start').focus();
      await sendKeys({ press: 'Shift+ArrowLeft' });
      expect(times(element)).to.deep.equal([
        [1, 3],
        [3, 7],
      ]);
    });

    it('refuses a typed time that would overlap, and flags clips the host gave overlapping', async () => {
      const element = await timeline([
        { start_time: 1, end_time: 3 },
        { start_time: 5, end_time: 7 },
      ]);
      await typeTime(element, '.row:nth-child(2) input.time.start', '0:02');
      expect(times(element)).to.deep.equal([
        [1, 3],
        [5, 7],
      ]);
      const input = $(element, '.row:nth-child(2) input.time.start');
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect($(element, '[part="message"]').textContent).to.contain('Clip 2 would overlap Clip 1');

      element.segments = [
        { start_time: 1, end_time: 4 },
        { start_time: 3, end_time: 6 },
      ];
      await element.updateComplete;
      expect($$(element, '.clip[data-overlap]')).to.have.length(2);
      expect($(element, '[role="alert"]').textContent).to.contain('Some clips overlap');
      expect($(element, '.row .flag').textContent).to.contain('Overlaps Clip 2');
    });
  });

  describe('typed times', () => {
    it('applies m:ss.s times snapped to frames and refuses what is not a time or past the end', async () => {
      const element = await timeline([{ start_time: 1, end_time: 3 }], { frameRate: 25 });
      const changed = nextChange(element);
      await typeTime(element, 'input.time.start', '0:01.5');
      expect((await changed).detail.segments[0]!.start_time).to.equal(1.52);
      await typeTime(element, 'input.time.end', '1:30');
      expect($(element, '[part="message"]').textContent).to.contain('The video ends at 0:10.0');
      await typeTime(element, 'input.time.end', 'soon');
      expect($(element, '[part="message"]').textContent).to.contain('minutes:seconds');
      expect($<HTMLInputElement>(element, 'input.time.end').value).to.equal('soon');
      await typeTime(element, 'input.time.end', '0:08,4');
      expect(times(element)).to.deep.equal([[1.52, 8.4]]);
      expect($(element, 'input.time.end').getAttribute('aria-invalid')).to.equal('false');
      await typeTime(element, 'input.time.start', '9');
      expect($(element, '[part="message"]').textContent).to.contain('before the end (0:08.4)');
    });
  });

  describe('zoom and filmstrip', () => {
    it('zooms with its buttons and with Ctrl+wheel (a pinch), keeping the strip scrollable', async () => {
      const element = await timeline([{ start_time: 1, end_time: 2 }]);
      const width = $(element, '.track').clientWidth;
      $<HTMLButtonElement>(element, 'button.zoom-in').click();
      await element.updateComplete;
      expect(element.zoom).to.equal(2);
      expect($(element, '.track').clientWidth).to.be.closeTo(width * 2, 2);
      const viewport = $(element, '.viewport');
      const box = viewport.getBoundingClientRect();
      viewport.dispatchEvent(
        new WheelEvent('wheel', {
          deltaY: -200,
          ctrlKey: true,
          clientX: box.left + 100,
          clientY: box.top + 40,
          bubbles: true,
          cancelable: true,
        }),
      );
      await element.updateComplete;
      expect(element.zoom).to.be.above(5);
      expect(viewport.scrollWidth).to.be.above(viewport.clientWidth * 4);
      $<HTMLButtonElement>(element, 'button.zoom-out').click();
      await element.updateComplete;
      expect(element.zoom).to.be.below(5);
    });

    it('extracts thumbnails from the page’s video, drives it, and frees them when removed', async () => {
      const video = document.createElement('video');
      video.muted = true;
      // from memory, because the test server does not answer range requests and so cannot be seeked in
      video.src = URL.createObjectURL(await (await fetch(SAMPLE_VIDEO)).blob());
      document.body.append(video);
      await oneEvent(video, 'loadedmetadata');
      const element = await timeline([], { duration: 0 });
      element.video = video;
      await waitUntil(() => $$(element, '.filmstrip img').length >= 3, 'no thumbnails', { timeout: 20_000 });
      const url = $<HTMLImageElement>(element, '.filmstrip img').src;
      expect(url).to.match(/^blob:/);
      expect((await fetch(url)).ok).to.be.true;

      $(element, '[part="playhead"]').focus();
      await sendKeys({ press: 'Shift+ArrowRight' });
      expect(video.currentTime).to.equal(1);

      element.parentElement!.remove();
      video.remove();
      URL.revokeObjectURL(video.src);
      let freed = false;
      await fetch(url).catch(() => (freed = true));
      expect(freed).to.be.true;
    });

    it('shows thumbnails given as URLs', async () => {
      const element = await timeline();
      element.thumbnails = [
        SAMPLE_VIDEO.replace(/[^/]+$/, 'missing-a.jpg'),
        'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
      ];
      await element.updateComplete;
      expect($$(element, '.filmstrip img').map((img) => img.getAttribute('src'))).to.deep.equal(
        element.thumbnails,
      );
    });
  });

  describe('layout and accessibility', () => {
    for (const scheme of ['light', 'dark'] as const) {
      it(`passes axe in ${scheme}, with clips, a mark and an overlap flagged`, async () => {
        await emulateMedia({ colorScheme: scheme });
        document.documentElement.style.colorScheme = scheme;
        document.body.style.background = scheme === 'dark' ? '#0d1117' : '#f6f8fa';
        const element = await timeline([
          { start_time: 1, end_time: 4, label: 'Intro' },
          { start_time: 3, end_time: 6 },
        ]);
        element.currentTime = 8;
        element.markIn();
        await element.updateComplete;
        await expect(element).to.be.accessible();
      });
    }

    for (const [name, width] of [
      ['phone', 390],
      ['desktop', 1280],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        it(`fits a ${name} (${width} px) in ${scheme}, with touch targets of 44 px`, async () => {
          await setViewport({ width, height: 844 });
          await emulateMedia({ colorScheme: scheme });
          document.documentElement.style.colorScheme = scheme;
          document.body.style.background = scheme === 'dark' ? '#0d1117' : '#f6f8fa';
          const element = await timeline(
            [
              { start_time: 0.5, end_time: 2.5, label: 'Intro' },
              { start_time: 5, end_time: 7.5, label: 'The best part' },
            ],
            { width: 1200 },
          );
          element.currentTime = 6;
          await element.updateComplete;
          const wide = [...document.body.querySelectorAll('*')]
            .filter((e) => e.getBoundingClientRect().right > width)
            .map((e) => e.outerHTML.slice(0, 120));
          console.log(JSON.stringify(wide));
          expect(document.documentElement.scrollWidth).to.be.at.most(width);
          expect(element.scrollWidth).to.be.at.most(element.clientWidth);
          for (const target of $$(element, 'button, input, .handle, [part="playhead"]')) {
            const box = target.getBoundingClientRect();
            expect(Math.min(box.width, box.height), target.outerHTML).to.be.at.least(44);
          }
          const [nameInput, startInput] = $$(element, '.row:first-child input');
          const sameLine = nameInput!.getBoundingClientRect().top === startInput!.getBoundingClientRect().top;
          expect(sameLine).to.equal(width > 600);
          await executeServerCommand('vexport-screenshot', {
            name: `vexport-timeline-${name}-${scheme}`,
            selector: 'vexport-timeline',
          });
        });
      }
    }
  });
});
