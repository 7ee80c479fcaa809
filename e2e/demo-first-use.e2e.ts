// What a new user met first in the demo: an upload that was not opened, a long name overflowing its card,
// Quick export opening the whole dialog, and a finished toast that stayed on the screen.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { e2eStack } from './stack.js';

const DESKTOP = { width: 1280, height: 800 };
const LONG_TITLE =
  'Summer-holiday-in-the-mountains-2026-final-cut-with-music-and-titles-approved-by-everyone-v3';
const DEFAULTS = { default_resolution: '1080p', default_format: 'mp4', default_quality: 'medium' };

/** A call to the demo's API as the demo's user. */
async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const { urls, token } = e2eStack();
  return fetch(`${urls.vanilla}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
}

async function saveDefaults(defaults: typeof DEFAULTS): Promise<void> {
  const response = await api('/api/me/export-settings', {
    method: 'PUT',
    body: JSON.stringify({ ...defaults, custom_presets: [] }),
  });
  expect(response.status).toBe(200);
}

/** The `<export-progress>` toast of the newest export, and that export's id. */
async function newestToast(page: Page) {
  const toast = page.locator('#progress-stack .toast').first();
  await expect(toast).toBeVisible();
  const exportId = await toast
    .locator('export-progress')
    .evaluate((element) => (element as HTMLElement & { exportId: string }).exportId);
  return { toast, exportId };
}

test.use({ viewport: DESKTOP });

test.describe('after an upload', () => {
  let scratch: string;
  let uploadedId: string | undefined;

  test.beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'vexport-first-use-'));
  });

  test.afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    if (uploadedId) expect((await api(`/api/videos/${uploadedId}`, { method: 'DELETE' })).status).toBe(204);
  });

  test('the upload opens in the editor, ready to export whole, and its long name stays in its card', async ({
    page,
  }) => {
    const source = join(scratch, `${LONG_TITLE}.mp4`);
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', source],
    ]);
    await page.goto(e2eStack().urls.vanilla);
    const exportButton = page.getByRole('button', { name: 'Export…' });
    const summary = page.locator('#clips-summary');
    // before a video is open, the hint does not promise what the disabled button cannot do
    await expect(exportButton).toBeDisabled();
    await expect(summary).not.toContainText('exports the whole video');

    await page.getByLabel('Upload a video').setInputFiles(source);
    const card = page.locator('.video-card', { hasText: LONG_TITLE.slice(0, 20) });
    await expect(card).toHaveCount(1, { timeout: 30_000 });
    uploadedId = (await card.getAttribute('data-id'))!;

    await expect(card).toHaveAttribute('aria-current', 'true', { timeout: 30_000 });
    await expect(page.locator('#player-hint')).toContainText(LONG_TITLE);
    await expect(exportButton).toBeEnabled();
    await expect(summary).toContainText('Export… without clips exports the whole video');

    await expect(card.locator('strong')).toHaveAttribute('title', LONG_TITLE);
    const overflow = await page.evaluate(() => {
      const library = document.querySelector<HTMLElement>('.library')!;
      const cards = [...document.querySelectorAll<HTMLElement>('.video-card')];
      const right = library.getBoundingClientRect().right;
      return {
        library: library.scrollWidth - library.clientWidth,
        cards: cards.map((item) => item.scrollWidth - item.clientWidth),
        past: [...library.querySelectorAll('*')]
          .filter((element) => element.getBoundingClientRect().right - right > 0.5)
          .map((element) => `${element.localName}#${element.id}.${element.className}`),
      };
    });
    expect(overflow.past).toEqual([]);
    expect(overflow.library).toBeLessThanOrEqual(0);
    expect(Math.max(...overflow.cards)).toBeLessThanOrEqual(0);
  });
});

test.describe('Quick export', () => {
  test.afterEach(() => saveDefaults(DEFAULTS));

  test('starts the whole video at once as one file from the saved defaults, with its progress', async ({
    page,
  }) => {
    await saveDefaults({ default_resolution: '720p', default_format: 'mov', default_quality: 'low' });
    await page.goto(e2eStack().urls.vanilla);
    const { videoId } = e2eStack();
    await page
      .locator(`.video-card[data-id="${videoId}"]`)
      .getByRole('button', { name: 'Quick export' })
      .click();

    const { toast, exportId } = await newestToast(page);
    await expect(page.getByRole('dialog', { name: 'Export video' })).toBeHidden();
    const record = (await (await api(`/api/exports/${exportId}`)).json()) as {
      export_type: string;
      resolution: string;
      format: string;
      quality_preset: string;
      segment_selections: { start_time: number; end_time: number }[];
    };
    const video = (await (await api(`/api/videos/${videoId}`)).json()) as { duration_seconds: number };
    expect(record).toMatchObject({
      export_type: 'single',
      resolution: '720p',
      format: 'mov',
      quality_preset: 'low',
    });
    expect(record.segment_selections).toHaveLength(1);
    expect(record.segment_selections[0]!.start_time).toBe(0);
    expect(record.segment_selections[0]!.end_time).toBeCloseTo(video.duration_seconds, 3);

    const download = toast.getByRole('button', { name: 'Download' });
    await expect(download).toBeVisible({ timeout: 60_000 });
    const downloading = page.waitForEvent('download');
    await download.click();
    expect((await downloading).suggestedFilename()).toMatch(/\.mov$/);
  });

  test('a finished export’s toast stays while pointed at, then goes by itself', async ({ page }) => {
    await page.goto(e2eStack().urls.vanilla);
    await page
      .locator(`.video-card[data-id="${e2eStack().videoId}"]`)
      .getByRole('button', { name: 'Quick export' })
      .click();
    const { toast } = await newestToast(page);
    await expect(toast.getByRole('button', { name: 'Download' })).toBeVisible({ timeout: 60_000 });

    await toast.hover();
    await expect(toast).toHaveAttribute('data-lingering', 'held');
    await page.mouse.move(DESKTOP.width - 1, DESKTOP.height - 1);
    await expect(toast).toHaveAttribute('data-lingering', 'waiting');
    await expect(page.locator('#progress-stack .toast')).toHaveCount(0, { timeout: 20_000 });
  });

  test('a cancelled export’s toast shows that it stopped, not the gear, and goes by itself', async ({
    page,
  }) => {
    await page.goto(e2eStack().urls.vanilla);
    await page
      .locator(`.video-card[data-id="${e2eStack().videoId}"]`)
      .getByRole('button', { name: 'Quick export' })
      .click();
    const { toast, exportId } = await newestToast(page);
    expect((await api(`/api/exports/${exportId}/cancel`, { method: 'POST' })).status).toBe(200);

    await expect(toast.locator('[part="stage"] .icon')).toHaveText('⊘', { timeout: 20_000 });
    await page.mouse.move(DESKTOP.width - 1, DESKTOP.height - 1);
    await expect(page.locator('#progress-stack .toast')).toHaveCount(0, { timeout: 20_000 });
  });
});
