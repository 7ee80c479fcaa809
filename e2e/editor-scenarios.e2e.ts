import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addSegment, filesUnder, openEditor } from './editor.js';
import { e2eStack } from './stack.js';

test('bulk clips: one file per segment in a ZIP, with the expected names and durations', async ({ page }) => {
  await openEditor(page);
  await addSegment(page, 0, 1);
  await addSegment(page, 2, 3.5);
  await addSegment(page, 4, 5);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  await dialog.getByRole('radio', { name: /Individual clips/ }).check();
  await dialog.getByRole('radio', { name: /720p/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const progress = page.locator('export-progress').first();
  await expect(progress.getByRole('button', { name: 'Download' })).toBeVisible({ timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await progress.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^sample-clips-[0-9a-f]{8}\.zip$/);
  const zip = test.info().outputPath('clips.zip');
  await download.saveAs(zip);
  const folder = test.info().outputPath('clips');
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, folder]);
  const names = readdirSync(folder).sort();
  expect(names).toEqual([
    '01-clip-1-00m00s-00m01s.mp4',
    '02-clip-2-00m02s-00m03s.mp4',
    '03-clip-3-00m04s-00m05s.mp4',
  ]);
  const durations = names.map((name) =>
    Number(
      execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', join(folder, name)],
        { encoding: 'utf8' },
      ),
    ),
  );
  expect(durations.map((duration) => Math.round(duration * 10) / 10)).toEqual([1, 1.5, 1]);
});

test('cancellation mid-processing: the export ends cancelled and leaves no file in storage or temp', async ({
  page,
}) => {
  await openEditor(page);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  await dialog.getByRole('radio', { name: /4K/ }).check();
  await dialog.getByRole('radio', { name: /High/ }).check();
  await dialog.getByRole('radio', { name: /WebM/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const progress = page.locator('export-progress').first();
  const stage = progress.locator('[part="stage"]');
  await expect(stage).toContainText('Encoding', { timeout: 30_000 });
  await progress.getByRole('button', { name: 'Cancel export' }).click();
  await progress.getByRole('button', { name: 'Stop export' }).click();
  await expect(stage).toContainText('Cancelled', { timeout: 15_000 });
  const { storageDir, workDir } = e2eStack();
  await expect.poll(() => filesUnder(workDir).length, { timeout: 10_000 }).toBe(0);
  expect(filesUnder(join(storageDir, 'exports')).filter((file) => file.endsWith('.webm'))).toEqual([]);
});

test('three exports at once: two run, one waits pending, and all finish', async ({ page }) => {
  // three 4K VP9 encodes, two at a time, on a machine that may be running other tests too
  test.setTimeout(240_000);
  await openEditor(page);
  // a finished export's toast goes by itself: count the ends instead
  await page.evaluate(() => {
    const counted = window as Window & { completedExports?: number };
    counted.completedExports = 0;
    document.addEventListener('export-completed', () => (counted.completedExports! += 1));
  });
  for (let index = 0; index < 3; index += 1) {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    // slow enough (4K VP9) that the third is still waiting while two run
    await dialog.getByRole('radio', { name: /4K/ }).check();
    await dialog.getByRole('radio', { name: /WebM/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog).toBeHidden();
  }
  const cards = page.locator('export-progress');
  await expect(cards).toHaveCount(3);
  await expect
    .poll(
      async () => {
        const stages = await cards.locator('[part="stage"]').allInnerTexts();
        return stages.some((text) => text.includes('Waiting to start'));
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  // they finish in any order
  await expect
    .poll(() => page.evaluate(() => (window as Window & { completedExports?: number }).completedExports), {
      timeout: 220_000,
    })
    .toBe(3);
});

test('settings: the defaults saved on the Settings page are used by the next export', async ({ page }) => {
  await page.goto(e2eStack().urls.vanilla);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.locator('export-settings');
  await settings.locator('select[name="default-format"]').selectOption('mov');
  await settings.locator('select[name="default-resolution"]').selectOption('720p');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('status')).toHaveText('Settings saved.');
  await page.getByRole('button', { name: 'Editor', exact: true }).click();
  // Quick export starts at once from the saved defaults
  await page.getByRole('button', { name: 'Quick export' }).first().click();
  await expect(page.getByRole('dialog', { name: 'Export video' })).toBeHidden();
  const progress = page.locator('export-progress').first();
  await expect(progress.getByRole('button', { name: 'Download' })).toBeVisible({ timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await progress.getByRole('button', { name: 'Download' }).click();
  expect((await downloading).suggestedFilename()).toMatch(/\.mov$/);
  // leave the defaults as the other tests expect them
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await settings.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(settings.getByRole('status')).toHaveText('Settings saved.');
});

test('invalid parameters: the modal explains, the user corrects the selection, and the export completes', async ({
  page,
}) => {
  await openEditor(page);
  // a selection the timeline cannot make but a host app could pass: past the end of the video
  await page.evaluate(() => {
    const modal = document.querySelector('export-modal')!;
    modal.videoId = document.querySelector('.video-card')!.getAttribute('data-id')!;
    modal.segments = [{ start_time: 2, end_time: 600, label: 'Too long' }];
    modal.open = true;
  });
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  await expect(dialog.getByRole('alert')).toContainText('ends after the end of the video');
  await expect(dialog.getByRole('button', { name: 'Export', exact: true })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await addSegment(page, 2, 4);
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.locator('export-progress').first().getByRole('button', { name: 'Download' })).toBeVisible(
    { timeout: 60_000 },
  );
});
