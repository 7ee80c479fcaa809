// Scenario 6: the widget. Gzip size of the bundle a host page loads (ffmpeg.wasm excluded: it loads only
// when used), and the time from importing it (customElements.define) to <export-modal>'s first render in
// the system Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const TYPES = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
};
const CLIP_SECONDS = 10;
// the first-render page: nothing listens on it, the route answers every request
const ORIGIN = 'http://localhost:9';

/** A 10-second 360p H.264/AAC clip, made once and cached. */
function clip360p(cacheDir) {
  const path = join(cacheDir, 'clip-360p-10s.mp4');
  if (!existsSync(path)) {
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30:duration=${CLIP_SECONDS}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${CLIP_SECONDS}`],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', path],
    ]);
  }
  return path;
}

// the in-browser export's page loads @ffmpeg/ffmpeg (the add-on's dependency) without a bundler
const EXPORT_PAGE = `<!doctype html>
<script type="importmap">{ "imports": { "@ffmpeg/ffmpeg": "/@ffmpeg/ffmpeg/index.js" } }</script>
<body></body>`;

/**
 * A loopback HTTP server for the in-browser export's page: the widget's dist, the @vexport/widget-ffmpeg
 * add-on's dist at `/widget-ffmpeg/` (its cores inside), @ffmpeg/ffmpeg at `/@ffmpeg/ffmpeg/`, the clip at
 * `/clip.mp4`, and an empty page at `/`; with `isolated`, every answer carries the headers that make the page cross-origin
 * isolated (and so load the threaded core). A real server, not Playwright's request interception: a page
 * whose headers switch it to an isolated browsing context does not survive interception in this Chromium.
 */
async function pageServer({ dist, addOnDist, ffmpegDist, clip, isolated }) {
  const isolation = isolated
    ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
    : {};
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    const file =
      path === '/'
        ? undefined
        : path === '/clip.mp4'
          ? clip
          : path.startsWith('/widget-ffmpeg/')
            ? join(addOnDist, path.slice('/widget-ffmpeg/'.length))
            : path.startsWith('/@ffmpeg/ffmpeg/')
              ? join(ffmpegDist, path.slice('/@ffmpeg/ffmpeg/'.length))
              : join(dist, path);
    if (file && !existsSync(file)) {
      response.writeHead(404, isolation).end();
      return;
    }
    response.writeHead(200, {
      ...isolation,
      'Content-Type': file ? (TYPES[extname(file)] ?? 'application/octet-stream') : 'text/html',
    });
    response.end(file ? readFileSync(file) : EXPORT_PAGE);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // localhost is a secure context, which cross-origin isolation needs
    url: `http://localhost:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The widget's in-browser export (its own planLocalExport and runInBrowser, ffmpeg.wasm from the add-on) of
 * the whole clip at its lightest settings, with the single-threaded core (a plain page) and the threaded
 * one (a cross-origin-isolated page), against native ffmpeg running the same arguments.
 */
async function ffmpegWasmExport({ dist, addOnDist, ffmpegDist, cacheDir, scratch }) {
  const clip = clip360p(cacheDir);
  const request = {
    segments: [{ start_time: 0, end_time: CLIP_SECONDS }],
    resolution: '720p',
    quality: 'low',
    format: 'mp4',
    hasAudio: true,
  };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const runs = {};
  try {
    for (const [name, isolated] of [
      ['singleThread', false],
      ['multiThread', true],
    ]) {
      const server = await pageServer({ dist, addOnDist, ffmpegDist, clip, isolated });
      const page = await browser.newPage();
      try {
        await page.goto(server.url);
        runs[name] = await page.evaluate(async (exportRequest) => {
          const { crossOriginIsolated, fetch, performance } = globalThis;
          await import('/widget-ffmpeg/index.js');
          const { loadBrowserFfmpeg, planLocalExport, runInBrowser } =
            await import('/vexport-widget.standalone.js');
          const source = await (await fetch('/clip.mp4')).blob();
          const started = performance.now();
          const ffmpeg = await loadBrowserFfmpeg();
          const loaded = performance.now();
          const plan = planLocalExport(exportRequest);
          const output = await runInBrowser(ffmpeg, source, plan);
          return {
            plan,
            crossOriginIsolated,
            loadSeconds: (loaded - started) / 1000,
            exportSeconds: (performance.now() - loaded) / 1000,
            outputBytes: output.size,
          };
        }, request);
      } finally {
        await page.close();
        await server.close();
      }
      if (runs[name].crossOriginIsolated !== isolated)
        throw new Error(`the ${name} page was ${isolated ? 'not ' : ''}cross-origin isolated`);
      runs[name].realtime = CLIP_SECONDS / runs[name].exportSeconds;
    }
  } finally {
    await browser.close();
  }
  const native = nativeSeconds(runs.singleThread.plan, clip, scratch);
  for (const run of Object.values(runs)) delete run.plan;
  return {
    clipSeconds: CLIP_SECONDS,
    request,
    ...runs,
    nativeSeconds: native,
    singleThreadVsNative: runs.singleThread.exportSeconds / native,
    multiThreadVsNative: runs.multiThread.exportSeconds / native,
  };
}

/** Native ffmpeg running the browser plan's own arguments. */
function nativeSeconds(plan, clip, scratch) {
  const output = join(scratch, `native-${plan.output}`);
  const args = plan.args.map((arg) => (arg === 'input' ? clip : arg === plan.output ? output : arg));
  const started = process.hrtime.bigint();
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function widget({ root, cacheDir, scratch }) {
  const dist = join(root, 'packages/widget/dist');
  const bundle = readFileSync(join(dist, 'vexport-widget.standalone.js'));
  const gzipKB = gzipSync(bundle, { level: 9 }).length / 1024;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const samples = [];
  try {
    for (let run = 0; run < 5; run += 1) {
      const page = await browser.newPage();
      await page.route(`${ORIGIN}/**`, async (route) => {
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
      await page.goto(`${ORIGIN}/`);
      samples.push(
        await page.evaluate(async () => {
          const started = performance.now();
          await import('/vexport-widget.standalone.js');
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
    ffmpegWasmExport: await ffmpegWasmExport({
      dist,
      addOnDist: join(root, 'packages/widget-ffmpeg/dist'),
      ffmpegDist: join(root, 'node_modules/@ffmpeg/ffmpeg/dist/esm'),
      cacheDir,
      scratch,
    }),
  };
}
