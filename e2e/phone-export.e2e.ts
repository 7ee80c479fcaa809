import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { downloadFrom, dragOnTimeline, timelineStrip } from './editor.js';
import { integratedLoudness, videoFacts } from './media.js';
import { e2eStack } from './stack.js';
import { touchDrag } from './touch.js';

/** The social platforms' loudness target, which the dialog offers as "Social −14 LUFS". */
const TARGET_LUFS = -14;
const PHONE = { width: 390, height: 844 };
const SOURCE = { title: 'phone-source', seconds: 9, fps: 30 };

/** Where the docs' screenshots of the demo go (docs/widget.md shows them). */
const screenshotPath = (name: string) =>
  fileURLToPath(new URL(`../docs/images/demo-${name}.png`, import.meta.url));

/**
 * Screenshots of the window in the light and the dark colour scheme, scrolled so that the player starts just
 * below the running exports' toasts (which stay at the top of the window).
 */
async function screenshotBothSchemes(page: Page, layout: 'phone' | 'desktop'): Promise<void> {
  await page.evaluate(() => {
    const toasts = document.querySelector('#progress-stack')!.getBoundingClientRect().height;
    const player = document.querySelector('#player')!.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, player - toasts - 24);
  });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: screenshotPath(`${layout}-${colorScheme}`), animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * Opens a video of the demo's library in the editor once it has been analysed, and waits for the timeline
 * to span it and the player to have its metadata.
 */
async function openVideo(page: Page, title: string, seconds: number): Promise<void> {
  const edit = page
    .locator('.video-card', { hasText: title })
    .getByRole('button', { name: 'Edit', exact: true });
  await expect(edit).toBeEnabled({ timeout: 30_000 });
  await edit.click();
  await page.waitForFunction(
    (duration) =>
      Math.abs(
        document.querySelector<HTMLElement & { duration: number }>('vexport-timeline')!.duration - duration,
      ) < 0.1 && document.querySelector<HTMLVideoElement>('#player')!.readyState >= 1,
    seconds,
  );
}

/** The clips on the demo's timeline, in seconds, as the export will cut them. */
async function timelineClips(page: Page): Promise<{ start_time: number; end_time: number }[]> {
  return page.evaluate(() =>
    document
      .querySelector<HTMLElement & { segments: { start_time: number; end_time: number }[] }>(
        'vexport-timeline',
      )!
      .segments.map(({ start_time, end_time }) => ({ start_time, end_time })),
  );
}

