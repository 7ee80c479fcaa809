import { describe, expect, it } from 'vitest';
import {
  audioEncoderArguments,
  gopFrames,
  isUpscaled,
  outputAudioChannels,
  targetDimensions,
  videoEncoderArguments,
} from './encoding.js';
import type { MediaProbe } from './media-probe.js';
import { testProbe } from './test-probe.js';
import { segmentFilterGraph } from './filter-graphs.js';
import { clipFileName, planExport, segmentSpan, type PlanInput } from './plan-export.js';

/** How each input of the source is opened: through the allow lists of ffmpeg/source-input.ts. */
const OPEN_SOURCE =
  '-protocol_whitelist file -format_whitelist mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,avi,flv,mpeg -i';

const probe: MediaProbe = testProbe({
  width: 1920,
  height: 1080,
  durationSeconds: 120,
  videoBitRate: 8_000_000,
});

const input = (
  overrides: Partial<PlanInput['request']> = {},
  probeOverrides: Partial<MediaProbe> = {},
): PlanInput => ({
  probe: { ...probe, ...probeOverrides },
  request: {
    export_type: 'combined',
    resolution: '720p',
    format: 'mp4',
    quality_preset: 'medium',
    segment_selections: [
      { start_time: 5, end_time: 12.5, label: 'Intro' },
      { start_time: 60, end_time: 70 },
    ],
    ...overrides,
  },
  sourcePath: '/work/source.mp4',
  workDir: '/work',
  encoder: 'libx264',
  outputName: 'trip-combined-1a2b3c4d',
});

describe('targetDimensions', () => {
  const square = { sampleAspectRatio: 1, rotation: 0 } as const;
  it.each([
    [{ ...square, width: 1920, height: 1080 }, '720p', { width: 1280, height: 720 }],
    [{ ...square, width: 1920, height: 1080 }, '4k', { width: 3840, height: 2160 }],
    [{ ...square, width: 1920, height: 1080, rotation: 90 }, '1080p', { width: 1080, height: 1920 }],
    [{ ...square, width: 1080, height: 1920 }, '720p', { width: 720, height: 1280 }],
    // a phone's portrait video, stored sideways with a quarter turn to show
    [{ ...square, width: 1920, height: 1080, rotation: 270 }, '720p', { width: 720, height: 1280 }],
    // 854×480 is 16:9 to 0.07%: exactly 16:9 out, not 1282×720
    [{ ...square, width: 854, height: 480 }, '720p', { width: 1280, height: 720 }],
    [{ ...square, width: 854, height: 480 }, '1080p', { width: 1920, height: 1080 }],
    [{ ...square, width: 854, height: 480 }, '4k', { width: 3840, height: 2160 }],
    [{ ...square, width: 480, height: 854 }, '720p', { width: 720, height: 1280 }],
    [{ ...square, width: 1920, height: 1088 }, '1080p', { width: 1920, height: 1080 }],
    [{ ...square, width: 641, height: 479 }, '720p', { width: 960, height: 720 }],
    [{ ...square, width: 640, height: 480 }, '4k', { width: 2880, height: 2160 }],
    [{ ...square, width: 320, height: 240, rotation: 270 }, '1080p', { width: 1080, height: 1440 }],
    [{ ...square, width: 500, height: 502 }, '720p', { width: 720, height: 720 }],
    // non-square pixels: 800×640 at 64:45 is shown 1138×640, 16:9
    [
      { ...square, width: 800, height: 640, sampleAspectRatio: 64 / 45 },
      '720p',
      { width: 1280, height: 720 },
    ],
    // 640×352 at 44:45 is shown 626×352, 16:9 to 0.03%
    [
      { ...square, width: 640, height: 352, sampleAspectRatio: 44 / 45 },
      '720p',
      { width: 1280, height: 720 },
    ],
    // anamorphic HDV: 1440×1080 at 4:3 is shown 1920×1080
    [
      { ...square, width: 1440, height: 1080, sampleAspectRatio: 4 / 3 },
      '1080p',
      { width: 1920, height: 1080 },
    ],
    // 640×360 at 2:1 is shown 1280×360 (32:9, no standard): the short side is 720, the aspect kept
    [{ ...square, width: 640, height: 360, sampleAspectRatio: 2 }, '720p', { width: 2560, height: 720 }],
    [{ ...square, width: 1280, height: 720, sampleAspectRatio: 2 }, '720p', { width: 2560, height: 720 }],
    // the sample aspect ratio stretches the stored width, which is the shown height after a quarter turn
    [{ width: 640, height: 360, sampleAspectRatio: 2, rotation: 90 }, '720p', { width: 720, height: 2560 }],
    // no standard aspect within 1%: kept, with even sides
    [{ ...square, width: 3026, height: 1386 }, '720p', { width: 1572, height: 720 }],
    [{ ...square, width: 1000, height: 1850 }, '1080p', { width: 1080, height: 1998 }],
  ] as const)('%j at %s is %j', (video, resolution, expected) => {
    expect(targetDimensions(video, resolution)).toEqual(expected);
  });
});

