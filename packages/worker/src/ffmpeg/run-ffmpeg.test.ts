import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FfmpegError,
  classifyFailure,
  createProgressParser,
  runFfmpeg,
  type FfmpegProgress,
} from './run-ffmpeg.js';
import { chooseH264Encoder, listEncoders } from './detect-encoders.js';

const dir = mkdtempSync(join(tmpdir(), 'vexport-ffmpeg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slowEncode = (output: string, seconds: number) => [
  '-y',
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=1280x720:rate=30:duration=${seconds}`,
  '-c:v',
  'libx264',
  '-preset',
  'medium',
  output,
];

describe('createProgressParser', () => {
  it('emits one progress per block, across chunk boundaries', () => {
    const seen: FfmpegProgress[] = [];
    const parse = createProgressParser((progress) => seen.push(progress));
    parse('frame=10\nout_time_us=333');
    parse('333\nspeed=2.5x\nprogress=continue\nout_time_us=1000000\nspeed=N/A\nprogress=end\n');
    expect(seen).toEqual([
      { outTimeSeconds: 0.333333, speed: 2.5 },
      { outTimeSeconds: 1, speed: undefined },
    ]);
  });
});

describe('classifyFailure', () => {
  it('tells disk full and unreadable input apart from other failures', () => {
    expect(classifyFailure('av_interleaved_write_frame(): No space left on device').kind).toBe('no-space');
    expect(classifyFailure('source.mp4: Invalid data found when processing input').kind).toBe(
      'unreadable-input',
    );
    expect(classifyFailure('Conversion failed!').message).toBe('The video could not be encoded.');
  });
});

describe('runFfmpeg with the real ffmpeg', () => {
  it('writes the output and reports rising progress', async () => {
    const output = join(dir, 'ok.mp4');
    const seen: number[] = [];
    await runFfmpeg(
      [
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x240:rate=30:duration=2',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        output,
      ],
      {
        ffmpegPath: 'ffmpeg',
        onProgress: (progress) => seen.push(progress.outTimeSeconds),
      },
    );
    expect(existsSync(output)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBeCloseTo(2, 0);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('stops ffmpeg at once when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runFfmpeg(slowEncode(join(dir, 'aborted.mp4'), 60), {
      ffmpegPath: 'ffmpeg',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('cancelled by the user')), 300);
    await expect(run).rejects.toThrow('cancelled by the user');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills ffmpeg that passes the memory limit', async () => {
    const run = runFfmpeg(slowEncode(join(dir, 'memory.mp4'), 60), {
      ffmpegPath: 'ffmpeg',
      memoryLimitBytes: 20 * 1024 ** 2,
    });
    await expect(run).rejects.toMatchObject({
      kind: 'memory-limit',
      message: expect.stringMatching(/20 MiB/),
    });
  });

  it('fails with a readable error for an unreadable input', async () => {
    const bad = join(dir, 'bad.mp4');
    writeFileSync(bad, 'not a video');
    const run = runFfmpeg(['-y', '-i', bad, join(dir, 'never.mp4')], { ffmpegPath: 'ffmpeg' });
    await expect(run).rejects.toBeInstanceOf(FfmpegError);
    await expect(run).rejects.toMatchObject({ kind: 'unreadable-input' });
  });
});

describe('encoder detection', () => {
  it('lists the encoders and picks one that really encodes (libx264 on a machine without a GPU)', async () => {
    const listed = await listEncoders('ffmpeg');
    expect(listed.has('libx264')).toBe(true);
    const { encoder, trials } = await chooseH264Encoder('ffmpeg');
    expect(trials.at(-1)).toEqual({ encoder, listed: true, works: true });
    expect(trials.slice(0, -1).every((trial) => !trial.works)).toBe(true);
  });

  it('falls back to libx264 when a forced encoder does not work here', async () => {
    const { encoder, trials } = await chooseH264Encoder('ffmpeg', 'h264_videotoolbox');
    if (trials[0]!.works) return expect(encoder).toBe('h264_videotoolbox');
    expect(encoder).toBe('libx264');
  });
});
