import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  askedDurations,
  expectedPicture,
  outputProblems,
  streamExtent,
  type ExpectedOutput,
  type OutputProbe,
  type ProbedFrame,
} from './output-checks.js';

/** ffprobe's answers for real files: 1 s of 1280×720 30 fps with audio (WebM; MP4 with a 90° display matrix). */
const fixture = (name: string): OutputProbe =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as OutputProbe;
const webm = () => fixture('vp9-opus-720p-1s.webm');
const rotatedMp4 = () => fixture('h264-aac-rotated-90-1s.mp4');

const landscape720 = { width: 1280, height: 720, exact: true };
const asked = (overrides: Partial<ExpectedOutput> = {}): ExpectedOutput => ({
  format: 'webm',
  durationSeconds: 1,
  hasAudio: true,
  picture: landscape720,
  ...overrides,
});

const framesOf = (probe: OutputProbe, streamIndex: number) =>
  probe.frames.filter((frame) => frame.stream_index === streamIndex);
const withFrames = (probe: OutputProbe, streamIndex: number, frames: ProbedFrame[]): OutputProbe => ({
  ...probe,
  frames: [...probe.frames.filter((frame) => frame.stream_index !== streamIndex), ...frames],
});
const shifted = (frames: ProbedFrame[], seconds: number) =>
  frames.map((frame) => ({
    ...frame,
    best_effort_timestamp_time: (Number(frame.best_effort_timestamp_time) + seconds).toFixed(6),
  }));

describe('outputProblems', () => {
  it('finds nothing wrong with a file that is as asked', () => {
    expect(outputProblems(webm(), asked())).toEqual([]);
  });

  it('measures each stream: a file whose video stops half-way is wrong though its audio runs on', () => {
    const probe = webm();
    const firstHalf = framesOf(probe, 0).filter((frame) => Number(frame.best_effort_timestamp_time) < 0.5);
    expect(outputProblems(withFrames(probe, 0, firstHalf), asked())).toEqual([
      'video lasts 0.500 s instead of 1.000 s',
    ]);
  });

  it('allows one frame of video and one frame of audio, not more', () => {
    expect(outputProblems(webm(), asked({ durationSeconds: 1.015 }))).toEqual([]);
    expect(outputProblems(webm(), asked({ durationSeconds: 1.1 }))).toEqual([
      'video lasts 1.000 s instead of 1.100 s',
      'audio lasts 1.001 s instead of 1.100 s',
    ]);
  });

  it('reports audio that starts later than the video', () => {
    const probe = webm();
    const late = shifted(framesOf(probe, 1), 0.1).filter(
      (frame) => Number(frame.best_effort_timestamp_time) < 1,
    );
    expect(outputProblems(withFrames(probe, 1, late), asked())).toEqual([
      'audio lasts 0.914 s instead of 1.000 s',
      // the WebM's video starts at 7 ms
      'audio starts 93 ms after video',
    ]);
  });

  it('reports what a full decode complained about', () => {
    expect(outputProblems(webm(), asked(), '[h264 @ 0x1] error while decoding MB 3 5\nmore\n')).toEqual([
      'decode errors: [h264 @ 0x1] error while decoding MB 3 5',
    ]);
  });

  it('wants the codecs of the format and audio exactly when the source has audio', () => {
    expect(outputProblems(webm(), asked({ format: 'mp4' }))).toEqual([
      'video codec vp9 instead of h264',
      'audio codec opus instead of aac',
    ]);
    expect(outputProblems(webm(), asked({ hasAudio: false }))).toEqual([
      'an audio stream the source does not have',
    ]);
    const silent = { ...webm(), streams: webm().streams.filter((stream) => stream.codec_type === 'video') };
    expect(outputProblems(silent, asked())).toEqual(['no audio stream, though the source has audio']);
    expect(outputProblems(silent, asked({ hasAudio: false }))).toEqual([]);
  });

  it('judges the picture as shown: a 90° display matrix turns 1280×720 into portrait 720×1280', () => {
    const portrait = { width: 720, height: 1280, exact: true };
    expect(outputProblems(rotatedMp4(), asked({ format: 'mp4', picture: portrait }))).toEqual([]);
    expect(outputProblems(rotatedMp4(), asked({ format: 'mp4' }))).toEqual([
      'shown portrait (720×1280) instead of landscape',
    ]);
  });

  it('wants square pixels and the exact standard size, or the aspect within rounding otherwise', () => {
    const stretched: OutputProbe = {
      ...webm(),
      streams: webm().streams.map((stream) =>
        stream.codec_type === 'video' ? { ...stream, width: 640, sample_aspect_ratio: '2:1' } : stream,
      ),
    };
    expect(outputProblems(stretched, asked())).toEqual(['pixels not square (sample aspect ratio 2:1)']);
    const wide: OutputProbe = {
      ...webm(),
      streams: webm().streams.map((stream) =>
        stream.codec_type === 'video' ? { ...stream, width: 1282 } : stream,
      ),
    };
    expect(outputProblems(wide, asked())).toEqual(['picture 1282×720 instead of 1280×720']);
    expect(outputProblems(wide, asked({ picture: { ...landscape720, exact: false } }))).toEqual([]);
  });

  it('uses the typical frame of a variable-rate file, so a long gap neither widens nor breaks the limit', () => {
    const frames: ProbedFrame[] = [0, 0.033, 0.067, 1.6, 1.633].map((time) => ({
      stream_index: 0,
      best_effort_timestamp_time: time.toFixed(6),
      duration_time: '0.033000',
    }));
    const probe: OutputProbe = {
      streams: [{ index: 0, codec_type: 'video', codec_name: 'vp9', width: 1280, height: 720 }],
      frames,
    };
    expect(outputProblems(probe, asked({ hasAudio: false, durationSeconds: 1.666 }))).toEqual([]);
    expect(outputProblems(probe, asked({ hasAudio: false, durationSeconds: 1.8 }))).toEqual([
      'video lasts 1.666 s instead of 1.800 s',
    ]);
  });

  it('says so when a file has no video stream or no frame decodes', () => {
    expect(outputProblems({ streams: [], frames: [] }, asked())).toEqual(['no video stream']);
    expect(outputProblems(withFrames(webm(), 0, []), asked())).toEqual(['no video frame decodes']);
  });
});

