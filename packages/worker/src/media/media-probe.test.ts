import { describe, expect, it } from 'vitest';
import {
  UnreadableMediaError,
  assertWithinLimits,
  parseFfprobeOutput,
  parseRate,
  parseRotation,
} from './media-probe.js';

const videoStream = {
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  profile: 'High',
  width: 1920,
  height: 1080,
  pix_fmt: 'yuv420p',
  r_frame_rate: '30/1',
  avg_frame_rate: '30/1',
  time_base: '1/15360',
  has_b_frames: 2,
  start_time: '0.000000',
  nb_frames: '375',
};
const audioStream = {
  index: 1,
  codec_type: 'audio',
  codec_name: 'aac',
  sample_rate: '48000',
  channels: 2,
  start_time: '0.000000',
};
const format = {
  format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
  start_time: '0.000000',
  duration: '12.5',
  size: '1000',
  bit_rate: '640',
};

describe('parseFfprobeOutput', () => {
  it('reads the video and audio streams', () => {
    const probe = parseFfprobeOutput({ streams: [videoStream, audioStream], format });
    expect(probe).toMatchObject({
      durationSeconds: 12.5,
      sizeBytes: 1000,
      video: {
        codec: 'h264',
        width: 1920,
        height: 1080,
        frameRate: 30,
        hasBFrames: 2,
        rotation: 0,
        variableFrameRate: false,
        listedFrames: 375,
      },
      audio: { codec: 'aac', sampleRate: 48_000, channels: 2 },
    });
  });

  it('has no listed frame count where the container gives none', () => {
    for (const nb_frames of [undefined, 'N/A', '0'])
      expect(
        parseFfprobeOutput({ streams: [{ ...videoStream, nb_frames }], format }).video.listedFrames,
      ).toBe(undefined);
  });

  it.each([
    ['64:45', 64 / 45],
    ['2:1', 2],
    ['1:1', 1],
    ['0:1', 1],
    ['N/A', 1],
    [undefined, 1],
  ])('reads the sample aspect ratio %s as %d (square where unknown)', (sample_aspect_ratio, expected) => {
    const probe = parseFfprobeOutput({ streams: [{ ...videoStream, sample_aspect_ratio }], format });
    expect(probe.video.sampleAspectRatio).toBeCloseTo(expected, 9);
  });

  it('has no audio for a silent file', () => {
    expect(parseFfprobeOutput({ streams: [videoStream], format }).audio).toBeUndefined();
  });

  it('skips cover art and takes the real video stream', () => {
    const cover = { ...videoStream, index: 0, codec_name: 'mjpeg', disposition: { attached_pic: 1 } };
    const probe = parseFfprobeOutput({ streams: [cover, { ...videoStream, index: 1 }], format });
    expect(probe.video).toMatchObject({ index: 1, codec: 'h264' });
  });

  it('flags variable frame rate when r_frame_rate and avg_frame_rate disagree', () => {
    const vfr = { ...videoStream, r_frame_rate: '30/1', avg_frame_rate: '2483/100' };
    expect(parseFfprobeOutput({ streams: [vfr], format }).video).toMatchObject({
      variableFrameRate: true,
      frameRate: 24.83,
    });
  });

  it('falls back to the longest stream when the container has no duration', () => {
    const probe = parseFfprobeOutput({
      streams: [
        { ...videoStream, duration: '3.2' },
        { ...audioStream, duration: '3.25' },
      ],
      format: { format_name: 'webm' },
    });
    expect(probe.durationSeconds).toBe(3.25);
  });

  it.each([
    ['no video stream', { streams: [audioStream], format }],
    ['no duration', { streams: [videoStream], format: { format_name: 'mp4' } }],
    ['no frame rate', { streams: [{ ...videoStream, r_frame_rate: '0/0', avg_frame_rate: '0/0' }], format }],
    ['nothing at all', {}],
  ])('refuses a file with %s', (_name, output) => {
    expect(() => parseFfprobeOutput(output)).toThrow(UnreadableMediaError);
  });
});

describe('parseRotation', () => {
  it.each([
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }, 90],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }, 270],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] }, 180],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180 }] }, 180],
    [{ tags: { rotate: '90' } }, 90],
    [{}, 0],
  ])('turns %j into %i° clockwise', (stream, expected) => {
    expect(parseRotation(stream)).toBe(expected);
  });
});

describe('parseRate', () => {
  it('reads fractions and refuses 0/0', () => {
    expect(parseRate('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseRate('25')).toBe(25);
    expect(parseRate('0/0')).toBeUndefined();
    expect(parseRate(undefined)).toBeUndefined();
  });
});

describe('assertWithinLimits', () => {
  const probe = parseFfprobeOutput({ streams: [videoStream], format });
  it('refuses sources that are too long or too large', () => {
    expect(() => assertWithinLimits(probe, { maxDurationSeconds: 10, maxPixels: 1e9 })).toThrow(
      /longer than/,
    );
    expect(() => assertWithinLimits(probe, { maxDurationSeconds: 100, maxPixels: 1000 })).toThrow(
      /1920×1080/,
    );
    expect(() => assertWithinLimits(probe, { maxDurationSeconds: 100, maxPixels: 1e9 })).not.toThrow();
  });
});
