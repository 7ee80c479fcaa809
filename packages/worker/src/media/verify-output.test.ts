import { describe, expect, it } from 'vitest';
import type { PlannedFile } from './plan-export.js';
import { parseStreamExtents } from './stream-extents.js';
import { testProbe } from './test-probe.js';
import { outputMismatches } from './verify-output.js';

const planned: PlannedFile = {
  path: '/w/out.mp4',
  name: 'out.mp4',
  durationSeconds: 4,
  audioSeconds: 4,
  width: 1280,
  height: 720,
  hasAudio: true,
};
const expected = { videoCodec: 'h264', audioCodec: 'aac', frameRate: 30 };
// what the container says: as long as its longest stream
const produced = testProbe({ width: 1280, height: 720, durationSeconds: 4 });

describe('outputMismatches', () => {
  it('passes a file whose streams both last what was asked and start together', () => {
    const extents = { video: { start: 0, end: 4 }, audio: { start: 0, end: 4.015 } };
    expect(outputMismatches(produced, extents, planned, expected)).toEqual([]);
  });

  it('refuses a file whose video stops early though the container (the audio) lasts what was asked', () => {
    // the combined export of a TS with unflagged keyframes: 2.52 s of video, 5.52 s of audio
    const extents = { video: { start: 0, end: 2.52 }, audio: { start: 0, end: 4 } };
    expect(outputMismatches(produced, extents, planned, expected)).toEqual([
      'video lasts 2.520 s instead of 4.000 s',
    ]);
  });

  it('refuses audio more than one audio frame long, and streams that start apart', () => {
    const extents = { video: { start: 0, end: 4 }, audio: { start: 0.1, end: 4.1 } };
    expect(outputMismatches(produced, extents, planned, expected)).toEqual([
      'audio starts 0.100 s, video 0.000 s: more than a frame apart',
    ]);
    const long = { video: { start: 0, end: 4 }, audio: { start: 0, end: 4.06 } };
    expect(outputMismatches(produced, long, planned, expected)).toEqual([
      'audio lasts 4.060 s instead of 4.000 s',
    ]);
  });
});

describe('parseStreamExtents', () => {
  it('reads each stream’s first shown and last packet, leaving out an encoder’s priming before zero', () => {
    const csv = [
      'packet,0,0.000000,0.040000',
      'packet,1,-0.023220,0.023220,side_data,',
      'packet,0,0.960000,0.040000',
      'packet,1,0.998458,0.022540',
      'stream,0,video',
      'stream,1,audio',
    ].join('\n');
    const { video, audio } = parseStreamExtents(csv);
    expect(video).toEqual({ start: 0, end: 1 });
    expect(audio!.start).toBe(0);
    expect(audio!.end).toBeCloseTo(1.020998, 6);
  });

  it('has no audio extent for a file without audio', () => {
    expect(parseStreamExtents('packet,0,0,0.04\nstream,0,video').audio).toBeUndefined();
  });
});
