import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

// With the @vexport/widget-ffmpeg add-on, the widget loads ffmpeg.wasm's threaded core on a
// cross-origin-isolated page. Such a page needs its own headers, so this test serves the built packages itself,
// as a host page without a bundler would: the widget's standalone build, the add-on's files (its cores beside
// its modules, where it finds them by default) and @ffmpeg/ffmpeg through an import map.
const FOLDERS: Record<string, string> = {
  '/widget/': fileURLToPath(new URL('../packages/widget/dist/', import.meta.url)),
  '/widget-ffmpeg/': fileURLToPath(new URL('../packages/widget-ffmpeg/dist/', import.meta.url)),
  '/ffmpeg/': fileURLToPath(new URL('../node_modules/@ffmpeg/ffmpeg/dist/esm/', import.meta.url)),
};
const PAGE = `<!doctype html>
<script type="importmap">{ "imports": { "@ffmpeg/ffmpeg": "/ffmpeg/index.js" } }</script>
<body></body>`;

/** The file a path names in one of the served folders; undefined for anything else. */
function servedFile(path: string): string | undefined {
  const prefix = Object.keys(FOLDERS).find((folder) => path.startsWith(folder));
  return prefix === undefined ? undefined : join(FOLDERS[prefix]!, path.slice(prefix.length));
}
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
};
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

let scratch: string;
let server: Server;
let pageUrl: string;
/** The paths the page (and its workers) fetched from the server. */
const served: string[] = [];

test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vexport-threaded-'));
  const clip = join(scratch, 'clip.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30:duration=3'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', clip],
  ]);
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    served.push(path);
    const file = path === '/' ? undefined : path === '/clip.mp4' ? clip : servedFile(path);
    if (path !== '/' && (!file || !existsSync(file))) {
      response.writeHead(404, ISOLATION).end();
      return;
    }
    response.writeHead(200, {
      ...ISOLATION,
      'Content-Type': file ? (TYPES[extname(file)] ?? 'application/octet-stream') : 'text/html',
    });
    response.end(file ? readFileSync(file) : PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost is a secure context, which cross-origin isolation needs
  pageUrl = `http://localhost:${(server.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

test('a cross-origin-isolated page exports in the browser with the threaded core, and the file plays', async ({
  page,
}) => {
  await page.goto(pageUrl);

  const result = await page.evaluate(async () => {
    // the self-contained build: this page has no bundler to resolve lit and the SDK
    const widget = '/widget/vexport-widget.standalone.js';
    const addOn = '/widget-ffmpeg/index.js';
    await import(addOn);
    const { loadBrowserFfmpeg, planLocalExport, runInBrowser } = (await import(widget)) as {
      loadBrowserFfmpeg: () => Promise<unknown>;
      planLocalExport: (request: unknown) => unknown;
      runInBrowser: (ffmpeg: unknown, source: Blob, plan: unknown) => Promise<Blob>;
    };
    const source = await (await fetch('/clip.mp4')).blob();
    const plan = planLocalExport({
      segments: [
        { start_time: 0.5, end_time: 1.5 },
        { start_time: 2, end_time: 2.5 },
      ],
      resolution: '720p',
      quality: 'low',
      format: 'mp4',
      hasAudio: true,
    });
    const output = await runInBrowser(await loadBrowserFfmpeg(), source, plan);
    const video = document.createElement('video');
    video.muted = true;
    video.src = URL.createObjectURL(output);
    await new Promise((resolve, reject) => {
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(new Error('the browser cannot play the exported file'));
    });
    return {
      isolated: globalThis.crossOriginIsolated,
      type: output.type,
      duration: video.duration,
      width: video.videoWidth,
      height: video.videoHeight,
    };
  });

  expect(result.isolated).toBe(true);
  expect(served).toContain('/widget-ffmpeg/ffmpeg/mt/ffmpeg-core.wasm');
  expect(served).not.toContain('/widget-ffmpeg/ffmpeg/st/ffmpeg-core.wasm');
  expect(result.type).toBe('video/mp4');
  expect(result.duration).toBeGreaterThan(1.4);
  expect(result.duration).toBeLessThan(1.6);
  expect([result.width, result.height]).toEqual([1280, 720]);
});
