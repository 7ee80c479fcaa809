import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenGopSource } from '../../../../testing/media.js';
import { renderExport } from './render-export.js';

describe('renderExport (real ffmpeg)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-render-'));
  const openGop = join(scratch, 'open-gop.mp4');

  beforeAll(() => createOpenGopSource(openGop));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('stops the copy it started when the IDR check refuses, and re-encodes with progress that only rises', async () => {
    const workDir = join(scratch, 'job');
    mkdirSync(workDir);
    const progress: number[] = [];
    const plan = await renderExport({
      sourcePath: openGop,
      request: {
        export_type: 'single',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'medium',
        segment_selections: [{ start_time: 0.5, end_time: 5.5 }],
      },
      workDir,
      outputName: 'out',
      tools: { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', encoder: 'libx264', memoryLimitBytes: 2 ** 31 },
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      onProgress: (fraction) => progress.push(fraction),
    });
    expect(plan.strategy.mode).toBe('reencode');
    expect(plan.strategy.reason).toMatch(/is not an IDR frame/);
    expect(readdirSync(workDir)).toEqual(['out.mp4']);
    expect(progress.every((fraction, index) => index === 0 || fraction >= progress[index - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });
});
