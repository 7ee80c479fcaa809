import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableMediaError } from '../media/media-probe.js';
import { probeFile } from './ffprobe.js';
import { SOURCE_DEMUXERS, allowMintedSourceUrl, refusedByAllowList, sourceInput } from './source-input.js';

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vexport-source-input-'));
const at = (name: string) => join(dir, name);
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

/** ffmpeg's error output when it decodes a second of `path` opened as a source; empty when it succeeds. */
async function decodeAsSource(path: string): Promise<string> {
  try {
    await execFileAsync('ffmpeg', ['-v', 'error', '-ss', '0.2', ...sourceInput(path), '-f', 'null', '-']);
    return '';
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr) || 'failed';
  }
}

/** The same source, written in every container a source may be in (video and audio codecs for each). */
const CONTAINERS: [string, string[]][] = [
  ['mp4', ['-c:v', 'libx264', '-c:a', 'aac']],
  ['mov', ['-c:v', 'libx264', '-c:a', 'aac']],
  ['3gp', ['-c:v', 'libx264', '-c:a', 'aac']],
  ['mkv', ['-c:v', 'libx264', '-c:a', 'aac']],
  ['webm', ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-c:a', 'libopus']],
  ['ts', ['-c:v', 'libx264', '-c:a', 'aac']],
  ['avi', ['-c:v', 'mpeg4', '-c:a', 'mp3']],
  ['flv', ['-c:v', 'flv', '-c:a', 'mp3']],
  ['mpg', ['-c:v', 'mpeg2video', '-c:a', 'mp2']],
];

beforeAll(() => {
  const lavfi = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1'];
  const sine = ['-f', 'lavfi', '-i', 'sine=duration=1:sample_rate=44100'];
  for (const [extension, codecs] of CONTAINERS)
    ffmpeg(...lavfi, ...sine, ...codecs, '-shortest', at(`video.${extension}`));
  ffmpeg(...lavfi, '-c:v', 'libtheora', at('video.ogv'));
  for (const frame of ['001', '002', '003']) ffmpeg(...lavfi, '-frames:v', '1', at(`frame${frame}.png`));
  copyFileSync(at('frame001.png'), at('picture.png'));
  // the other user's video and a file of the worker's, which the lists below point at
  copyFileSync(at('video.ts'), at('secret.ts'));
  writeFileSync(
    at('file-url.m3u8'),
    `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile://${at('secret.ts')}\n#EXT-X-ENDLIST\n`,
  );
  writeFileSync(
    at('relative.m3u8'),
    '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nsecret.ts\n#EXT-X-ENDLIST\n',
  );
  writeFileSync(at('list.ffconcat'), 'ffconcat version 1.0\nfile secret.ts\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sourceInput', () => {
  it('opens a source through the file protocol and the listed demuxers only, then names it', () => {
    expect(sourceInput('/job/source.mp4')).toEqual([
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,avi,flv,mpeg',
      '-i',
      '/job/source.mp4',
    ]);
  });

  it('lists demuxers by the names ffmpeg knows them by', () => {
    const help = (name: string) =>
      execFileSync('ffmpeg', ['-hide_banner', '-h', `demuxer=${name}`], { encoding: 'utf8' });
    for (const name of SOURCE_DEMUXERS) expect(help(name)).toContain(`Demuxer ${name} [`);
  });

  it('leaves the MP4/MOV demuxer’s external data references off (enable_drefs defaults to false)', () => {
    const help = execFileSync('ffmpeg', ['-hide_banner', '-h', 'demuxer=mov'], { encoding: 'utf8' });
    expect(help).toMatch(/-enable_drefs\s+<boolean>.*\(default false\)/);
  });
});

describe('a source opened through the allow lists (real ffmpeg)', () => {
  it.each(CONTAINERS.map(([extension]) => extension))('probes and decodes a .%s video', async (extension) => {
    const probe = await probeFile('ffprobe', at(`video.${extension}`));
    expect(probe.video).toMatchObject({ width: 160, height: 120 });
    expect(probe.audio).toBeDefined();
    expect(await decodeAsSource(at(`video.${extension}`))).toBe('');
  });

  it('is a playlist ffmpeg follows without the allow lists (so the cases below are real attacks)', async () => {
    for (const list of ['file-url.m3u8', 'relative.m3u8']) {
      const { stdout } = await execFileAsync('ffprobe', [
        ...['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', at(list)],
      ]);
      expect(stdout).toContain('h264');
    }
  });

  const refused: [string, () => string][] = [
    ['an HLS playlist of file:// URLs', () => at('file-url.m3u8')],
    ['an HLS playlist of relative paths', () => at('relative.m3u8')],
    ['an ffconcat list', () => at('list.ffconcat')],
    ['an image sequence pattern', () => at('frame%03d.png')],
    ['a single picture', () => at('picture.png')],
    ['an Ogg video (a container off the list)', () => at('video.ogv')],
    ['a concat: URL', () => `concat:${at('secret.ts')}|${at('secret.ts')}`],
    ['a subfile: URL', () => `subfile,,start,0,end,0,,:${at('secret.ts')}`],
    ['a data: URL', () => `data:video/mp2t;base64,${Buffer.from('G').toString('base64')}`],
  ];

  it.each(refused)('refuses %s to ffmpeg', async (_name, path) => {
    expect(refusedByAllowList(await decodeAsSource(path()))).toBe(true);
  });

  it.each(refused)('refuses %s to the probe, saying which formats it accepts', async (_name, path) => {
    const probing = probeFile('ffprobe', path());
    await expect(probing).rejects.toThrow(UnreadableMediaError);
    await expect(probing).rejects.toThrow(
      'The file is not in a video format this service accepts. Upload an MP4, MOV, MKV, WebM, MPEG-TS, AVI, FLV or MPEG video.',
    );
  });
});

describe('presigned URLs the worker minted for its own storage', () => {
  const url = 'https://bucket.example/uploads/u/v/source.mp4?X-Amz-Signature=abc';
  const option = (path: string, name: string) => {
    const args = sourceInput(path);
    const at = args.indexOf(name);
    return at < 0 ? undefined : args[at + 1];
  };
  const protocols = (path: string) => option(path, '-protocol_whitelist');

  it('reads a minted URL over HTTP(S) only while it is allowed, with the same demuxers', () => {
    expect(protocols(url)).toBe('file');
    const withdraw = allowMintedSourceUrl(url);
    expect(protocols(url)).toBe('http,https,tcp,tls');
    expect(option(url, '-format_whitelist')).toBe(SOURCE_DEMUXERS.join(','));
    withdraw();
    expect(protocols(url)).toBe('file');
  });

  it('gives up on a read of a minted URL that stalls, and reconnects a dropped one, where a file has neither', () => {
    expect(option(url, '-rw_timeout')).toBeUndefined();
    const withdraw = allowMintedSourceUrl(url);
    expect(Number(option(url, '-rw_timeout'))).toBe(30_000_000);
    expect(option(url, '-reconnect')).toBe('1');
    expect(sourceInput(url).at(-1)).toBe(url);
    withdraw();
  });

  it('never opens another URL, or a minted one that two readers shared once both withdrew it, beyond files', () => {
    const first = allowMintedSourceUrl(url);
    const second = allowMintedSourceUrl(url);
    expect(protocols('https://bucket.example/uploads/u/other/source.mp4')).toBe('file');
    first();
    first();
    expect(protocols(url)).toBe('http,https,tcp,tls');
    second();
    expect(protocols(url)).toBe('file');
  });
});
