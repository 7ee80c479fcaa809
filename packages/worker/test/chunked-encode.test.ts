import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSource } from '../src/ffmpeg/ffprobe.js';
import { runFfmpeg } from '../src/ffmpeg/run-ffmpeg.js';
import { runSteps } from '../src/jobs/run-steps.js';
import { readVideoPacketIndex } from '../src/media/keyframes.js';
import type { MediaProbe } from '../src/media/media-probe.js';
import { planChunkSteps, type ChunkedPlan } from '../src/media/plan-chunk-steps.js';
import { planChunks } from '../src/media/plan-chunks.js';
import {
  askedSeconds,
  planExport,
  relativeVideoTiming,
  segmentSpan,
  type ExportRequest,
  type FfmpegStep,
} from '../src/media/plan-export.js';

const run = promisify(execFile);

const FPS = 30;
const SOURCE_SECONDS = 72;
/** Starts between keyframes (every 2 s), so the first chunk decodes from the keyframe before it. */
const SEGMENT = { start_time: 0.5, end_time: 71.8 };
const WORKERS = 3;
/** Below this a frame differs from the source's: one frame off on this source measures about 25 dB. */
const MIN_FRAME_PSNR_DB = 35;
const MAX_MEAN_PSNR_LOSS_DB = 0.3;

const request: ExportRequest = {
  export_type: 'single',
  resolution: '720p',
  format: 'mp4',
  quality_preset: 'medium',
  segment_selections: [SEGMENT],
};

async function ffmpeg(args: string[]): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stderr;
}

/** 1280×720 30 fps H.264 with a keyframe every 2 s exactly, and a 440 Hz tone. */
async function makeSource(path: string): Promise<void> {
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=${FPS}:duration=${SOURCE_SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SOURCE_SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', String(2 * FPS), '-keyint_min', String(2 * FPS), '-sc_threshold', '0'],
    ...['-c:a', 'aac', path],
  ]);
}

async function runPlanned(steps: readonly FfmpegStep[]): Promise<void> {
  await runSteps(steps, 2, (step) => runFfmpeg(step.args, { ffmpegPath: 'ffmpeg' }));
}

/** Every decoded video frame's time, and whatever the decoder complained of. */
async function decodeFrames(path: string): Promise<{ times: number[]; errors: string }> {
  const { stdout, stderr } = await run(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', 'v:0'],
      ...['-show_entries', 'frame=best_effort_timestamp_time', '-of', 'csv=p=0', path],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const times = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Number(line.replace(/,$/, '')));
  return { times, errors: stderr.trim() };
}

interface StreamTiming {
  codec_type: string;
  start_time: string;
  duration: string;
}

async function streamTimings(path: string): Promise<Record<'video' | 'audio', StreamTiming>> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-show_entries', 'stream=codec_type,start_time,duration', '-of', 'json', path],
  ]);
  const { streams } = JSON.parse(stdout) as { streams: StreamTiming[] };
  const find = (type: string) => streams.find((stream) => stream.codec_type === type)!;
  return { video: find('video'), audio: find('audio') };
}

/**
 * Each output frame's PSNR (dB) against the source frame it should show, paired by position: from the
 * segment's first frame on, so a frame missing or shown twice puts every later one out of step.
 */
async function psnrAgainstSource(output: string, source: string, frames: number, dir: string) {
  const stats = join(dir, 'psnr.log');
  await ffmpeg([
    ...['-i', output],
    ...['-ss', String(SEGMENT.start_time - 0.25 / FPS), '-i', source],
    '-filter_complex',
    // one time base on both sides: the psnr filter pairs frames by time, which rounds apart across bases
    `[0:v]settb=1/${FPS},setpts=N[out];[1:v]trim=end_frame=${frames},settb=1/${FPS},setpts=N[ref];` +
      `[out][ref]psnr=stats_file=${stats}`,
    ...['-f', 'null', '-'],
  ]);
  return (await readFile(stats, 'utf8'))
    .split('\n')
    .filter((line) => line.includes('psnr_avg:'))
    .map((line) => {
      const value = /psnr_avg:(\S+)/.exec(line)![1]!;
      return value === 'inf' ? Infinity : Number(value);
    });
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + Math.min(value, 100), 0) / values.length;

