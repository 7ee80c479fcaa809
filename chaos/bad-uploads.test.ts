import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type SourceRefusalCode, type Video, type VexportClient } from '@vexport/sdk';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevelopmentToken } from '../packages/server/src/auth/dev-token.js';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, waitForFinished, type Stack } from './support/stack.js';

const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

/**
 * Uploads that are not videos we can export: each ends as a `failed` video with a message for a person and
 * a code for clients.
 */
describe('bad uploads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-chaos-uploads-'));
  const otherUser = 'chaos-uploads-other-user';
  let stack: Stack;
  let good: Buffer;
  /** A video on the worker's disk outside storage, and another user's private upload in storage. */
  let localFile: string;
  let otherUsersUpload: Video;

  beforeAll(async () => {
    stack = await startStack({ user: 'chaos-uploads-user', env: { MAX_SOURCE_DURATION_SECONDS: '60' } });
    good = readFileSync(join(stack.storageDir, 'shared', 'sample.mp4'));
    localFile = join(dir, 'local-file.ts');
    make('local-file.ts', '-i', join(stack.storageDir, 'shared', 'sample.mp4'), '-c', 'copy');
    const other = createClient({
      baseUrl: stack.urls.api!,
      token: signDevelopmentToken({ user: otherUser, secret: stack.secret, expiresIn: '1h' }),
    });
    otherUsersUpload = await uploadAndProbe('private.ts', readFileSync(localFile), other);
    expect(otherUsersUpload.status).toBe('completed');
    // where the relative playlist below points: the upload is stored there, readable by the worker
    expect(otherUsersUpload.source).toMatch(/^uploads\/[^/]+\/[^/]+\/source\.ts$/);
    expect(existsSync(join(stack.storageDir, otherUsersUpload.source))).toBe(true);
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

  async function uploadAndProbe(
    name: string,
    bytes: Buffer,
    client: VexportClient = stack.client,
  ): Promise<Video> {
    let video = await client.registerVideo({ file: new Blob([bytes]), filename: name, title: name });
    await waitFor(
      async () => {
        video = await client.getVideo(video.id);
        return video.status === 'completed' || video.status === 'failed';
      },
      { timeoutMs: 60_000, intervalMs: 200, message: `${name} was not probed` },
    );
    return video;
  }

  /** The other user's upload as a path from an upload's own folder in storage, uploads/{user}/{video}/. */
  const otherUsersUploadPath = () => `../../${otherUsersUpload.source.replace(/^uploads\//, '')}`;
  /** An HLS playlist of these entries, two seconds each. */
  const playlist = (...entries: string[]) =>
    Buffer.from(
      `#EXTM3U\n#EXT-X-TARGETDURATION:2\n${entries.map((entry) => `#EXTINF:2,\n${entry}\n`).join('')}#EXT-X-ENDLIST\n`,
    );

  const unreadable = 'The file is not a video we can read (corrupt, truncated or an unknown format).';
  const playlistOrText = 'This is a playlist or text file, not a video. Upload the video file itself.';
  const notAccepted =
    'The file is not in a video format this service accepts. Upload an MP4, MOV, MKV, WebM, MPEG-TS, AVI, FLV or MPEG video.';
  const cases: [string, () => Buffer, string, SourceRefusalCode][] = [
    ['zero-byte.mp4', () => Buffer.alloc(0), unreadable, 'unreadable_file'],
    [
      'notes.mp4',
      () => Buffer.from('these are my notes, not a video\n'.repeat(100)),
      playlistOrText,
      'unsupported_format',
    ],
    // playlists and lists that would make ffmpeg read other files than the upload: a file on the worker's
    // disk, another user's upload, and the same through protocols that wrap a file
    ['clip.m3u8', () => playlist(`file://${localFile}`), playlistOrText, 'unsupported_format'],
    ['other-users-video.m3u8', () => playlist(otherUsersUploadPath()), playlistOrText, 'unsupported_format'],
    [
      'list.ffconcat',
      () => Buffer.from(`ffconcat version 1.0\nfile '${localFile}'\nfile '${otherUsersUploadPath()}'\n`),
      playlistOrText,
      'unsupported_format',
    ],
    [
      'protocols.m3u8',
      () => playlist(`concat:${localFile}|${localFile}`, `subfile,,start,0,end,0,,:${localFile}`),
      playlistOrText,
      'unsupported_format',
    ],
    [
      'frame%03d.png',
      () => make('frame.png', '-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1'),
      notAccepted,
      'unsupported_format',
    ],
    [
      'corrupt.mp4',
      () => {
        const bytes = Buffer.from(good);
        for (let index = 0; index < bytes.length; index += 7) bytes[index] = (bytes[index]! * 31 + 17) & 0xff;
        return bytes;
      },
      unreadable,
      'unreadable_file',
    ],
    // without faststart the index is at the end: the first third has none
    ['truncated.mp4', () => good.subarray(0, Math.floor(good.length / 3)), unreadable, 'unreadable_file'],
    [
      'voice-memo.m4a',
      () => make('voice.m4a', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:a', 'aac'),
      'The file has no video stream we can read.',
      'no_video_stream',
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
      'picture_too_large',
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
      'too_long',
    ],
  ];

  for (const [name, bytes, message, code] of cases) {
    it(`${name}: failed as ${code}, with “${message}”`, async () => {
      const video = await uploadAndProbe(name, bytes());
      expect(video.status).toBe('failed');
      expect(video.error_message).toBe(message);
      expect(video.error_code).toBe(code);
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

  it("cannot export a playlist even if it was once taken for a video: the export fails, delivering no one's file", async () => {
    const video = await uploadAndProbe('old.m3u8', playlist(otherUsersUploadPath()));
    // as a probe without the allow lists left it
    const db = new pg.Client({ connectionString: stack.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        "UPDATE videos SET status = 'completed', duration_seconds = 2, error_message = NULL, error_code = NULL WHERE id = $1",
        [video.id],
      );
    } finally {
      await db.end();
    }
    const created = await stack.client.createExport(video.id, {
      export_type: 'single',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    const finished = await waitForFinished(stack, created.id);
    expect(finished.status).toBe('failed');
    expect(finished.error_message).toBe(notAccepted);
  });

  it('a good upload next to them is still probed, with no error code', async () => {
    expect(await uploadAndProbe('fine.mp4', good)).toMatchObject({ status: 'completed', error_code: null });
  });

  it('loses nothing: every export finished, exactly its files stored, no temp left', async () => {
    await expectNothingLost(stack);
  });
});
