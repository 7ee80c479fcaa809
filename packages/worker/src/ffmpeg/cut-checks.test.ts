import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMedia, type TestMedia } from '../../../../testing/media.js';
import type { CutCheckpoints } from '../media/plan-copy.js';
import { countVideoPackets, cutOutputProblems, joinDecodeWindows } from './cut-checks.js';
import { probeFile } from './ffprobe.js';

describe('joinDecodeWindows', () => {
  it('decodes from each join (a keyframe) to half a second after it', () => {
    const [window] = joinDecodeWindows([10]);
    expect(window?.from).toBeCloseTo(10, 9);
    expect(window?.seconds).toBeCloseTo(0.5, 9);
  });

  it('merges joins less than two seconds apart into one decode, in time order', () => {
    const windows = joinDecodeWindows([31, 14.5, 0.05, 15.2, 17.6, 29]);
    expect(windows.map(({ from, seconds }) => [from, Number((from + seconds).toFixed(3))])).toEqual([
      [0.05, 0.55],
      [14.5, 18.1],
      [29, 31.5],
    ]);
  });

  it('keeps joins two seconds or more apart in their own decodes', () => {
    expect(joinDecodeWindows([1, 3.6]).length).toBe(2);
  });
});

describe('cutOutputProblems (real ffmpeg)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-cut-checks-'));
  const tools = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' };
  let media: TestMedia;
  /** The checks of `output` as a cut of `source`, with the probe the job takes of it. */
  const problemsOf = async (output: string, source: string, checkpoints: CutCheckpoints) =>
    cutOutputProblems(output, await probeFile('ffprobe', output), source, checkpoints, tools);

  beforeAll(async () => {
    media = await createTestMedia(scratch);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes a file that is what its checkpoints say', async () => {
    // the landscape source is its own perfect "cut": 120 frames, the copy at 2 s being the source's 2 s
    const checkpoints = {
      frames: 120,
      frameRate: 30,
      joins: [2],
      copyStarts: [{ fileTime: 2, sourceTime: 2 }],
    };
    expect(await problemsOf(media.landscape, media.landscape, checkpoints)).toEqual([]);
  });

  it('finds a wrong frame count and a copied run that starts on the wrong frame', async () => {
    const checkpoints = {
      frames: 119,
      frameRate: 30,
      joins: [],
      copyStarts: [{ fileTime: 2, sourceTime: 1 }],
    };
    expect(await problemsOf(media.landscape, media.landscape, checkpoints)).toEqual([
      '120 video frames instead of 119',
      "the copied frame at 2.000 s is not the source's",
    ]);
  });

  it('hashes every copied run’s first frame in one ffmpeg, each against its own source keyframe', async () => {
    const checkpoints = {
      frames: 120,
      frameRate: 30,
      joins: [],
      copyStarts: [
        { fileTime: 0, sourceTime: 2 },
        { fileTime: 2, sourceTime: 2 },
        { fileTime: 2, sourceTime: 0 },
      ],
    };
    expect(await problemsOf(media.landscape, media.landscape, checkpoints)).toEqual([
      "the copied frame at 0.000 s is not the source's",
      "the copied frame at 2.000 s is not the source's",
    ]);
  });

  it('counts frames from the MP4 sample table, and by reading packets where a container has none', async () => {
    const matroska = join(scratch, 'landscape.mkv');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', media.landscape, '-c', 'copy', '-an', matroska]);
    expect((await probeFile('ffprobe', media.landscape)).video.listedFrames).toBe(120);
    expect((await probeFile('ffprobe', matroska)).video.listedFrames).toBeUndefined();
    expect(await countVideoPackets(matroska, tools)).toBe(120);
    const checkpoints = { frames: 121, frameRate: 30, joins: [], copyStarts: [] };
    for (const file of [media.landscape, matroska])
      expect(await problemsOf(file, media.landscape, checkpoints)).toEqual([
        '120 video frames instead of 121',
      ]);
  });

  it('finds decoder complaints around a join', async () => {
    const damaged = join(scratch, 'damaged.mp4');
    const bytes = readFileSync(media.landscape);
    // overwrite a stretch of the middle of the file (frame data) with noise
    for (let index = Math.floor(bytes.length * 0.4); index < Math.floor(bytes.length * 0.6); index += 7)
      bytes[index] = 0xff;
    writeFileSync(damaged, bytes);
    const problems = await problemsOf(damaged, media.landscape, {
      frames: 120,
      frameRate: 30,
      joins: [2],
      copyStarts: [],
    });
    expect(problems.some((problem) => problem.startsWith('decoding from 2.000 s to 2.500 s:'))).toBe(true);
  });

  it('decodes each join from its own keyframe, not from the group of pictures before it', async () => {
    // damage the video of 0.5-1.5 s, inside the first group of pictures (keyframes at 0 and 2 s)
    const damaged = join(scratch, 'damaged-first-gop.mp4');
    const bytes = readFileSync(media.landscape);
    const packets = execFileSync('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,pos,size'],
      ...['-of', 'csv=p=0', media.landscape],
    ])
      .toString()
      .trim()
      .split('\n')
      .map((line) => line.split(',').map(Number) as [number, number, number]);
    for (const [time, position, size] of packets) {
      if (time < 0.5 || time >= 1.5) continue;
      for (let index = position + Math.floor(size / 4); index < position + size; index += 3)
        bytes[index] = 0xff;
    }
    writeFileSync(damaged, bytes);
    const checkJoinAt = (time: number) =>
      problemsOf(damaged, media.landscape, { frames: 120, frameRate: 30, joins: [time], copyStarts: [] });

    expect(await checkJoinAt(2)).toEqual([]);
    const problems = await checkJoinAt(1);
    expect(problems.some((problem) => problem.startsWith('decoding from 1.000 s to 1.500 s:'))).toBe(true);
  });
});
