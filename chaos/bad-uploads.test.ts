import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Video } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, type Stack } from './support/stack.js';

const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

/** Uploads that are not videos we can export: each ends as a `failed` video with a message for a person. */
describe('bad uploads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-chaos-uploads-'));
  let stack: Stack;
  let good: Buffer;

  beforeAll(async () => {
    stack = await startStack({ user: 'chaos-uploads-user', env: { MAX_SOURCE_DURATION_SECONDS: '60' } });
    good = readFileSync(join(stack.storageDir, 'shared', 'sample.mp4'));
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function make(name: string, ...args: string[]): Buffer {
    const file = join(dir, name);
    ffmpeg(...args, file);
    return readFileSync(file);
  }

  async function uploadAndProbe(name: string, bytes: Buffer): Promise<Video> {
    let video = await stack.client.registerVideo({ file: new Blob([bytes]), filename: name, title: name });
    await waitFor(
      async () => {
        video = await stack.client.getVideo(video.id);
        return video.status === 'completed' || video.status === 'failed';
      },
      { timeoutMs: 60_000, intervalMs: 200, message: `${name} was not probed` },
    );
    return video;
  }

  const unreadable = 'The file is not a video we can read (corrupt, truncated or an unknown format).';
  const cases: [string, () => Buffer, string | RegExp][] = [
    ['zero-byte.mp4', () => Buffer.alloc(0), unreadable],
    ['notes.mp4', () => Buffer.from('these are my notes, not a video\n'.repeat(100)), unreadable],
    [
      'corrupt.mp4',
      () => {
        const bytes = Buffer.from(good);
        for (let index = 0; index < bytes.length; index += 7) bytes[index] = (bytes[index]! * 31 + 17) & 0xff;
        return bytes;
      },
      unreadable,
    ],
    // without faststart the index is at the end: the first third has none
    ['truncated.mp4', () => good.subarray(0, Math.floor(good.length / 3)), unreadable],
    [
      'voice-memo.m4a',
      () => make('voice.m4a', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:a', 'aac'),
      'The file has no video stream we can read.',
    ],
    [
      'huge-picture.mkv',
      () =>
        make(
          'huge.mkv',
          '-f',
          'lavfi',
          '-i',
          'color=black:size=8200x4400:duration=0.1',
          '-frames:v',
          '1',
          '-c:v',
          'png',
        ),
      "The video's picture (8200×4400) is larger than this service accepts.",
    ],
    [
      'bomb-like-long.mp4',
      // two minutes of a 16×16 picture: a few kilobytes that would decode for far longer than allowed
      () =>
        make(
          'long.mp4',
          '-f',
          'lavfi',
          '-i',
          'color=black:size=16x16:rate=1:duration=120',
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
        ),
      'The video is longer than the 1 min this service accepts.',
    ],
  ];

  for (const [name, bytes, message] of cases) {
    it(`${name}: failed, with “${String(message)}”`, async () => {
      const video = await uploadAndProbe(name, bytes());
      expect(video.status).toBe('failed');
      expect(video.error_message).toBe(message);
      // and it cannot be exported
      const refused = await fetch(`${stack.urls.api}/api/videos/${video.id}/export`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ export_type: 'single', segment_selections: [{ start_time: 0, end_time: 1 }] }),
      });
      expect(refused.status).toBe(409);
      expect((await refused.json()).detail).toContain(message);
    });
  }

  it('a good upload next to them is still probed', async () => {
    expect((await uploadAndProbe('fine.mp4', good)).status).toBe('completed');
  });

  it('loses nothing: every export finished, exactly its files stored, no temp left', async () => {
    await expectNothingLost(stack);
  });
});
