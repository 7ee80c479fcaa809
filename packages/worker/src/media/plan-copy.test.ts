import { describe, expect, it } from 'vitest';
import { parsePacketList } from './keyframes.js';
import type { MediaProbe } from './media-probe.js';
import { testProbe } from './test-probe.js';
import {
  alignSegmentsToKeyframes,
  copyableGopPrefix,
  copyBlockers,
  cutCheckpoints,
  planCutOutput,
} from './plan-copy.js';
import { planExport } from './plan-export.js';

/** How each input of the source is opened: through the allow lists of ffmpeg/source-input.ts. */
const OPEN_SOURCE =
  '-protocol_whitelist file -format_whitelist mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,avi,flv,mpeg -i';

const probe: MediaProbe = testProbe({ width: 1280, height: 720, durationSeconds: 6 });
const target = {
  container: 'mp4' as const,
  videoCodec: 'h264' as const,
  audioCodec: 'aac' as const,
  width: 1280,
  height: 720,
};
/**
 * The frames of a GOP of `length` in x264's decode order with three B-frames and a B-pyramid: the keyframe,
 * then for each mini-GOP its P-frame, its middle B-frame (a reference) and the other two. The last mini-GOP
 * may be shorter.
 */
function pyramidDecodeOrder(gopStart: number, length: number): number[] {
  const order = [gopStart];
  for (let first = gopStart + 1; first < gopStart + length; first += 4) {
    const last = Math.min(first + 3, gopStart + length - 1);
    const bFrames = Array.from({ length: last - first }, (_, offset) => first + offset);
    const middle = bFrames.length === 3 ? [bFrames[1]!, bFrames[0]!, bFrames[2]!] : bFrames;
    order.push(last, ...middle);
  }
  return order;
}

/** A packet list (ffprobe's csv) of frames at 30 fps in this order, keyframes every 2 s. */
const packetList = (frames: readonly number[]) =>
  frames.map((frame) => `${(frame / 30).toFixed(6)},${frame % 60 === 0 ? 'K_' : '__'}`).join('\n');

/** 6 s at 30 fps with a keyframe every 2 s and B-frames as x264 lays them out. */
const index = parsePacketList(packetList([0, 60, 120].flatMap((gop) => pyramidDecodeOrder(gop, 60))));

