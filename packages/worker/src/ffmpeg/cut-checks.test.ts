import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMedia, type TestMedia } from '../../../../testing/media.js';
import { cutOutputProblems } from './cut-checks.js';

describe('cutOutputProblems (real ffmpeg)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-cut-checks-'));
  const tools = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' };
  let media: TestMedia;

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
    expect(await cutOutputProblems(media.landscape, media.landscape, checkpoints, tools)).toEqual([]);
  });

  it('finds a wrong frame count and a copied run that starts on the wrong frame', async () => {
    const checkpoints = {
      frames: 119,
      frameRate: 30,
      joins: [],
      copyStarts: [{ fileTime: 2, sourceTime: 1 }],
    };
    expect(await cutOutputProblems(media.landscape, media.landscape, checkpoints, tools)).toEqual([
      '120 video frames instead of 119',
      "the copied frame at 2.000 s is not the source's",
    ]);
  });

  it('finds decoder complaints around a join', async () => {
    const damaged = join(scratch, 'damaged.mp4');
    const bytes = readFileSync(media.landscape);
    // overwrite a stretch of the middle of the file (frame data) with noise
    for (let index = Math.floor(bytes.length * 0.4); index < Math.floor(bytes.length * 0.6); index += 7)
      bytes[index] = 0xff;
    writeFileSync(damaged, bytes);
    const problems = await cutOutputProblems(
      damaged,
      media.landscape,
      { frames: 120, frameRate: 30, joins: [2], copyStarts: [] },
      tools,
    );
    expect(problems.some((problem) => problem.startsWith('decoding around 2.000 s:'))).toBe(true);
  });
});
