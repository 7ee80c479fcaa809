// Scenario 6: the widget. Gzip size of the bundle a host page loads (ffmpeg.wasm excluded: it loads only
// when used), and the time from importing it (customElements.define) to <export-modal>'s first render in
// the system Chromium.
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };

export async function widget({ root }) {
  const dist = join(root, 'packages/widget/dist');
  const bundle = readFileSync(join(dist, 'vexport-widget.js'));
  const gzipKB = gzipSync(bundle, { level: 9 }).length / 1024;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const samples = [];
  try {
    for (let run = 0; run < 5; run += 1) {
      const page = await browser.newPage();
      await page.route('http://bench.local/**', async (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/') {
          await route.fulfill({ contentType: 'text/html', body: '<!doctype html><body></body>' });
          return;
        }
        await route.fulfill({
          contentType: TYPES[extname(path)] ?? 'application/octet-stream',
          body: readFileSync(join(dist, path)),
        });
      });
      await page.goto('http://bench.local/');
      samples.push(
        await page.evaluate(async () => {
          const started = performance.now();
          await import('/vexport-widget.js');
          // runs in the page: its globals, not Node's
          const { customElements, document } = globalThis;
          await customElements.whenDefined('export-modal');
          const modal = document.createElement('export-modal');
          modal.open = true;
          document.body.append(modal);
          await modal.updateComplete;
          return performance.now() - started;
        }),
      );
      await page.close();
    }
  } finally {
    await browser.close();
  }
  samples.sort((a, b) => a - b);
  return {
    bundleKB: bundle.length / 1024,
    gzipKB,
    defineToFirstRenderMs: { median: samples[2], runs: samples },
    ffmpegWasmExport: 'not measured yet',
  };
}
