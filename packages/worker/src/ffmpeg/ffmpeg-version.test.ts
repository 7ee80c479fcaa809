import { describe, expect, it } from 'vitest';
import { parseFfmpegVersion, readFfmpegVersion } from './ffmpeg-version.js';

describe('parseFfmpegVersion', () => {
  it.each([
    ['ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2025 the FFmpeg developers', '5.1.9-0+deb12u1'],
    ['ffprobe version n7.1 Copyright (c) 2007-2024', 'n7.1'],
    ['ffmpeg version N-117412-g0a1b2c3 Copyright', 'N-117412-g0a1b2c3'],
  ])('reads %s', (line, version) => {
    expect(parseFfmpegVersion(`${line}\nbuilt with gcc 12`)).toBe(version);
  });

  it('returns undefined for output that is not ffmpeg’s', () => {
    expect(parseFfmpegVersion('command not found')).toBeUndefined();
  });
});

describe('readFfmpegVersion', () => {
  it('reads the installed ffmpeg and ffprobe', async () => {
    await expect(readFfmpegVersion('ffmpeg')).resolves.toMatch(/\d/);
    await expect(readFfmpegVersion('ffprobe')).resolves.toMatch(/\d/);
  });

  it('says which binary could not run', async () => {
    await expect(readFfmpegVersion('/nonexistent/ffmpeg')).rejects.toThrow(
      /cannot run \/nonexistent\/ffmpeg/,
    );
  });
});
