import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpenGopSource,
  createSyncSource,
  createTestMedia,
  createUnusualSources,
  type TestMedia,
  type UnusualSources,
} from '../../../../testing/media.js';
import { isIdrKeyframe, isIdrKeyframeSample, isIdrPicture, listVideoPackets } from './keyframes.js';
import { asProbeTime, readBoxes, readMp4VideoPacketIndex } from './mp4-sample-index.js';

const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

describe('readMp4VideoPacketIndex (against ffprobe’s packet list)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-mp4-index-'));
  const at = (name: string) => join(scratch, name);
  let media: TestMedia;
  let unusual: UnusualSources;

  beforeAll(async () => {
    media = await createTestMedia(scratch);
    unusual = await createUnusualSources(scratch);
    await createSyncSource(at('sync.mp4'));
    const source = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=5'];
    const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '48', '-pix_fmt', 'yuv420p'];
    // B-frames: composition offsets and the edit list that starts the presentation at the first frame
    ffmpeg(...source, ...x264, '-bf', '3', '-movflags', '+faststart', at('bframes.mp4'));
    ffmpeg(...source, ...x264, '-bf', '3', at('bframes-moov-last.mov'));
    ffmpeg(...source, ...x264, '-bf', '2', '-use_editlist', '0', at('no-editlist.mp4'));
    ffmpeg(...source, ...x264, '-r', '30000/1001', '-video_track_timescale', '30000', at('ntsc.mp4'));
    ffmpeg(...source, ...x264, '-bf', '2', '-movflags', '+frag_keyframe+empty_moov', at('fragmented.mp4'));
    ffmpeg(...source, ...x264, at('matroska.mkv'));
    // a stream copy through the concat demuxer starts the video after the audio's priming: an empty edit
    writeFileSync(at('twice.txt'), `file '${at('sync.mp4')}'\nfile '${at('sync.mp4')}'\n`);
    ffmpeg('-f', 'concat', '-safe', '0', '-i', at('twice.txt'), '-c', 'copy', at('delayed-start.mp4'));
    await createOpenGopSource(at('open-gop.mp4'));
    // open-GOP recovery points every second, but IDR frames at 0 and 3 s
    ffmpeg(
      ...source,
      ...x264,
      '-bf',
      '2',
      '-x264-params',
      'open-gop=1:keyint=30:min-keyint=30:scenecut=0',
      '-forced-idr',
      '1',
      '-force_key_frames',
      '0,3',
      at('mixed-gop.mp4'),
    );
  }, 60_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives exactly ffprobe’s frame and keyframe times, and its packet order, for the MP4 and MOV layouts it reads', async () => {
    const files = [
      media.landscape,
      media.portrait,
      media.silent,
      unusual.hevc,
      unusual.prores,
      unusual.mpeg2,
      unusual.variableFrameRate,
      unusual.oddDimensions,
      at('sync.mp4'),
      at('bframes.mp4'),
      at('bframes-moov-last.mov'),
      at('no-editlist.mp4'),
      at('ntsc.mp4'),
      at('delayed-start.mp4'),
    ].filter((path) => /\.(mp4|mov)$/.test(path));
    const read: string[] = [];
    for (const path of files) {
      const fromTables = await readMp4VideoPacketIndex(path);
      if (!fromTables) continue;
      read.push(path);
      const listed = await listVideoPackets('ffprobe', path);
      const { frameTimes, decodeOrderTimes, keyframeTimes } = fromTables;
      expect({ frameTimes, decodeOrderTimes, keyframeTimes }, path).toEqual(listed);
    }
    // the common layouts must not fall back to reading every packet
    expect(read).toEqual(
      expect.arrayContaining([
        media.landscape,
        at('bframes.mp4'),
        at('bframes-moov-last.mov'),
        at('delayed-start.mp4'),
      ]),
    );
  });

  it('locates each H.264 keyframe’s sample, which is an IDR picture exactly where ffmpeg’s trace says so', async () => {
    const startTime = (path: string) =>
      Number(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', path])
          .toString()
          .trim(),
      );
    const seen = new Set<boolean>();
    for (const path of [
      media.landscape,
      at('bframes.mp4'),
      at('bframes-moov-last.mov'),
      at('delayed-start.mp4'),
      at('open-gop.mp4'),
      at('mixed-gop.mp4'),
    ]) {
      const index = (await readMp4VideoPacketIndex(path))!;
      const start = startTime(path);
      expect(index.h264Keyframes?.samples.size, path).toBe(index.keyframeTimes.length);
      for (const time of index.keyframeTimes) {
        const fromSample = await isIdrKeyframeSample(path, index, time);
        const fromTrace = await isIdrKeyframe('ffmpeg', path, time - start + 0.000001);
        expect(fromSample, `${path} at ${time}`).toBe(fromTrace);
        seen.add(fromTrace);
      }
    }
    expect([...seen].sort()).toEqual([false, true]);
    expect((await readMp4VideoPacketIndex(unusual.hevc))?.h264Keyframes).toBeUndefined();
    const listed = await listVideoPackets('ffprobe', at('matroska.mkv'));
    expect(await isIdrKeyframeSample(at('matroska.mkv'), listed, listed.keyframeTimes[0]!)).toBeUndefined();
  });

  it('reads a sample’s NAL units by their length prefixes, and gives up on lengths that do not add up', async () => {
    const sei = 6;
    const idrSlice = 5;
    const slice = 1;
    expect(isIdrPicture([sei, idrSlice, idrSlice])).toBe(true);
    expect(isIdrPicture([sei, slice])).toBe(false);
    expect(isIdrPicture([idrSlice, slice])).toBe(false);
    expect(isIdrPicture([sei])).toBeUndefined();
    // a "sample" of two NAL units (an SEI, an IDR slice) with 2-byte lengths, then one whose length overruns
    const nal = (type: number, length: number) =>
      Buffer.from([0, length, type, ...Array(length - 1).fill(7)]);
    const bytes = Buffer.concat([Buffer.alloc(3), nal(sei, 4), nal(0x65, 3), Buffer.from([0, 9, 0x65])]);
    writeFileSync(at('nal-units.bin'), bytes);
    const index = (size: number) => ({
      frameTimes: new Float64Array([0]),
      decodeOrderTimes: new Float64Array([0]),
      keyframeTimes: [0],
      h264Keyframes: { nalLengthSize: 2, samples: new Map([[0, { offset: 3, size }]]) },
    });
    expect(await isIdrKeyframeSample(at('nal-units.bin'), index(11), 0)).toBe(true);
    expect(await isIdrKeyframeSample(at('nal-units.bin'), index(14), 0)).toBeUndefined();
    expect(await isIdrKeyframeSample(at('nal-units.bin'), index(10), 0)).toBeUndefined();
  });

  it('leaves fragmented MP4, other containers and damaged files to ffprobe', async () => {
    expect(await readMp4VideoPacketIndex(at('fragmented.mp4'))).toBeUndefined();
    expect(await readMp4VideoPacketIndex(at('matroska.mkv'))).toBeUndefined();
    expect(await readMp4VideoPacketIndex(media.corrupt)).toBeUndefined();
    expect(await readMp4VideoPacketIndex(unusual.vp9)).toBeUndefined();
  });

  it('refuses box sizes that run past their container', () => {
    const box = Buffer.alloc(16);
    box.writeUInt32BE(64, 0);
    box.write('moov', 4, 'latin1');
    expect(readBoxes(box)).toBeUndefined();
    box.writeUInt32BE(16, 0);
    expect(readBoxes(box)?.map((entry) => entry.type)).toEqual(['moov']);
  });

  it('rounds times to six decimals as printf does, an exact half to even', () => {
    expect(asProbeTime(1001, 30000)).toBe(0.033367);
    expect(asProbeTime(1, 128)).toBe(0.007812);
    expect(asProbeTime(3, 128)).toBe(0.023438);
    expect(asProbeTime(2 ** 60, 1)).toBeUndefined();
  });
});
