import { describe, expect, it } from 'vitest';
import { parsePacketList } from './keyframes.js';
import type { MediaProbe } from './media-probe.js';
import { testProbe } from './test-probe.js';
import { alignSegmentsToKeyframes, copyBlockers, planCopyOutput } from './plan-copy.js';
import { planExport } from './plan-export.js';

const probe: MediaProbe = testProbe({ width: 1280, height: 720, durationSeconds: 6 });
const target = {
  container: 'mp4' as const,
  videoCodec: 'h264' as const,
  audioCodec: 'aac' as const,
  width: 1280,
  height: 720,
};
/** 6 s at 30 fps with a keyframe every 2 s. */
const index = parsePacketList(
  Array.from(
    { length: 180 },
    (_, frame) => `${(frame / 30).toFixed(6)},${frame % 60 === 0 ? 'K_' : '__'}`,
  ).join('\n'),
);

describe('parsePacketList', () => {
  it('reads times and keyframe flags, sorted into presentation order', () => {
    expect(parsePacketList('0.066667,__\n0.000000,K_\n0.033333,__\n\n2.000000,K_D\n')).toEqual({
      frameTimes: [0, 0.033333, 0.066667, 2],
      keyframeTimes: [0, 2],
    });
  });
});

describe('copyBlockers', () => {
  it('allows a copy when codec, size and pixel format match', () => {
    expect(copyBlockers(probe, target)).toEqual([]);
  });

  it.each([
    [{ codec: 'hevc' }, /video codec changes/],
    [{ width: 1920, height: 1080 }, /picture size changes/],
    [{ rotation: 90 as const }, /rotation/],
    [{ pixelFormat: 'yuv420p10le' }, /pixel format/],
    [{ fieldOrder: 'tt' }, /interlaced/],
    [{ variableFrameRate: true }, /frame rate varies/],
  ])('refuses %j', (video, reason) => {
    expect(copyBlockers({ ...probe, video: { ...probe.video, ...video } }, target)[0]).toMatch(reason);
  });
});

describe('alignSegmentsToKeyframes', () => {
  it('accepts segments from keyframe to keyframe or to the end, counting their frames', () => {
    expect(
      alignSegmentsToKeyframes(
        [
          { start_time: 0, end_time: 2 },
          { start_time: 4.01, end_time: 6 },
        ],
        index,
        probe,
      ),
    ).toEqual([
      { start: 0, frames: 60, duration: 2 },
      { start: 4, frames: 60, duration: 2 },
    ]);
  });

  it('says which segment starts or ends between keyframes', () => {
    expect(alignSegmentsToKeyframes([{ start_time: 0.5, end_time: 2 }], index, probe)).toMatch(
      /segment 1 starts between keyframes/,
    );
    expect(
      alignSegmentsToKeyframes(
        [
          { start_time: 0, end_time: 2 },
          { start_time: 2, end_time: 3 },
        ],
        index,
        probe,
      ),
    ).toMatch(/segment 2 ends between keyframes/);
  });

  it('counts from the file’s start time', () => {
    const shifted = parsePacketList(
      index.frameTimes.map((time, frame) => `${time + 1.4},${frame % 60 === 0 ? 'K' : '_'}`).join('\n'),
    );
    expect(
      alignSegmentsToKeyframes([{ start_time: 2, end_time: 4 }], shifted, { ...probe, startTime: 1.4 }),
    ).toEqual([{ start: 2, frames: 60, duration: 2 }]);
  });
});

describe('planCopyOutput', () => {
  it('copies each part by packet count from just past its keyframe, then joins and encodes the audio once', () => {
    const { steps, prepared } = planCopyOutput({
      probe,
      request: {
        export_type: 'combined',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'medium',
        segment_selections: [],
      },
      sourcePath: '/w/source.mp4',
      workDir: '/w',
      segments: [
        { start: 0, frames: 60, duration: 2 },
        { start: 4, frames: 60, duration: 2 },
      ],
      outputPath: '/w/out.mp4',
      label: 'joined',
    });
    expect(steps).toHaveLength(3);
    expect(steps[1]!.args.join(' ')).toContain(
      '-ss 4.000001 -i /w/source.mp4 -map 0:v:0 -c:v copy -frames:v 60 -an',
    );
    expect(prepared).toEqual([
      {
        path: '/w/out.concat.txt',
        contents: "ffconcat version 1.0\nfile '/w/out.part0.mp4'\nfile '/w/out.part1.mp4'\n",
      },
    ]);
    const join = steps[2]!.args.join(' ');
    expect(join).toContain(
      '-f concat -safe 0 -i /w/out.concat.txt -ss 0 -t 2.25 -i /w/source.mp4 -ss 4 -t 2.25 -i /w/source.mp4',
    );
    expect(join).toContain('[1:a:0]aresample');
    expect(join).toContain('-map 0:v:0 -c:v copy -map [aout] -c:a aac');
    expect(steps[2]!.mediaSeconds).toBe(4);
  });
});

describe('planExport with keyframe alignment', () => {
  const request = {
    export_type: 'combined' as const,
    resolution: '720p' as const,
    format: 'mp4' as const,
    quality_preset: 'low' as const,
  };
  const base = {
    probe,
    sourcePath: '/w/s.mp4',
    workDir: '/w',
    encoder: 'libx264' as const,
    outputName: 'out',
  };

  it('copies when nothing forces a re-encode, and says so', () => {
    const segments = [
      { start_time: 0, end_time: 2 },
      { start_time: 4, end_time: 6 },
    ];
    const plan = planExport({
      ...base,
      request: { ...request, segment_selections: segments },
      keyframeAlignment: alignSegmentsToKeyframes(segments, index, probe),
    });
    expect(plan.strategy).toEqual({
      mode: 'copy',
      reason: expect.stringMatching(/every cut is on a keyframe/),
    });
    expect(plan.files[0]?.durationSeconds).toBe(4);
  });

  it('re-encodes, with the alignment’s reason, when a cut is between keyframes', () => {
    const segments = [{ start_time: 0.5, end_time: 2 }];
    const plan = planExport({
      ...base,
      request: { ...request, export_type: 'single', segment_selections: segments },
      keyframeAlignment: alignSegmentsToKeyframes(segments, index, probe),
    });
    expect(plan.strategy).toEqual({
      mode: 'reencode',
      reason: expect.stringMatching(/starts between keyframes/),
    });
  });

  it('re-encodes when the size changes, whatever the keyframes', () => {
    const segments = [{ start_time: 0, end_time: 2 }];
    const plan = planExport({
      ...base,
      request: { ...request, export_type: 'single', resolution: '1080p', segment_selections: segments },
      keyframeAlignment: alignSegmentsToKeyframes(segments, index, probe),
    });
    expect(plan.strategy.mode).toBe('reencode');
    expect(plan.strategy.reason).toMatch(/picture size changes/);
  });
});
