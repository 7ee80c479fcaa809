import { describe, expect, it } from 'vitest';
import {
  UnreadableMediaError,
  assertWithinLimits,
  frameRateNeedsMeasuring,
  lacksDuration,
  measureFrameTiming,
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

  it('counts the timeline from the first packet: an edit list that starts the video at 10 s is not 14 s long', () => {
    // androidx--mp4-bbb_800x640_768kbps_30fps_avc_2b_firstpts_10_sec.mp4 as ffprobe reports it
    const probe = parseFfprobeOutput({
      streams: [{ ...videoStream, start_time: '10.000000', duration: '4.000000' }],
      format: { ...format, start_time: '10.000000', duration: '14.000000' },
    });
    expect(probe.startTime).toBe(10);
    expect(probe.durationSeconds).toBe(4);
  });

  it('keeps the container’s duration where the streams end later or say nothing', () => {
    const probe = parseFfprobeOutput({
      streams: [{ ...videoStream, start_time: '1.000000', duration: '9.000000' }, audioStream],
      format: { ...format, duration: '10.006' },
    });
    expect(probe.durationSeconds).toBe(10);
    expect(parseFfprobeOutput({ streams: [videoStream], format }).durationSeconds).toBe(12.5);
  });

  it('takes a length read from the packets when nothing in the header says one', () => {
    const headerless = { streams: [videoStream], format: { format_name: 'matroska,webm' } };
    expect(lacksDuration(headerless)).toBe(true);
    expect(lacksDuration({ streams: [videoStream], format })).toBe(false);
    expect(parseFfprobeOutput(headerless, { scannedDurationSeconds: 35.2 }).durationSeconds).toBe(35.2);
  });

  it('says why it refuses, with a code', () => {
    expect(() => parseFfprobeOutput({ streams: [audioStream], format })).toThrow(
      expect.objectContaining({ code: 'no_video_stream' }),
    );
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
    expect(parseRate('30000/1001')).toBeCloseTo(29.97, 1);
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

describe('frame rates a container’s clock stands in for', () => {
  // androidx--flv-sample.flv and androidx--mkv-sample_with_srt.mkv: 29.97 fps in whole milliseconds
  const flv = { ...videoStream, r_frame_rate: '60/1', avg_frame_rate: '1000/1', time_base: '1/1000' };

  it('measures the rate from the packets when the average is the time base’s clock', () => {
    expect(frameRateNeedsMeasuring({ streams: [flv], format })).toBe(true);
    expect(frameRateNeedsMeasuring({ streams: [videoStream], format })).toBe(false);
    const times = Array.from({ length: 30 }, (_, frame) => Math.round((frame * 1001) / 30) / 1000);
    const timing = measureFrameTiming(times)!;
    expect(timing.frameRate).toBeCloseTo(29.97, 1);
    expect(timing.variable).toBe(false);
    const probe = parseFfprobeOutput({ streams: [flv], format }, { measuredTiming: timing });
    expect(probe.video.frameRate).toBeCloseTo(29.97, 1);
    expect(probe.video.variableFrameRate).toBe(false);
  });

  it('measures a stream whose nominal rate disagrees with its average, and finds a steady one constant', () => {
    // mediabunny--annex-b-avc.mkv: r_frame_rate 117/4, frames 33 to 35 ms apart
    const annexB = { ...videoStream, r_frame_rate: '117/4', avg_frame_rate: '1000/33' };
    expect(frameRateNeedsMeasuring({ streams: [annexB], format })).toBe(true);
    const times = Array.from({ length: 60 }, (_, frame) => frame * 0.033 + (frame % 3 === 0 ? 0.001 : 0));
    expect(measureFrameTiming(times)!.variable).toBe(false);
  });

  it('calls a screen capture with gaps of seconds variable', () => {
    const times = [0, 0.033, 0.066, 1.6, 1.633, 1.666, 3.2, 3.233, 3.266, 3.3];
    expect(measureFrameTiming(times)!.variable).toBe(true);
    // regular bursts with one long gap: the percentiles alone would call it constant
    const bursts = [...Array.from({ length: 30 }, (_, frame) => frame / 30), 3.5, 3.533, 3.566];
    expect(measureFrameTiming(bursts)!.variable).toBe(true);
  });
});
