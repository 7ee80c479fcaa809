// What the end-to-end tests do in the vanilla demo editor, and how they check the files it produces.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { e2eStack } from './stack.js';

/** Codecs and duration of a media file, by ffprobe. */
export function probe(path: string): { codecs: string[]; duration: number } {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', path],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(out) as { streams: { codec_name: string }[]; format: { duration: string } };
  return {
    codecs: parsed.streams.map((stream) => stream.codec_name),
    duration: Number(parsed.format.duration),
  };
}

/** Every file under a folder (recursively), as relative paths. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

/** Opens the demo and the first video in the editor, with its metadata loaded in the player. */
export async function openEditor(page: Page): Promise<void> {
  await page.goto(e2eStack().urls.vanilla);
  await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
  await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('#player')!.readyState >= 1);
}

/**
 * Seeks the demo's player and presses a button of its `<vexport-timeline>`, once the timeline's playhead has
 * followed the player there (the timeline marks at its own playhead, which it updates on the player's events).
 */
export async function markAt(page: Page, seconds: number, button: 'Mark in' | 'Mark out'): Promise<void> {
  await page.evaluate((time) => {
    document.querySelector<HTMLVideoElement>('#player')!.currentTime = time;
  }, seconds);
  await page.waitForFunction(
    (time) =>
      Math.abs(document.querySelector<HTMLVideoElement>('#player')!.currentTime - time) < 0.05 &&
      Math.abs(
        document.querySelector<HTMLElement & { currentTime: number }>('vexport-timeline')!.currentTime - time,
      ) < 0.05,
    seconds,
  );
  await page.locator('vexport-timeline').getByRole('button', { name: button, exact: true }).click();
}

/** Adds a clip with the keyboard-friendly path: Mark in, then Mark out (which makes the clip). */
export async function addSegment(page: Page, from: number, to: number): Promise<void> {
  const clips = page.locator('#segments li');
  const before = await clips.count();
  await markAt(page, from, 'Mark in');
  await markAt(page, to, 'Mark out');
  await expect(clips).toHaveCount(before + 1);
}

/** Where `<vexport-timeline>` shows the whole video (at zoom 1) and a drag selects a clip. */
export async function timelineStrip(
  page: Page,
): Promise<{ x: number; y: number; width: number; height: number }> {
  return (await page.locator('vexport-timeline .strip').boundingBox())!;
}

/** Drags the mouse across the timeline from one time to another (seconds of a video `duration` long). */
export async function dragOnTimeline(page: Page, duration: number, from: number, to: number): Promise<void> {
  const box = await timelineStrip(page);
  const x = (seconds: number) => box.x + (box.width * seconds) / duration;
  const y = box.y + box.height / 2;
  await page.mouse.move(x(from), y);
  await page.mouse.down();
  await page.mouse.move(x((from + to) / 2), y, { steps: 4 });
  await page.mouse.move(x(to), y, { steps: 4 });
  await page.mouse.up();
}

/** Waits for an `<export-progress>` card to offer its download, downloads, and returns the saved path. */
export async function downloadFrom(page: Page, progress: Locator, timeout = 60_000): Promise<string> {
  const button = progress.getByRole('button', { name: 'Download' });
  await expect(button).toBeVisible({ timeout });
  const downloading = page.waitForEvent('download');
  await button.click();
  const download = await downloading;
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  return path;
}