describe('parsePacketList', () => {
  it('reads times and keyframe flags, sorted into presentation order, and keeps the decode order', () => {
    expect(parsePacketList('0.000000,K_\n0.066667,__\n0.033333,__\n\n2.000000,K_D\n')).toEqual({
      frameTimes: new Float64Array([0, 0.033333, 0.066667, 2]),
      decodeOrderTimes: new Float64Array([0, 0.066667, 0.033333, 2]),
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
    [{ sampleAspectRatio: 1.001 }, /pixels are not square/],
    [{ pixelFormat: 'yuv420p10le' }, /pixel format/],
    [{ fieldOrder: 'tt' }, /interlaced/],
    [{ variableFrameRate: true }, /frame rate varies/],
  ])('refuses %j', (video, reason) => {
    expect(copyBlockers({ ...probe, video: { ...probe.video, ...video } }, target)[0]).toMatch(reason);
  });
});

const h264 = { reencodeAllowed: true };
const vp9 = { reencodeAllowed: false };

/** The H.264 cut of `segments` over the test index; fails the test when there is none. */
function cutsOf(segments: { start_time: number; end_time: number }[]) {
  const aligned = alignSegmentsToKeyframes(segments, index, probe, h264);
  if (typeof aligned === 'string') throw new Error(aligned);
  return aligned.segments;
}

/** A copied piece: it always starts on an IDR keyframe. */
const copy = (start: number, frames: number) => ({ mode: 'copy', start, frames, startsOnIdr: true });

describe('copyableGopPrefix', () => {
  it('ends where the packets from the keyframe show its first frames with none missing, up to the last frame', () => {
    // the GOP at 60: packets 60, 64, 62, 61, 63, 68, 66, 65, 67, ...
    expect([60, 61, 63, 64, 67, 68, 119].map((last) => copyableGopPrefix(index, 60, last))).toEqual([
      1, 1, 1, 5, 5, 9, 60,
    ]);
  });

  it('copies every frame up to the last one when the decode order is the presentation order', () => {
    const inOrder = parsePacketList(packetList(Array.from({ length: 120 }, (_, frame) => frame)));
    expect(copyableGopPrefix(inOrder, 60, 61)).toBe(2);
    expect(copyableGopPrefix(inOrder, 60, 90)).toBe(31);
  });
});

describe('alignSegmentsToKeyframes', () => {
  it('copies segments that run from keyframe to keyframe or to the end, counting their frames', () => {
    expect(
      alignSegmentsToKeyframes(
        [
          { start_time: 0, end_time: 2 },
          { start_time: 4, end_time: 6 },
        ],
        index,
        probe,
        h264,
      ),
    ).toEqual({
      segments: [
        { start: 0, frames: 60, duration: 2, pieces: [copy(0, 60)] },
        { start: 4, frames: 60, duration: 2, pieces: [copy(4, 60)] },
      ],
      copyBoundaries: [0, 2, 4],
    });
  });

  it('starts at the first frame at or after the requested time, as the re-encoding path does', () => {
    const aligned = alignSegmentsToKeyframes([{ start_time: 3.99, end_time: 6 }], index, probe, h264);
    expect(typeof aligned === 'object' && aligned.segments[0]).toMatchObject({
      start: 4,
      pieces: [copy(4, 60)],
    });
    const later = alignSegmentsToKeyframes(
      [
        { start_time: 0, end_time: 2 },
        { start_time: 4.01, end_time: 6 },
      ],
      index,
      probe,
      h264,
    );
    expect(typeof later === 'object' && later.segments[1]!.pieces).toEqual([
      { mode: 'encode', start: expect.closeTo(4 + 1 / 30, 5), frames: 59, startsOnIdr: false },
    ]);
  });

  it('re-encodes the frames before the first whole GOP, and after the copy, which goes on into the last GOP to the end of a mini-GOP', () => {
    const aligned = alignSegmentsToKeyframes([{ start_time: 0.5, end_time: 5.25 }], index, probe, h264);
    // frames 15 to 157: the copy runs from the keyframe at 60 to frame 156, the end of the mini-GOP 153-156
    expect(aligned).toEqual({
      segments: [
        {
          start: 0.5,
          frames: 143,
          duration: 143 / 30,
          pieces: [
            { mode: 'encode', start: 0.5, frames: 45, startsOnIdr: false },
            copy(2, 60 + 37),
            { mode: 'encode', start: 5.233333, frames: 1, startsOnIdr: false },
          ],
        },
      ],
      copyBoundaries: [2, 4],
    });
  });

  it('copies into the last GOP only whole mini-GOPs: a tail ending inside one re-encodes its frames, decoded from the GOP’s keyframe', () => {
    const tailOf = (end_time: number) => {
      const pieces = cutsOf([{ start_time: 2, end_time }])[0]!.pieces;
      return pieces.map((piece) => [piece.mode, piece.frames, piece.startsOnIdr]);
    };
    // frames 60 to 120 + n: the mini-GOPs of the GOP at 120 end on 120, 124, 128, ...
    expect(tailOf(4 + 1 / 30)).toEqual([['copy', 61, true]]);
    expect(tailOf(4 + 2 / 30)).toEqual([
      ['copy', 61, true],
      ['encode', 1, false],
    ]);
    expect(tailOf(4 + 4 / 30)).toEqual([
      ['copy', 61, true],
      ['encode', 3, false],
    ]);
    expect(tailOf(4 + 5 / 30)).toEqual([['copy', 65, true]]);
  });

  it('re-encodes the last GOP’s frames from its IDR when its keyframe is not where a closed GOP has it in decode order', () => {
    // open-GOP style: two frames shown before the keyframe at 120 are decoded after it
    const order = [...pyramidDecodeOrder(0, 60), ...pyramidDecodeOrder(60, 58), 120, 118, 119];
    order.push(...pyramidDecodeOrder(120, 60).slice(1));
    const reordered = parsePacketList(packetList(order));
    expect(copyableGopPrefix(reordered, 120, 150)).toBe(0);
    const aligned = alignSegmentsToKeyframes([{ start_time: 2, end_time: 5 }], reordered, probe, h264);
    expect(typeof aligned === 'object' && aligned.segments[0]!.pieces).toEqual([
      copy(2, 60),
      { mode: 'encode', start: 4, frames: 30, startsOnIdr: true },
    ]);
  });

  it('splits a copied run longer than the longest piece at keyframes (IDR-checked), as evenly as they allow', () => {
    const aligned = alignSegmentsToKeyframes([{ start_time: 0, end_time: 6 }], index, probe, {
      ...h264,
      copyPieceMaxSeconds: 2.5,
    });
    expect(aligned).toEqual({
      segments: [
        {
          start: 0,
          frames: 180,
          duration: 6,
          pieces: [
            copy(0, 60),
            { ...copy(2, 60), continuesCopy: true },
            { ...copy(4, 60), continuesCopy: true },
          ],
        },
      ],
      copyBoundaries: [0, 2, 4],
    });
    const halves = alignSegmentsToKeyframes([{ start_time: 0, end_time: 6 }], index, probe, {
      ...h264,
      copyPieceMaxSeconds: 4,
    });
    expect(typeof halves === 'object' && halves.copyBoundaries).toEqual([0, 4]);
    const whole = alignSegmentsToKeyframes([{ start_time: 0, end_time: 6 }], index, probe, h264);
    expect(typeof whole === 'object' && whole.segments[0]!.pieces).toEqual([copy(0, 180)]);
  });

  it('re-encodes a whole segment that holds no keyframe, and refuses when none does', () => {
    const aligned = alignSegmentsToKeyframes(
      [
        { start_time: 0.5, end_time: 1.5 },
        { start_time: 2, end_time: 4 },
      ],
      index,
      probe,
      h264,
    );
    expect(typeof aligned === 'object' && aligned.segments[0]!.pieces).toEqual([
      { mode: 'encode', start: 0.5, frames: 30, startsOnIdr: false },
    ]);
    expect(alignSegmentsToKeyframes([{ start_time: 0.5, end_time: 1.5 }], index, probe, h264)).toMatch(
      /no segment holds a keyframe to copy from/,
    );
  });

  it('copies from a keyframe inside a segment that holds no whole GOP', () => {
    // frames 15 to 89: the keyframe at 60, its mini-GOPs ending on 60, 64, ..., 88
    expect(cutsOf([{ start_time: 0.5, end_time: 3 }])[0]!.pieces).toEqual([
      { mode: 'encode', start: 0.5, frames: 45, startsOnIdr: false },
      copy(2, 29),
      { mode: 'encode', start: 2.966667, frames: 1, startsOnIdr: false },
    ]);
  });

  it('copies a segment of a codec without reordered frames to wherever it ends, with nothing re-encoded', () => {
    const inOrder = parsePacketList(packetList(Array.from({ length: 180 }, (_, frame) => frame)));
    const aligned = alignSegmentsToKeyframes(
      [
        { start_time: 0, end_time: 0.5 },
        { start_time: 2, end_time: 5.25 },
      ],
      inOrder,
      probe,
      vp9,
    );
    expect(aligned).toEqual({
      segments: [
        { start: 0, frames: 15, duration: 0.5, pieces: [copy(0, 15)] },
        { start: 2, frames: 98, duration: 98 / 30, pieces: [copy(2, 98)] },
      ],
      copyBoundaries: [0, 2, 4],
    });
  });

  it('says which segment starts or ends between keyframes when its frames cannot all be copied', () => {
    expect(alignSegmentsToKeyframes([{ start_time: 0.5, end_time: 2 }], index, probe, vp9)).toMatch(
      /segment 1 starts between keyframes/,
    );
    expect(
      alignSegmentsToKeyframes(
        [
          { start_time: 0, end_time: 2 },
          { start_time: 2, end_time: 5 },
        ],
        index,
        probe,
        vp9,
      ),
    ).toMatch(/segment 2 ends between keyframes/);
  });

  it('refuses a source whose frames are reordered deeper than the re-encoded pieces can match', () => {
    const deep = { ...probe, video: { ...probe.video, hasBFrames: 4 } };
    expect(alignSegmentsToKeyframes([{ start_time: 0.5, end_time: 5 }], index, deep, h264)).toMatch(
      /reorders frames 4 deep/,
    );
  });

  it('counts from the file’s start time', () => {
    const shifted = parsePacketList(
      Array.from(index.frameTimes, (time, frame) => `${time + 1.4},${frame % 60 === 0 ? 'K' : '_'}`).join(
        '\n',
      ),
    );
    const aligned = alignSegmentsToKeyframes(
      [{ start_time: 2, end_time: 4 }],
      shifted,
      { ...probe, startTime: 1.4 },
      h264,
    );
    expect(aligned).toMatchObject({
      segments: [{ start: 2, frames: 60, pieces: [copy(2, 60)] }],
    });
    expect(typeof aligned === 'object' && aligned.copyBoundaries.map((time) => time.toFixed(3))).toEqual([
      '3.400',
      '5.400',
    ]);
  });
});

describe('cutCheckpoints', () => {
  it('does not count the splits of a copied run as joins: the same packets follow in the same order', () => {
    const split = alignSegmentsToKeyframes([{ start_time: 0.5, end_time: 6 }], index, probe, {
      ...h264,
      copyPieceMaxSeconds: 2.5,
    });
    if (typeof split === 'string') throw new Error(split);
    expect(split.segments[0]!.pieces.map((piece) => piece.mode)).toEqual(['encode', 'copy', 'copy']);
    expect(cutCheckpoints(split.segments, 30)).toEqual({
      frames: 165,
      frameRate: 30,
      joins: [1.5],
      copyStarts: [{ fileTime: 1.5, sourceTime: 2 }],
    });
  });

  it('finds the joins and where each copied run starts, in the file and in the source', () => {
    const cuts = cutsOf([
      { start_time: 0.5, end_time: 4 },
      { start_time: 4, end_time: 6 },
    ]);
    expect(cutCheckpoints(cuts, 30)).toEqual({
      frames: 165,
      frameRate: 30,
      joins: [1.5, 3.5],
      copyStarts: [
        { fileTime: 1.5, sourceTime: 2 },
        { fileTime: 3.5, sourceTime: 4 },
      ],
    });
  });
});

describe('planCutOutput', () => {
  const request = {
    export_type: 'combined' as const,
    resolution: '720p' as const,
    format: 'mp4' as const,
    quality_preset: 'medium' as const,
    segment_selections: [],
  };
  const smartCut = () => cutsOf([{ start_time: 0.5, end_time: 5.25 }]);

  it('re-encodes the head and the tail from a quarter frame before them, copies the middle, and encodes the audio beside them, the heaviest steps first', () => {
    const { steps } = planCutOutput({
      probe,
      request,
      sourcePath: '/w/source.mp4',
      workDir: '/w',
      segments: smartCut(),
      audioSeconds: 4.75,
      outputPath: '/w/out.mp4',
      label: 'joined',
    });
    expect(steps.map((step) => [step.label, step.independent ?? false])).toEqual([
      ['joined: encode audio', true],
      ['joined: re-encode part 1 of 3', true],
      ['joined: re-encode part 3 of 3', true],
      ['joined: copy part 2 of 3', true],
      ['joined: join', true],
    ]);
    // the join runs beside other steps, once its pieces and the audio are written
    expect(steps.at(-1)!.needs).toEqual([
      '/w/out.part0.ts',
      '/w/out.part1.ts',
      '/w/out.part2.ts',
      '/w/out.audio.m4a',
    ]);
    const [audio, head, tail, middle] = steps.map((step) => step.args.join(' '));
    expect(audio).toContain(
      `-ss 0.5 -t 5.016667 ${OPEN_SOURCE} /w/source.mp4 -filter_complex [0:a:0]aresample=48000`,
    );
    expect(audio).toMatch(/-c:a aac -b:a \d+ -ar 48000 -ac 2 -map_metadata -1 -f mp4 \/w\/out\.audio\.m4a$/);
    expect(head).toContain(`-ss 0.491667 ${OPEN_SOURCE} /w/source.mp4 -map 0:v:0 -frames:v 45`);
    expect(head).toContain('-c:v libx264');
    expect(head).toContain('-fps_mode passthrough');
    expect(head).toMatch(/-f mpegts \/w\/out\.part0\.ts$/);
    expect(middle).toContain(
      `-ss 2.000001 ${OPEN_SOURCE} /w/source.mp4 -map 0:v:0 -c:v copy -frames:v 97 -bsf:v h264_mp4toannexb`,
    );
    expect(tail).toContain(`-ss 5.225 ${OPEN_SOURCE} /w/source.mp4 -map 0:v:0 -frames:v 1`);
  });

  it('matches the source’s B-frame depth in the re-encoded pieces (x264 ultrafast has none of its own)', () => {
    const x264Params = (hasBFrames: number) => {
      const { steps } = planCutOutput({
        probe: { ...probe, video: { ...probe.video, hasBFrames } },
        request,
        sourcePath: '/w/s.mp4',
        workDir: '/w',
        segments: smartCut(),
        audioSeconds: 4.75,
        outputPath: '/w/out.mp4',
        label: 'x',
      });
      const args = steps[1]!.args;
      expect(args.slice(args.indexOf('-preset'), args.indexOf('-preset') + 2)).toEqual([
        '-preset',
        'ultrafast',
      ]);
      return args[args.indexOf('-x264-params') + 1]!.split(':');
    };
    expect(x264Params(0)).toContain('bframes=0');
    expect(x264Params(1)).toContain('bframes=1');
    expect(x264Params(2)).toEqual(expect.arrayContaining(['bframes=3', 'b-pyramid=normal']));
  });

  it('joins the pieces with their exact durations and the audio, tagging the track avc3, releasing pieces as it goes', () => {
    const { steps, prepared } = planCutOutput({
      probe,
      request,
      sourcePath: '/w/source.mp4',
      workDir: '/w',
      segments: smartCut(),
      audioSeconds: 4.75,
      outputPath: '/w/out.mp4',
      label: 'joined',
    });
    expect(prepared).toEqual([
      {
        path: '/w/out.concat.txt',
        contents:
          "ffconcat version 1.0\nfile '/w/out.part0.ts'\nduration 1.5\nfile '/w/out.part1.ts'\nduration 3.233333\n" +
          "file '/w/out.part2.ts'\nduration 0.033333\n",
      },
    ]);
    const join = steps.at(-1)!.args.join(' ');
    // the list and the pieces are the worker's own files: the concat demuxer reads them, not the source's lists
    expect(join).toContain(
      '-y -f concat -safe 0 -i /w/out.concat.txt -i /w/out.audio.m4a -map 0:v:0 -map 1:a:0 -c copy -tag:v avc3',
    );
    // the pieces, in the order the join reads them
    expect(steps.at(-1)!.releasesInputs).toEqual(['/w/out.part0.ts', '/w/out.part1.ts', '/w/out.part2.ts']);
  });

  it('keeps the avc1 tag when every piece is copied, and copies VP9 in WebM pieces', () => {
    const input = {
      probe,
      request,
      sourcePath: '/w/s.mp4',
      workDir: '/w',
      segments: cutsOf([{ start_time: 2, end_time: 4 }]),
      audioSeconds: 4.75,
      outputPath: '/w/out.mp4',
      label: 'x',
    };
    expect(planCutOutput(input).steps.at(-1)!.args).not.toContain('avc3');
    const webm = planCutOutput({
      ...input,
      probe: { ...probe, video: { ...probe.video, codec: 'vp9' } },
      request: { ...request, format: 'webm' },
      outputPath: '/w/out.webm',
    });
    expect(webm.steps[0]!.outputPath).toBe('/w/out.audio.webm');
    expect(webm.steps[1]!.args.join(' ')).toMatch(
      /-c:v copy -frames:v 60 -an -sn -dn -map_metadata -1 -f webm \/w\/out\.part0\.webm$/,
    );
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

  it('copies when every segment starts on a keyframe and can be copied to its end, and says so', () => {
    const segments = [
      { start_time: 0, end_time: 2 },
      { start_time: 4, end_time: 6 },
    ];
    const plan = planExport({
      ...base,
      request: { ...request, segment_selections: segments },
      keyframeAlignment: alignSegmentsToKeyframes(segments, index, probe, h264),
    });
    expect(plan.strategy).toEqual({
      mode: 'copy',
      reason: expect.stringMatching(
        /every segment starts on a keyframe and its frames up to the end can be copied/,
      ),
    });
    expect(plan.files[0]?.durationSeconds).toBe(4);
    expect(plan.intermediates).toEqual(['/w/out.audio.m4a', '/w/out.part0.ts', '/w/out.part1.ts']);
  });

  it('smart-cuts when cuts fall between keyframes, saying how much is copied', () => {
    const segments = [{ start_time: 0.5, end_time: 5.25 }];
    const plan = planExport({
      ...base,
      request: { ...request, export_type: 'single', segment_selections: segments },
      keyframeAlignment: alignSegmentsToKeyframes(segments, index, probe, h264),
    });
    expect(plan.strategy).toEqual({
      mode: 'smart-cut',
      reason: 'same codec and size: 97 of 143 frames are copied, the 46 around the cuts re-encoded',
    });
    expect(plan.files[0]?.cut).toMatchObject({ frames: 143, joins: [1.5, 142 / 30] });
    expect(plan.files[0]?.durationSeconds).toBeCloseTo(143 / 30, 6);
  });

  it('re-encodes, with the alignment’s reason, when the cut cannot be copied', () => {
    const segments = [{ start_time: 0.5, end_time: 2 }];
    const plan = planExport({
      ...base,
      request: { ...request, export_type: 'single', segment_selections: segments },
      keyframeAlignment: alignSegmentsToKeyframes(segments, index, probe, vp9),
    });
    expect(plan.strategy).toEqual({
      mode: 'reencode',
      reason: expect.stringMatching(/starts between keyframes/),
    });
    expect(plan.files[0]?.cut).toBeUndefined();
  });

  it('re-encodes when the size changes, whatever the keyframes', () => {
    const segments = [{ start_time: 0, end_time: 2 }];
    const plan = planExport({
      ...base,
      request: { ...request, export_type: 'single', resolution: '1080p', segment_selections: segments },
      keyframeAlignment: alignSegmentsToKeyframes(segments, index, probe, h264),
    });
    expect(plan.strategy.mode).toBe('reencode');
    expect(plan.strategy.reason).toMatch(/picture size changes/);
  });
});
