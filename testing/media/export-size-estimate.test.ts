import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  estimateExportBytes,
  predictExportMode,
  type EstimateRequest,
  type EstimateSource,
  type Format,
  type QualityPreset,
} from '@vexport/sdk';
import { probeSource, renderExport } from '@vexport/worker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REAL_WORLD = fileURLToPath(new URL('./real-world/', import.meta.url));
const FORMATS: readonly Format[] = ['mp4', 'mov', 'webm'];
const PRESETS: readonly QualityPreset[] = ['medium', 'high'];
/** How far the estimate may be from the real size, as a fraction of the real size. */
const TOLERANCE = 0.25;
const tools = {
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  encoder: 'libx264',
  memoryLimitBytes: 4 * 1024 ** 3,
} as const;

/** The video record the API would hold for a file, as the worker's probe job fills it in. */
async function videoRecord(path: string): Promise<EstimateSource> {
  const probe = await probeSource(tools, path, new AbortController().signal);
  return {
    duration_seconds: probe.durationSeconds,
    width: probe.video.width,
    height: probe.video.height,
    rotation: probe.video.rotation,
    size_bytes: statSync(path).size,
    video_codec: probe.video.codec,
    audio_codec: probe.audio?.codec ?? null,
  };
}

/** One export of `path` with the worker's own media pipeline: its strategy and its file's size. */
async function realExport(path: string, request: EstimateRequest, workDir: string) {
  mkdirSync(workDir, { recursive: true });
  const plan = await renderExport({
    sourcePath: path,
    request: {
      export_type: 'single',
      resolution: request.resolution,
      format: request.format,
      quality_preset: request.quality_preset,
      segment_selections: [...request.segments],
    },
    workDir,
    outputName: 'estimated',
    tools,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  });
  const bytes = statSync(plan.files[0]!.path).size;
  rmSync(workDir, { recursive: true, force: true });
  return { mode: plan.strategy.mode, bytes };
}

const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

describe('the export size estimate, against real exports of the sample videos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-size-estimate-'));
  /** The demo's sample video, made as the demo and start tests make it: a test pattern and a tone, x264 ultrafast. */
  const demoSample = join(dir, 'demo-sample.mp4');
  /** A 720p H.264 source with 2-second GOPs: exported at 720p to MP4 or MOV, it is smart cut. */
  const hdSample = join(dir, 'hd-sample.mp4');

  beforeAll(() => {
    const pattern = (size: string) => [
      ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=6`],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=6'],
    ];
    ffmpeg([
      ...pattern('640x360'),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      demoSample,
    ]);
    ffmpeg([
      ...pattern('1280x720'),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-g',
      '60',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      hdSample,
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Exports `path` in every format and preset listed and compares each file with its estimate; resolves
   * to the comparisons that missed by more than {@link TOLERANCE}, described.
   */
  async function misses(path: string, formats: readonly Format[], start: number, mode: string) {
    const record = await videoRecord(path);
    const end = Math.min(start + 3, record.duration_seconds! - 0.1);
    const rows: { label: string; error: number }[] = [];
    for (const format of formats)
      for (const quality_preset of PRESETS) {
        const request: EstimateRequest = {
          format,
          resolution: '720p',
          quality_preset,
          segments: [{ start_time: start, end_time: end }],
        };
        const real = await realExport(path, request, join(dir, `${format}-${quality_preset}`));
        expect([real.mode, predictExportMode(request, record)]).toEqual([mode, mode]);
        const estimate = estimateExportBytes(request, record);
        const error = estimate / real.bytes - 1;
        const percent = `${error > 0 ? '+' : ''}${(error * 100).toFixed(0)}%`;
        rows.push({
          label: `${format} ${quality_preset}: ${real.bytes} B, estimated ${estimate} B (${percent})`,
          error,
        });
      }
    console.log(`${path}\n  ${rows.map((row) => row.label).join('\n  ')}`);
    return rows.filter((row) => Math.abs(row.error) > TOLERANCE).map((row) => row.label);
  }

  const realWorld = (name: string) => () => join(REAL_WORLD, name);
  it.each([
    { name: 'the demo sample (test pattern, 640×360 x264 ultrafast)', path: () => demoSample, start: 0.5 },
    {
      name: 'a phone recording (720p H.264 turned 90°)',
      path: realWorld('androidx--mp4-internal_emulator_transformer_output_270_rotated.mp4'),
      start: 1,
    },
    { name: 'a broadcast TS (1080p HEVC, 5.1 AAC)', path: realWorld('mediabunny--hevc.ts'), start: 1 },
  ])('estimates the re-encoded size of $name in mp4, mov and webm within 25%', async ({ path, start }) => {
    expect(await misses(path(), FORMATS, start, 'reencode')).toEqual([]);
  });

  it('estimates the re-encoded size of a 720p test pattern (x264 veryfast) in webm within 25%', async () => {
    expect(await misses(hdSample, ['webm'], 1, 'reencode')).toEqual([]);
  });

  it("estimates the size of a smart cut (same codec and size) from the source's bitrate within 25%", async () => {
    expect(await misses(hdSample, ['mp4', 'mov'], 1, 'smart-cut')).toEqual([]);
  });
});
