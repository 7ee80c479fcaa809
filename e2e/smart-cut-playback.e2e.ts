import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { renderExport, type ExportPlan } from '@vexport/worker';
import { pino } from 'pino';

// A smart cut joins copied runs of the source (the last one ending inside a GOP, where a mini-GOP ends) and
// re-encoded pieces. ffmpeg reading such a file right is tested in the worker; this checks that Chromium
// shows the right source frame at every position of it, seeking and playing.

/** Bits of the frame number drawn as boxes along the top of each frame: white for 1, black for 0. */
const BITS = 8;
const BOX = { width: 120, height: 100, step: 150, left: 20 };

/**
 * 6 s of 1280×720 at 30 fps, x264 veryfast (B-frames in a pyramid) with a keyframe every 2 s, each frame
 * showing its number in binary above moving colour bars.
 */
function createNumberedSource(path: string): void {
  const boxes = Array.from({ length: BITS }, (_, bit) => {
    const x = BOX.left + bit * BOX.step;
    const box = `x=${x}:y=0:w=${BOX.width}:h=${BOX.height}:t=fill`;
    return `drawbox=${box}:color=black,drawbox=${box}:color=white:enable='mod(floor(n/${2 ** bit})\\,2)'`;
  });
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=6'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=6'],
    ...['-vf', boxes.join(','), '-c:v', 'libx264', '-preset', 'veryfast', '-g', '60'],
    ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path],
  ]);
}

/** Source frames [from, to). */
const frames = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

let scratch: string;
let server: Server;
let videoUrl: string;
let plan: ExportPlan;
/** The source frame each frame of the export should be. */
const expected = [...frames(15, 158), ...frames(33, 75)];

test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vexport-smart-cut-'));
  const source = join(scratch, 'source.mp4');
  createNumberedSource(source);
  const workDir = join(scratch, 'work');
  mkdirSync(workDir);
  plan = await renderExport({
    sourcePath: source,
    // 0.5 → 5.25 s ends 37 frames into the GOP at 4 s; 1.1 → 2.5 s starts and ends inside GOPs
    request: {
      export_type: 'combined',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'medium',
      segment_selections: [
        { start_time: 0.5, end_time: 5.25 },
        { start_time: 1.1, end_time: 2.5 },
      ],
    },
    workDir,
    outputName: 'out',
    tools: { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', encoder: 'libx264', memoryLimitBytes: 2 ** 31 },
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  });
  const output = readFileSync(join(workDir, 'out.mp4'));
  server = createServer((request, response) => {
    if (request.url === '/out.mp4') {
      response.writeHead(200, { 'Content-Type': 'video/mp4' }).end(output);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><body></body>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  videoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/out.mp4`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

/** Loads the export in a video element of the page and defines `readFrameNumber` there. */
async function openVideo(page: Page): Promise<void> {
  await page.goto(new URL('/', videoUrl).href);
  await page.evaluate(
    async ({ url, bits, box }) => {
      const video = document.createElement('video');
      video.muted = true;
      // a blob is seekable without a server that answers range requests
      video.src = URL.createObjectURL(await (await fetch(url)).blob());
      document.body.append(video);
      await new Promise((resolve, reject) => {
        video.onloadeddata = resolve;
        video.onerror = () => reject(new Error(`Chromium cannot play the export (${video.error?.code})`));
      });
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      Object.assign(globalThis, {
        video,
        readFrameNumber: () => {
          context.drawImage(video, 0, 0);
          let number = 0;
          for (let bit = 0; bit < bits; bit += 1) {
            const [red] = context.getImageData(
              box.left + bit * box.step + box.width / 2,
              box.height / 2,
              1,
              1,
            ).data;
            if (red! > 128) number += 2 ** bit;
          }
          return number;
        },
      });
    },
    { url: videoUrl, bits: BITS, box: BOX },
  );
}

declare const video: HTMLVideoElement;
declare function readFrameNumber(): number;

test('a smart-cut file shows the right source frame wherever Chromium seeks in it', async ({ page }) => {
  expect(plan.strategy.mode).toBe('smart-cut');
  // the first segment's copy runs from 2 s on into the GOP at 4 s: of its 38 frames up to 5.25 s, at most
  // the 3 after the last whole mini-GOP are re-encoded
  const copied = plan.steps
    .filter((step) => /: copy part/.test(step.label))
    .map((step) => Number(step.args[step.args.indexOf('-frames:v') + 1]));
  expect(Math.max(...copied)).toBeGreaterThanOrEqual(60 + 35);
  await openVideo(page);
  const shown = await page.evaluate(async (count) => {
    const numbers: number[] = [];
    for (let frame = 0; frame < count; frame += 1) {
      const seeked = new Promise((resolve) => (video.onseeked = resolve));
      // `seeked` can come before the new frame reaches the element that a canvas draws from: wait until
      // it is presented too (or a moment, where Chromium presents nothing new)
      const presented = new Promise((resolve) => {
        video.requestVideoFrameCallback(() => resolve(undefined));
        setTimeout(resolve, 500);
      });
      video.currentTime = (frame + 0.5) / 30;
      await Promise.all([seeked, presented]);
      numbers.push(readFrameNumber());
    }
    return numbers;
  }, expected.length);
  expect(shown).toEqual(expected);
});

test('a smart-cut file plays through in Chromium, each frame shown the one for its time', async ({
  page,
}) => {
  await openVideo(page);
  const presented = await page.evaluate(async () => {
    const seen: { time: number; number: number }[] = [];
    const onFrame = (_now: number, metadata: VideoFrameCallbackMetadata) => {
      seen.push({ time: metadata.mediaTime, number: readFrameNumber() });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    const ended = new Promise((resolve, reject) => {
      video.onended = resolve;
      video.onerror = () => reject(new Error(`playback failed (${video.error?.code})`));
    });
    await video.play();
    await ended;
    return seen;
  });
  // a busy machine may skip frames while playing, never show a wrong one
  expect(presented.length).toBeGreaterThan(expected.length / 2);
  const wrong = presented.filter(({ time, number }) => expected[Math.round(time * 30)] !== number);
  expect(wrong).toEqual([]);
});