describe('a chunked encode joined from separately encoded chunks, against the single-worker encode', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-chunks-'));
  const source = join(scratch, 'source.mp4');
  let probe: MediaProbe;
  let plan: ChunkedPlan;
  let chunkedPath: string;
  let singlePath: string;

  beforeAll(async () => {
    await makeSource(source);
    probe = await probeSource({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' }, source);
    const index = await readVideoPacketIndex('ffprobe', source);
    const span = segmentSpan(SEGMENT, relativeVideoTiming(probe));
    const chunkPlan = planChunks({
      source: { keyframeTimes: index.keyframeTimes, frameTimes: index.frameTimes, frameRate: FPS },
      spans: [{ start: SEGMENT.start_time + span.offset, duration: span.duration }],
      workers: WORKERS,
      mode: 'reencode',
      audioSeconds: askedSeconds([SEGMENT]),
    });
    if (!chunkPlan.chunked) throw new Error(`the export was not chunked: ${chunkPlan.reason}`);
    plan = chunkPlan;

    const chunkedDir = join(scratch, 'chunked');
    await mkdir(chunkedDir);
    chunkedPath = join(chunkedDir, 'export.mp4');
    const chunked = planChunkSteps({
      plan,
      probe,
      request,
      encoder: 'libx264',
      sourcePath: source,
      outputPath: chunkedPath,
      label: 'segment',
    });
    for (const file of chunked.prepared) await writeFile(file.path, file.contents);
    await runPlanned(chunked.steps);

    const singleDir = join(scratch, 'single');
    await mkdir(singleDir);
    const single = planExport({
      probe,
      request,
      sourcePath: source,
      workDir: singleDir,
      encoder: 'libx264',
      outputName: 'export',
    });
    expect(single.strategy.mode).toBe('reencode');
    singlePath = single.deliverable.path;
    await runPlanned(single.steps);
  }, 300_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('splits the output into chunks that start on source keyframes', () => {
    expect(plan.chunks).toHaveLength(WORKERS);
    for (const chunk of plan.chunks.slice(1)) expect(chunk.sourceStart % 2).toBeCloseTo(0, 6);
  });

  it('has the single-worker encode’s frame count, decodes without errors, and its timestamps run on without gaps', async () => {
    const chunked = await decodeFrames(chunkedPath);
    const single = await decodeFrames(singlePath);
    expect(single.errors).toBe('');
    expect(chunked.errors).toBe('');
    expect(single.times).toHaveLength(plan.join.frames);
    expect(chunked.times).toHaveLength(single.times.length);
    const steps = chunked.times.slice(1).map((time, index) => time - chunked.times[index]!);
    for (const step of steps) expect(step).toBeCloseTo(1 / FPS, 3);
  }, 120_000);

  it('shows every source frame once, across every seam, as well as the single-worker encode does', async () => {
    const frames = plan.join.frames;
    const chunked = await psnrAgainstSource(chunkedPath, source, frames, join(scratch, 'chunked'));
    const single = await psnrAgainstSource(singlePath, source, frames, join(scratch, 'single'));
    expect(chunked).toHaveLength(frames);
    const seams = plan.chunks.slice(1).flatMap((chunk) => [chunk.firstFrame - 1, chunk.firstFrame]);
    for (const frame of seams) expect(chunked[frame]).toBeGreaterThanOrEqual(MIN_FRAME_PSNR_DB);
    expect(Math.min(...chunked)).toBeGreaterThanOrEqual(MIN_FRAME_PSNR_DB);
    expect(Math.abs(mean(chunked) - mean(single))).toBeLessThanOrEqual(MAX_MEAN_PSNR_LOSS_DB);
  }, 120_000);

  it('keeps audio as long as the video and where the single-worker encode puts it', async () => {
    const chunked = await streamTimings(chunkedPath);
    const single = await streamTimings(singlePath);
    const frame = 1 / FPS;
    expect(Math.abs(Number(chunked.audio.duration) - Number(chunked.video.duration))).toBeLessThanOrEqual(
      frame,
    );
    expect(Number(chunked.video.duration)).toBeCloseTo(Number(single.video.duration), 3);
    expect(Number(chunked.audio.start_time)).toBeCloseTo(Number(single.audio.start_time), 3);
    expect(Number(chunked.video.start_time)).toBeCloseTo(Number(single.video.start_time), 3);
  }, 60_000);
});
