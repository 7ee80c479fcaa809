import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyframeEverySecondSource,
  createOpenGopSource,
  createVp9Source,
  decodedFrameChecksums,
} from '../../../../testing/media.js';
import type { ExportRequest } from '../media/plan-export.js';
import { renderExport } from './render-export.js';

const tools = {
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  encoder: 'libx264',
  memoryLimitBytes: 2 ** 31,
} as const;

/** One segment of a source, exported to mp4 in its own size. */
const segment = (start_time: number, end_time: number): ExportRequest => ({
  export_type: 'single',
  resolution: '720p',
  format: 'mp4',
  quality_preset: 'medium',
  segment_selections: [{ start_time, end_time }],
});

/** renderExport of `request` from `sourcePath` into `workDir` (made here), its output named out.mp4. */
function renderInto(
  workDir: string,
  sourcePath: string,
  request: ExportRequest,
  onProgress?: (fraction: number) => void,
) {
  mkdirSync(workDir);
  return renderExport({
    sourcePath,
    request,
    workDir,
    outputName: 'out',
    tools,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    ...(onProgress && { onProgress }),
  });
}

describe('renderExport (real ffmpeg)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-render-'));
  const openGop = join(scratch, 'open-gop.mp4');
  /** 70 s with an IDR frame every second. */
  const long = join(scratch, 'long.mp4');
  /** 4 s of VP9 and Opus with keyframes at 0 and 2 s. */
  const vp9 = join(scratch, 'vp9.webm');

  beforeAll(() =>
    Promise.all([
      createOpenGopSource(openGop),
      createKeyframeEverySecondSource(long, 70),
      createVp9Source(vp9, 4),
    ]),
  );
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('copies a run longer than a minute in pieces that join into the very frames of the source', async () => {
    const workDir = join(scratch, 'split');
    // 1.5 → 66.5 s: a 64-second copied run from 2 s to 66 s
    const plan = await renderInto(workDir, long, segment(1.5, 66.5));
    expect(plan.strategy.mode).toBe('smart-cut');
    expect(plan.steps.filter((step) => /: copy part/.test(step.label))).toHaveLength(2);
    expect(readdirSync(workDir)).toEqual(['out.mp4']);
    const [source, output] = await Promise.all([
      decodedFrameChecksums(long),
      decodedFrameChecksums(join(workDir, 'out.mp4')),
    ]);
    expect(output).toHaveLength(65 * 30);
    // 15 re-encoded frames (1.5 → 2 s), then 64 s copied
    expect(output.slice(15, 15 + 64 * 30)).toEqual(source.slice(60, 66 * 30));
  });

  it('copies VP9 segments that start on a keyframe and end anywhere (its frames are not reordered), checking them where the video starts', async () => {
    const workDir = join(scratch, 'vp9');
    const request: ExportRequest = {
      export_type: 'combined',
      resolution: '720p',
      format: 'webm',
      quality_preset: 'medium',
      segment_selections: [
        { start_time: 0, end_time: 1.5 },
        { start_time: 2, end_time: 2.7 },
      ],
    };
    const plan = await renderInto(workDir, vp9, request);
    // copied, and kept: the file starts with the Opus pre-skip, before the video, and the checks seek from
    // where the video starts (seeking from the file's start, they found the wrong frames and re-encoded)
    expect(plan.strategy.mode).toBe('copy');
    expect(readdirSync(workDir)).toEqual(['out.webm']);
    const [source, output] = await Promise.all([
      decodedFrameChecksums(vp9),
      decodedFrameChecksums(join(workDir, 'out.webm')),
    ]);
    expect(output).toEqual([...source.slice(0, 45), ...source.slice(60, 81)]);
  });

  it('stops the copy it started when the IDR check refuses, and re-encodes with progress that only rises', async () => {
    const workDir = join(scratch, 'job');
    const progress: number[] = [];
    const plan = await renderInto(workDir, openGop, segment(0.5, 5.5), (fraction) => progress.push(fraction));
    expect(plan.strategy.mode).toBe('reencode');
    expect(plan.strategy.reason).toMatch(/is not an IDR frame/);
    expect(readdirSync(workDir)).toEqual(['out.mp4']);
    expect(progress.every((fraction, index) => index === 0 || fraction >= progress[index - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });
});
