import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnreadableMediaError } from '../media/media-probe.js';
import { TEXT_SOURCE_MESSAGE, isTextHead, refuseTextSource } from './text-source.js';

const dir = mkdtempSync(join(tmpdir(), 'vexport-text-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isTextHead', () => {
  it.each([
    ['an HLS playlist', '#EXTM3U\n#EXTINF:2,\nfile:///etc/passwd\n'],
    ['an HLS playlist after a byte-order mark and blank lines', '\ufeff\n\n#EXTM3U\n'],
    ['an ffconcat list', 'ffconcat version 1.0\nfile ../other/source.mp4\n'],
    ['a concat list without its header', "file '/srv/uploads/other/source.mp4'\n"],
    ['notes', 'these are my notes, not a video\r\n\tindented\n'],
    ['UTF-8 text', 'Grüße, ça va? 日本語\n'],
  ])('takes %s for text', (_name, text) => {
    expect(isTextHead(Buffer.from(text))).toBe(true);
  });

  it('takes a playlist for text even when binary bytes follow its first line', () => {
    expect(isTextHead(Buffer.concat([Buffer.from('#EXTM3U\n'), Buffer.from([0, 1, 2, 0x47])]))).toBe(true);
  });

  it('does not take an empty file for text (the probe says what is wrong with it)', () => {
    expect(isTextHead(Buffer.alloc(0))).toBe(false);
  });

  it.each([
    ['mp4', ['-c:v', 'libx264']],
    ['mkv', ['-c:v', 'libx264']],
    ['webm', ['-c:v', 'libvpx-vp9', '-deadline', 'realtime']],
    ['ts', ['-c:v', 'libx264']],
    ['avi', ['-c:v', 'mpeg4']],
    ['flv', ['-c:v', 'flv']],
    ['mpg', ['-c:v', 'mpeg2video']],
  ])('does not take a .%s video for text', (extension, codecs) => {
    const path = join(dir, `video.${extension}`);
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1'],
      ...codecs,
      path,
    ]);
    expect(isTextHead(readFileSync(path).subarray(0, 4096))).toBe(false);
  });
});

describe('refuseTextSource', () => {
  it('refuses a playlist with a message for the person who uploaded it', async () => {
    const path = join(dir, 'clip.m3u8');
    writeFileSync(path, '#EXTM3U\n#EXTINF:2,\n../../uploads/other/video/source.ts\n');
    const refusing = refuseTextSource(path);
    await expect(refusing).rejects.toThrow(UnreadableMediaError);
    await expect(refusing).rejects.toThrow(TEXT_SOURCE_MESSAGE);
  });

  it('lets media through, and leaves a missing file to the probe', async () => {
    const path = join(dir, 'binary.bin');
    writeFileSync(path, Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]));
    await expect(refuseTextSource(path)).resolves.toBeUndefined();
    await expect(refuseTextSource(join(dir, 'missing.mp4'))).resolves.toBeUndefined();
  });
});
