import { expect, test } from '@playwright/test';
import { addSegment, openEditor, probe } from './editor.js';
import { e2eStack } from './stack.js';

test('the full flow from the timeline: segments, options, live progress, download of a valid file', async ({
  page,
}) => {
  await openEditor(page);
  await addSegment(page, 0.5, 2);
  await addSegment(page, 3, 4.5);
  await expect(page.locator('#segments li')).toHaveCount(2);

  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export video' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: /720p/ }).check();
  await dialog.getByRole('radio', { name: /Low/ }).check();
  await dialog.getByRole('radio', { name: /WebM/ }).check();
  await dialog.getByRole('radio', { name: /Combined video/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog).toBeHidden();

  const progress = page.locator('export-progress').first();
  const bar = progress.getByRole('progressbar');
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        seen.add((await bar.getAttribute('aria-valuenow')) ?? '');
        return bar.getAttribute('aria-valuenow');
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBe('100');
  expect(seen.size).toBeGreaterThan(1);

  const downloadPromise = page.waitForEvent('download');
  await progress.getByRole('button', { name: 'Download' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^sample-combined-[0-9a-f]{8}\.webm$/);
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const file = probe(path);
  expect(file.codecs).toEqual(['vp9', 'opus']);
  expect(file.duration).toBeCloseTo(3, 0);
});

for (const framework of ['react', 'vue'] as const) {
  test(`the ${framework} example exports through the widget`, async ({ page }) => {
    await page.goto(e2eStack().urls[framework]);
    await page.getByRole('combobox', { name: 'Video' }).selectOption({ label: 'Sample' });
    await page.getByRole('button', { name: 'Export opening and second half…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    await dialog.getByRole('radio', { name: /720p/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'export(s) finished' })).toHaveText(
      '1 export(s) finished',
      { timeout: 60_000 },
    );
  });
}
