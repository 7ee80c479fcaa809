// The shipped configuration as a newcomer meets it: `npm start` with its defaults and a dot-folder home (as
// `.vexport` is), the demo page in Chromium, and the README's other commands against it.
/* global document, window -- in functions that Playwright runs in the page */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, expect as expectPage } from '@playwright/test';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from './lib/ports.mjs';
import { cleanEnv, startNpmStart } from './lib/npm-start.mjs';
import { readmeCommand } from './lib/readme-commands.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'vexport-demo-'));
const home = join(parent, '.vexport');
mkdirSync(home);
// as root, PostgreSQL runs as its own user and must enter these folders
chmodSync(parent, 0o755);
chmodSync(home, 0o755);
const cleanups = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  rmSync(parent, { recursive: true, force: true });
});

/** Streams, size and duration of a media file, by ffprobe. */
function probe(path) {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', path],
    { encoding: 'utf8' },
  );
  const { streams, format } = JSON.parse(out);
  const video = streams.find((stream) => stream.width);
  return {
    codecs: streams.map((stream) => stream.codec_name),
    size: `${video.width}x${video.height}`,
    duration: Number(format.duration),
  };
}

function makeSample(path) {
  execFileSync('ffmpeg', [
    ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', path],
  ]);
}

describe('npm start, as the README runs it', () => {
  it('serves the demo page, which uploads, exports and downloads a video; the CLI and SDK work against it', async () => {
    const port = await findFreePort();
    const base = `http://localhost:${port}`;
    const system = startNpmStart({ cwd: root, env: { VEXPORT_HOME: home, PORT: String(port) } });
    cleanups.push(() => system.interrupt());
    await system.ready;
    const sample = join(parent, 'sample.mp4');
    makeSample(sample);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${base}/`);

    await page.getByLabel('Upload a video').setInputFiles(sample);
    await expectPage(page.getByText('Uploaded sample.mp4.')).toBeVisible({ timeout: 30_000 });
    // the upload opens in the editor once analysed; its Export… asks for the options
    const exportButton = page.getByRole('button', { name: 'Export…' });
    await expectPage(exportButton).toBeEnabled({ timeout: 30_000 });
    await exportButton.click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    await dialog.getByRole('radio', { name: /720p/ }).check();
    await dialog.getByRole('radio', { name: /MP4/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();

    const progress = page.locator('export-progress').first();
    const exportId = await progress.evaluate((element) => element.exportId);
    const downloadButton = progress.getByRole('button', { name: 'Download' });
    await expectPage(downloadButton).toBeVisible({ timeout: 60_000 });
    const downloading = page.waitForEvent('download');
    await downloadButton.click();
    const download = await downloading;
    expect(await download.failure()).toBeNull();
    const fromPage = join(parent, download.suggestedFilename());
    await download.saveAs(fromPage);
    expect(download.suggestedFilename()).toMatch(/\.mp4$/);
    const file = probe(fromPage);
    expect(file.codecs).toEqual(['h264', 'aac']);
    expect(file.size).toBe('960x720');
    expect(file.duration).toBeCloseTo(2, 0);

    // the same page on a phone: nothing scrolls sideways, every tab is on screen and each view has an h1
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await phone.goto(`${base}/`);
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    for (const tab of ['Editor', 'Exports', 'Settings', 'Status']) {
      const button = phone.getByRole('navigation').getByRole('button', { name: tab, exact: true });
      const box = await button.boundingBox();
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await button.tap();
      await expectPage(phone.locator('section.tab:not([hidden]) h1')).toBeVisible();
      expect(await overflow()).toBeLessThanOrEqual(0);
    }
    await phone.getByRole('navigation').getByRole('button', { name: 'Editor', exact: true }).tap();
    await phone
      .locator('.video-card')
      .filter({ hasText: 'sample' })
      .getByRole('button', { name: 'Edit' })
      .tap();
    await phone.waitForFunction(() => document.querySelector('#player').readyState >= 1);
    // the player spans the card: the page's width less the margins
    expect((await phone.locator('#player').boundingBox()).width).toBeGreaterThan(330);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // a clip from 0.5 s to 1.5 s with the timeline's Mark in / Mark out, then Export…
    for (const [seconds, mark] of [
      [0.5, 'Mark in'],
      [1.5, 'Mark out'],
    ]) {
      await phone.evaluate((time) => (document.querySelector('#player').currentTime = time), seconds);
      await phone.waitForFunction(
        (time) => Math.abs(document.querySelector('vexport-timeline').currentTime - time) < 0.01,
        seconds,
      );
      await phone.getByRole('button', { name: mark, exact: true }).tap();
    }
    await expectPage(phone.locator('#segments li')).toHaveText([/0:00\.5 to 0:01\.5/]);
    await phone.getByRole('button', { name: 'Export…' }).tap();
    const phoneDialog = phone.getByRole('dialog', { name: 'Export video' });
    await phoneDialog.getByRole('radio', { name: /720p/ }).check();
    await phoneDialog.getByRole('button', { name: 'Export', exact: true }).tap();
    // the running export shows where the person is looking, without scrolling
    await expectPage(phone.locator('export-progress').first()).toBeInViewport({ timeout: 10_000 });
    expect(await overflow()).toBeLessThanOrEqual(0);

    // the SDK, with the token `npm start` printed for the demo's user
    const { createClient } = await import('../packages/sdk/dist/index.js');
    const client = createClient({ baseUrl: base, token: system.token() });
    const { url } = await client.getExportDownloadUrl(exportId);
    const response = await fetch(new URL(url, base));
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(fromPage))).toBe(true);

    // the README's `npx vexport token --user alice`, with the secret `npm start` keeps in its home
    const { stdout: aliceToken } = await run('npx', ['vexport', 'token', '--user', 'alice'], {
      cwd: root,
      env: cleanEnv({ VEXPORT_HOME: home }),
    });
    const alice = createClient({ baseUrl: base, token: aliceToken.trim() });
    expect((await alice.listVideos()).videos).toEqual([]);
    await expect(alice.getExport(exportId)).rejects.toMatchObject({ status: 404 });

    // examples/node's README command, with its file names in a temporary folder
    const command = readmeCommand(join(root, 'examples/node/README.md'), 'npx vexport token --user alice');
    const zip = join(parent, 'clips.zip');
    const script = await run(
      'bash',
      ['-c', command.replace('my-video.mp4', sample).replace('clips.zip', zip)],
      { cwd: root, env: cleanEnv({ VEXPORT_HOME: home, VEXPORT_API: base }) },
    );
    expect(script.stdout).toMatch(/Saved .*clips\.zip/);

    // npm ends itself with the SIGINT it passed on, as in a terminal; what it ran says how it stopped
    await system.interrupt();
    expect(system.output()).toMatch(/stopped\.\s*$/);
  });
});