describe('isUpscaled', () => {
  const square = { sampleAspectRatio: 1, rotation: 0 } as const;
  it.each([
    [{ ...square, width: 854, height: 480 }, { width: 1280, height: 720 }, true],
    [{ ...square, width: 1920, height: 1080 }, { width: 1280, height: 720 }, false],
    [{ ...square, width: 1920, height: 1080 }, { width: 1920, height: 1080 }, false],
    [{ ...square, width: 1916, height: 1080 }, { width: 1920, height: 1080 }, false],
    [{ ...square, width: 1920, height: 1080 }, { width: 3840, height: 2160 }, true],
    [
      { ...square, width: 1440, height: 1080, sampleAspectRatio: 4 / 3 },
      { width: 1920, height: 1080 },
      false,
    ],
    [{ ...square, width: 640, height: 360, sampleAspectRatio: 2 }, { width: 2560, height: 720 }, true],
  ] as const)('%j to %j: %s', (video, target, expected) => {
    expect(isUpscaled(video, target)).toBe(expected);
  });
});

describe('planExport', () => {
  it('joins combined segments in one ffmpeg run, each input seeked and limited to its segment', () => {
    const plan = planExport(input());
    expect(plan.steps).toHaveLength(1);
    const args = plan.steps[0]!.args;
    expect(args.join(' ')).toContain(
      `-ss 5 -t 7.75 ${OPEN_SOURCE} /work/source.mp4 -ss 60 -t 10.25 ${OPEN_SOURCE} /work/source.mp4`,
    );
    expect(args.join(' ')).toContain('[0:v:0]setpts=PTS-STARTPTS,trim=duration=7.5,scale=1280:720');
    expect(args).toContain('-filter_complex');
    expect(args.at(-1)).toBe('/work/trip-combined-1a2b3c4d.mp4');
    expect(plan.deliverable).toEqual({
      path: '/work/trip-combined-1a2b3c4d.mp4',
      fileName: 'trip-combined-1a2b3c4d.mp4',
      contentType: 'video/mp4',
    });
    expect(plan.totalMediaSeconds).toBe(17.5);
    expect(plan.files[0]).toMatchObject({ durationSeconds: 17.5, width: 1280, height: 720, hasAudio: true });
  });

  it('says why it re-encodes', () => {
    expect(planExport(input()).strategy.reason).toBe('the picture size changes (1920×1080 → 1280×720)');
    expect(planExport(input({ format: 'webm' })).strategy.reason).toBe(
      'the video codec changes (h264 → vp9)',
    );
    expect(planExport(input({ resolution: '1080p' })).strategy.reason).toMatch(/not matched to keyframes/);
  });

  it('scales to the standard size with square pixels and says when that is larger than the source', () => {
    const small = planExport(input({}, { video: { ...probe.video, width: 854, height: 480 } }));
    expect(small.target).toMatchObject({ width: 1280, height: 720 });
    expect(small.upscaled).toBe(true);
    expect(small.steps[0]!.args.join(' ')).toContain('scale=1280:720:flags=bicubic,setsar=1');
    expect(small.files[0]).toMatchObject({ width: 1280, height: 720 });
    const anamorphic = planExport(
      input({}, { video: { ...probe.video, width: 800, height: 640, sampleAspectRatio: 64 / 45 } }),
    );
    expect(anamorphic.steps[0]!.args.join(' ')).toContain('scale=1280:720:flags=bicubic,setsar=1');
    expect(planExport(input()).upscaled).toBe(false);
  });

  it('re-encodes a source whose pixels are not square even when its stored size is the target', () => {
    const segments = [{ start_time: 0, end_time: 4 }];
    const plan = planExport(
      input(
        { resolution: '720p', export_type: 'single', segment_selections: segments },
        { video: { ...probe.video, width: 1280, height: 720, sampleAspectRatio: 1.005 } },
      ),
    );
    expect(plan.target).toMatchObject({ width: 1280, height: 720 });
    expect(plan.strategy).toMatchObject({ mode: 'reencode', reason: expect.stringMatching(/not square/) });
  });

  it('encodes mp4 and mov as H.264/AAC with faststart, webm as VP9/Opus', () => {
    const mp4 = planExport(input()).steps[0]!.args.join(' ');
    expect(mp4).toMatch(/-c:v libx264 .*-crf 23 -maxrate 2500000 -bufsize 5000000/);
    expect(mp4).toContain('-c:a aac -b:a 128000');
    expect(mp4).toContain('-movflags +faststart -f mp4');
    const mov = planExport(input({ format: 'mov' })).steps[0]!.args.join(' ');
    expect(mov).toContain('-f mov');
    const webm = planExport(input({ format: 'webm', quality_preset: 'high' })).steps[0]!.args.join(' ');
    expect(webm).toMatch(/-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -row-mt 1 -crf 24 -b:v 5000000/);
    expect(webm).toContain('-c:a libopus -b:a 192000');
    expect(webm).toContain('-f webm');
  });

  it('leaves audio out for a silent source', () => {
    const args = planExport(input({}, { audio: undefined })).steps[0]!.args;
    expect(args.join(' ')).not.toMatch(/-c:a|\[aout\]|:a:0/);
    expect(args.join(' ')).toContain('concat=n=2:v=1:a=0');
  });

  it('runs one step per clip and packs the clips into a ZIP with readable, unique names', () => {
    const plan = planExport(
      input({
        export_type: 'clips',
        segment_selections: [
          { start_time: 5, end_time: 12, label: 'Intro: Été!' },
          { start_time: 65, end_time: 3725, clip_id: 'c-2' },
          { start_time: 5, end_time: 12, label: 'Intro: Été!' },
        ],
      }),
    );
    expect(plan.steps.map((step) => step.label)).toEqual(['clip 1 of 3', 'clip 2 of 3', 'clip 3 of 3']);
    expect(plan.archive?.entries.map((entry) => entry.name)).toEqual([
      '01-intro-ete-00m05s-00m12s.mp4',
      '02-c-2-01m05s-1h02m05s.mp4',
      '03-intro-ete-00m05s-00m12s.mp4',
    ]);
    expect(plan.deliverable).toMatchObject({
      fileName: 'trip-combined-1a2b3c4d.zip',
      contentType: 'application/zip',
    });
  });

  it('uses the hardware encoder it is given', () => {
    const nvenc = planExport({ ...input(), encoder: 'h264_nvenc' }).steps[0]!.args.join(' ');
    expect(nvenc).toContain('-c:v h264_nvenc');
    const vaapi = planExport({ ...input(), encoder: 'h264_vaapi' }).steps[0]!.args.join(' ');
    expect(vaapi).toMatch(/^-hide_banner -nostdin -y -vaapi_device \/dev\/dri\/renderD128/);
    expect(vaapi).toContain('format=nv12,hwupload[vout]');
    expect(planExport({ ...input({ format: 'webm' }), encoder: 'h264_nvenc' }).steps[0]!.args).toContain(
      'libvpx-vp9',
    );
  });

  it('starts at 0 and ends at the very end of the video as asked', () => {
    const args = planExport(
      input({ export_type: 'single', segment_selections: [{ start_time: 0, end_time: 120 }] }),
    ).steps[0]!.args;
    expect(args.join(' ')).toContain(`-ss 0 -t 120.25 ${OPEN_SOURCE} /work/source.mp4`);
    expect(args.join(' ')).toContain('trim=duration=120,');
  });
});

