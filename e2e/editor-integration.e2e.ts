import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { downloadFrom, dragOnTimeline, openEditor, probe, timelineStrip } from './editor.js';

/** The demo's sample video is 6 seconds long. */
const SAMPLE_SECONDS = 6;

test('clips list: clips dragged on the timeline, one unticked, exported as individual clips', async ({
  page,
}) => {
  await openEditor(page);
  await dragOnTimeline(page, SAMPLE_SECONDS, 0.5, 1.5);
  await dragOnTimeline(page, SAMPLE_SECONDS, 2, 3);
  // right to left selects the same kind of range
  await dragOnTimeline(page, SAMPLE_SECONDS, 5.5, 3.5);
  const clips = page.locator('#segments li');
  await expect(clips).toHaveText([
    /Clip 1 — 0:00\.5 to 0:01\.5/,
    /Clip 2 — 0:02\.0 to 0:03\.0/,
    /Clip 3 — 0:03\.5 to 0:05\.5/,
  ]);
  // a click without a drag moves the playhead and adds no clip
  const box = await timelineStrip(page);
  await page.mouse.click(box.x + (box.width * 4) / SAMPLE_SECONDS, box.y + box.height / 2);
  await expect
    .poll(() => page.evaluate(() => document.querySelector<HTMLVideoElement>('#player')!.currentTime))
    .toBeCloseTo(4, 1);
  await expect(clips).toHaveCount(3);

  await page.getByRole('checkbox', { name: /Clip 2/ }).uncheck();
  await expect(page.locator('#clips-summary')).toHaveText('2 of 3 clips ticked for export.');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  await dialog.getByRole('radio', { name: /Individual clips/ }).check();
  await dialog.getByRole('radio', { name: /720p/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();

  const zip = await downloadFrom(page, page.locator('export-progress').first());
  const folder = test.info().outputPath('clips');
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, folder]);
  const names = readdirSync(folder).sort();
  expect(names).toEqual(['01-clip-1-00m00s-00m01s.mp4', '02-clip-3-00m03s-00m05s.mp4']);
  const durations = names.map((name) => probe(join(folder, name)).duration);
  expect(durations[0]).toBeCloseTo(1, 1);
  expect(durations[1]).toBeCloseTo(2, 1);
});

test('editor: Export… with no clip exports the whole video', async ({ page }) => {
  await openEditor(page);
  await expect(page.locator('#clips-summary')).toContainText('exports the whole video');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  await expect(dialog).toContainText('Whole video');
  await dialog.getByRole('radio', { name: /Single video/ }).check();
  await dialog.getByRole('radio', { name: /MP4/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const file = probe(await downloadFrom(page, page.locator('export-progress').first()));
  expect(file.codecs).toEqual(['h264', 'aac']);
  expect(file.duration).toBeCloseTo(SAMPLE_SECONDS, 1);
});