test.describe('on a phone', () => {
  test.use({ viewport: PHONE, hasTouch: true, isMobile: true });

  let scratch: string;
  let source: string;
  /** The uploaded video, deleted afterwards so that the other tests find the library as the stack made it. */
  let uploadedId: string | undefined;

  test.beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'vexport-phone-'));
    source = join(scratch, `${SOURCE.title}.mp4`);
    // 1080p with a quiet tone (about −34 LUFS), so that reaching −14 proves the normalisation
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi'],
      ...['-i', `testsrc2=size=1920x1080:rate=${SOURCE.fps}:duration=${SOURCE.seconds}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SOURCE.seconds},volume=0.25`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
      ...['-shortest', source],
    ]);
  });

  test.afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    if (!uploadedId) return;
    const { urls, token } = e2eStack();
    const response = await fetch(`${urls.vanilla}/api/videos/${uploadedId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(204);
  });

  test('upload, two clips by touch, a 9:16 export at −14 LUFS followed in view, and a frame-exact download', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    expect(integratedLoudness(source)).toBeLessThan(TARGET_LUFS - 10);
    await page.goto(e2eStack().urls.vanilla);
    await page.getByLabel('Upload a video').setInputFiles(source);
    const card = page.locator('.video-card', { hasText: SOURCE.title });
    await expect(card).toBeVisible({ timeout: 30_000 });
    uploadedId = (await card.getAttribute('data-id'))!;
    // Edit on the uploaded video, as a person does (a demo that opens an upload by itself opens it again)
    await openVideo(page, SOURCE.title, SOURCE.seconds);

    // the page fits the phone: nothing to scroll sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    await page.locator('vexport-timeline .strip').scrollIntoViewIfNeeded();
    const strip = await timelineStrip(page);
    const at = (seconds: number) => ({
      x: strip.x + (strip.width * seconds) / SOURCE.seconds,
      y: strip.y + strip.height / 2,
    });
    await page.evaluate(() => {
      const kinds: string[] = [];
      Object.assign(window, { pointerKinds: kinds });
      document.addEventListener('pointerdown', (event) => kinds.push(event.pointerType), true);
    });
    await touchDrag(page, at(1), at(3));
    // right to left, as a thumb often goes
    await touchDrag(page, at(7), at(4.5));
    await expect(page.locator('#segments li')).toHaveCount(2);
    expect(await page.evaluate(() => (window as unknown as { pointerKinds: string[] }).pointerKinds)).toEqual(
      ['touch', 'touch'],
    );
    const clips = await timelineClips(page);
    // where the finger went (within a few pixels), on frames
    const wanted = [1, 3, 4.5, 7];
    clips
      .flatMap((clip) => [clip.start_time, clip.end_time])
      .forEach((time, index) => {
        expect(Math.abs(time - wanted[index]!)).toBeLessThanOrEqual(0.1);
        expect(Math.abs(time * SOURCE.fps - Math.round(time * SOURCE.fps))).toBeLessThan(1e-3);
      });
    const seconds = clips.reduce((sum, clip) => sum + clip.end_time - clip.start_time, 0);

    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    await dialog.getByRole('radio', { name: /^Portrait 9:16/ }).check();
    await dialog.getByRole('radio', { name: /^Fill \(crop\)/ }).check();
    await dialog.getByRole('radio', { name: /^1080p/ }).check();
    await dialog.getByRole('radio', { name: /^Social −14 LUFS/ }).check();
    await expect(dialog.getByRole('radio', { name: /Combined video/ })).toBeChecked();
    await expect(dialog.getByRole('radio', { name: /^Portrait 9:16/ })).toHaveAccessibleName(/1080×1920/);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();

    // the running export shows where the person is looking, with no scrolling
    const progress = page.locator('export-progress').filter({ hasText: SOURCE.title }).first();
    await expect(progress.getByRole('progressbar')).toBeVisible();
    await expect(progress).toBeInViewport({ ratio: 1 });
    await screenshotBothSchemes(page, 'phone');

    const file = await downloadFrom(page, progress, 120_000);
    const facts = videoFacts(file);
    expect({ width: facts.width, height: facts.height }).toEqual({ width: 1080, height: 1920 });
    expect(facts.frames).toBe(Math.round(seconds * SOURCE.fps));
    expect(Math.abs(facts.duration - seconds)).toBeLessThanOrEqual(1 / SOURCE.fps);
    expect(Math.abs(integratedLoudness(file) - TARGET_LUFS)).toBeLessThanOrEqual(1);
  });
});

test.describe('on a desktop', () => {
  test.use({ viewport: { width: 1280, height: 860 } });

  test('the running export shows above the editor, whole in the window (the docs’ screenshots)', async ({
    page,
  }) => {
    const sampleSeconds = 6;
    await page.goto(e2eStack().urls.vanilla);
    await openVideo(page, 'Sample', sampleSeconds);
    await dragOnTimeline(page, sampleSeconds, 0.5, 2);
    await dragOnTimeline(page, sampleSeconds, 3, 5);
    await expect(page.locator('#segments li')).toHaveCount(2);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    await dialog.getByRole('radio', { name: /^720p/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const progress = page.locator('export-progress').filter({ hasText: 'Sample' }).first();
    await expect(progress.getByRole('progressbar')).toBeVisible();
    await expect(progress).toBeInViewport({ ratio: 1 });
    await screenshotBothSchemes(page, 'desktop');
    await expect(progress.getByRole('button', { name: 'Download' })).toBeVisible({ timeout: 60_000 });
  });
});