describe('segmentSpan', () => {
  const video = { frameRate: 30, startTime: 0, variableFrameRate: false };

  it.each([
    [
      { start_time: 0.5, end_time: 2.55 },
      { offset: 0, duration: 62 / 30 },
    ],
    [
      { start_time: 0.51, end_time: 1.51 },
      { offset: 16 / 30 - 0.51, duration: 30 / 30 },
    ],
    [
      { start_time: 1, end_time: 1.001 },
      { offset: 0, duration: 1 / 30 },
    ],
  ])('covers the frames of %j', (segment, expected) => {
    const span = segmentSpan(segment, video);
    expect(span.offset).toBeCloseTo(expected.offset, 9);
    expect(span.duration).toBeCloseTo(expected.duration, 9);
  });

  it('counts from the stream’s first timestamp', () => {
    expect(segmentSpan({ start_time: 1, end_time: 2 }, { ...video, startTime: 0.02 }).offset).toBeCloseTo(
      0.02,
      9,
    );
  });

  it('keeps the requested times for a variable frame rate', () => {
    const span = segmentSpan({ start_time: 0.51, end_time: 2.55 }, { ...video, variableFrameRate: true });
    expect(span.offset).toBe(0);
    expect(span.duration).toBeCloseTo(2.04, 9);
  });
});