describe('streamExtent', () => {
  it('reads ffmpeg 5 and 6 frame durations alike, and an audio frame from its samples when it has none', () => {
    const stream = { index: 1, codec_type: 'audio', sample_rate: '48000' };
    const frame = (time: number, extra: Partial<ProbedFrame>): ProbedFrame => ({
      stream_index: 1,
      best_effort_timestamp_time: String(time),
      ...extra,
    });
    expect(streamExtent([frame(0, { pkt_duration_time: '0.02' })], stream)?.end).toBeCloseTo(0.02);
    expect(streamExtent([frame(0, { duration_time: '0.02' })], stream)?.end).toBeCloseTo(0.02);
    expect(streamExtent([frame(0, { nb_samples: 960 })], stream)?.end).toBeCloseTo(0.02);
  });
});

describe('expectedPicture', () => {
  it.each([
    ['854×480 is 16:9 within 1%', { width: 854, height: 480 }, { width: 1280, height: 720, exact: true }],
    ['642×642 is square', { width: 642, height: 642 }, { width: 720, height: 720, exact: true }],
    ['320×240 is 4:3', { width: 320, height: 240 }, { width: 960, height: 720, exact: true }],
    [
      '800×640 with 64:45 pixels shows 16:9',
      { width: 800, height: 640, sampleAspectRatio: '64:45' },
      { width: 1280, height: 720, exact: true },
    ],
    [
      '1920×1080 turned −90° is portrait 9:16',
      { width: 1920, height: 1080, rotation: -90 },
      { width: 720, height: 1280, exact: true },
    ],
    [
      '640×360 with 2:1 pixels shows 32:9, no standard',
      { width: 640, height: 360, sampleAspectRatio: '2:1' },
      { width: 2560, height: 720, exact: false },
    ],
    ['1514×694 keeps its aspect', { width: 1514, height: 694 }, { width: 1570, height: 720, exact: false }],
    [
      '720×1080 (2:3) keeps its aspect',
      { width: 720, height: 1080 },
      { width: 720, height: 1080, exact: false },
    ],
  ])('%s', (_name, source, picture) => {
    expect(expectedPicture(source, '720p')).toEqual(picture);
  });
});

describe('askedDurations', () => {
  const segments = [
    { start_time: 1, end_time: 3 },
    { start_time: 5, end_time: 5.5 },
  ];
  it('is one file per clip, the sum for combined, the segment for single', () => {
    expect(askedDurations('clips', segments)).toEqual([2, 0.5]);
    expect(askedDurations('combined', segments)).toEqual([2.5]);
    expect(askedDurations('single', segments.slice(0, 1))).toEqual([2]);
  });
});