describe('segmentFilterGraph', () => {
  it('cuts each segment’s audio to its video span and fades the joins', () => {
    const spans = [
      { offset: 0.02, duration: 2.5 },
      { offset: 0, duration: 4 },
    ];
    const { graph } = segmentFilterGraph(spans, { width: 1280, height: 720, audioChannels: 2 });
    expect(graph).toContain('[0:v:0]setpts=PTS-STARTPTS,trim=duration=2.5,scale=1280:720');
    expect(graph).toContain(
      'atrim=start=0.02:duration=2.5,asetpts=PTS-STARTPTS,apad=whole_dur=2.5,afade=t=in:d=0.005,afade=t=out:st=2.495:d=0.005[a0]',
    );
    expect(graph).toContain('[v0][a0][v1][a1]concat=n=2:v=1:a=1[vjoined][aout]');
  });

  it('skips the join for a single segment', () => {
    const { graph } = segmentFilterGraph([{ offset: 0, duration: 3 }], {
      width: 2,
      height: 2,
      audioChannels: undefined,
    });
    expect(graph).not.toContain('concat');
  });
});

describe('audio channels', () => {
  it('keeps a mono source mono and mixes anything wider to stereo', () => {
    expect(outputAudioChannels(1)).toBe(1);
    expect(outputAudioChannels(2)).toBe(2);
    expect(outputAudioChannels(6)).toBe(2);
    const { graph } = segmentFilterGraph([{ offset: 0, duration: 3 }], {
      width: 2,
      height: 2,
      audioChannels: 1,
    });
    expect(graph).toContain('channel_layouts=mono');
    expect(audioEncoderArguments('webm', 'high', 1).join(' ')).toContain('-c:a libopus');
    expect(audioEncoderArguments('mp4', 'high', 1).join(' ')).toContain('-ac 1');
  });
});

describe('clipFileName', () => {
  it('falls back to "clip" without a label and keeps names unique', () => {
    const taken = new Set<string>();
    expect(clipFileName(0, { start_time: 0, end_time: 1 }, 'webm', taken)).toBe('01-clip-00m00s-00m01s.webm');
    expect(clipFileName(0, { start_time: 0, end_time: 1 }, 'webm', taken)).toBe(
      '01-clip-00m00s-00m01s-2.webm',
    );
    expect(clipFileName(1, { start_time: 0, end_time: 1, label: '../../etc/passwd' }, 'mp4', taken)).toBe(
      '02-etc-passwd-00m00s-00m01s.mp4',
    );
  });
});

describe('encoder settings', () => {
  it('uses a two-second keyframe interval', () => {
    expect(gopFrames(29.97)).toBe(60);
    expect(
      videoEncoderArguments({
        format: 'mp4',
        quality: 'low',
        resolution: '4k',
        encoder: 'libx264',
        frameRate: 25,
      }).join(' '),
    ).toContain('-crf 28 -maxrate 6000000 -bufsize 12000000 -profile:v high -g 50');
  });
});
