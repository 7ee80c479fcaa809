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
import { audioDurations, segmentFilterGraph } from './filter-graphs.js';
import {
  clipFileName,
  inputReadSeconds,
  planExport,
  segmentSpan,
  variableRateSpan,
  type PlanInput,
} from './plan-export.js';
import { seeksByDecoding } from './seeking.js';

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
    expect(args.join(' ')).toContain(
      "[0:v:0]setpts='if(eq(N,0),0,PTS-0/TB)',trim=end=7.5,tpad=stop_mode=clone:stop_duration=7.5,setpts='if(gte(T,7.5),PREV_OUTPTS+1/(30.000000*TB),PTS)',fps=30.000000,trim=end=7.5,scale=1280:720",
    );
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
    expect(args.join(' ')).toContain('[v0][v1]concat=n=2:v=1:a=0[vout]');
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
  it('counts frames before the stream’s first timestamp too, where the first picture is held', () => {
    // androidx--mp4-edit_list_positive_shift.mp4: the video starts 1 s into the file
    const video = { frameRate: 30, startTime: 1, variableFrameRate: false };
    expect(segmentSpan({ start_time: 0, end_time: 4 }, video)).toEqual({ offset: 0, duration: 4 });
  });

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
  const stereo = { channels: 2 as const, seconds: 6.5, frameSamples: 1024 as const };

  it('cuts each segment’s audio to its video span, fades the joins and ends the audio where asked', () => {
    const spans = [
      { offset: 0.02, duration: 2.5 },
      { offset: 0, duration: 4 },
    ];
    const { graph } = segmentFilterGraph(spans, { width: 1280, height: 720, audio: stereo });
    expect(graph).toContain(
      'atrim=start=0.02:duration=2.5,asetpts=PTS-STARTPTS,apad=whole_dur=2.5,afade=t=in:d=0.005,afade=t=out:st=2.495:d=0.005[a0]',
    );
    expect(graph).toContain('[a0][a1]concat=n=2:v=0:a=1,atrim=duration=6.5,asetnsamples=n=1024:p=0[aout]');
  });

  it('joins a constant rate’s segments on the fps filter’s grid with the concat filter', () => {
    const spans = [
      { offset: 0, duration: 2.5 },
      { offset: 0, duration: 4 },
    ];
    const { graph } = segmentFilterGraph(spans, {
      width: 1280,
      height: 720,
      audio: undefined,
      constantFrameRate: 30,
    });
    expect(graph).toContain('fps=30.000000,trim=end=4,scale=');
    expect(graph).toContain('[v0][v1]concat=n=2:v=1:a=0[vout]');
  });

  it('keeps a variable rate’s timestamps in one segment and puts its segments on the nominal rate’s grid to join them', () => {
    const { graph: single } = segmentFilterGraph([{ offset: 0, duration: 2.5 }], {
      width: 2,
      height: 2,
      audio: undefined,
      holdFrameRate: 30,
    });
    expect(single).not.toContain('fps=');
    const { graph: joined } = segmentFilterGraph(
      [
        { offset: 0, duration: 2.5 },
        { offset: 0, duration: 4 },
      ],
      { width: 2, height: 2, audio: undefined, holdFrameRate: 30 },
    );
    expect(joined).toContain('fps=30.000000,trim=end=4,scale=');
    expect(joined).toContain('[v0][v1]concat=n=2:v=1:a=0[vout]');
  });

  it('cuts the segment out of an input read from the file’s start, for containers that cannot seek', () => {
    const { graph } = segmentFilterGraph([{ offset: 0.01, duration: 2 }], {
      width: 2,
      height: 2,
      audio: { ...stereo, seconds: 2 },
      skips: [7.5],
    });
    expect(graph).toContain("[0:v:0]trim=start=7.5,setpts='if(eq(N,0),0,PTS-7.51/TB)'");
    expect(graph).toContain('[0:a:0]asetpts=N/SR/TB,atrim=start=7.5,asetpts=PTS-7.5/TB,aresample=');
  });

  it('shows the first picture from the segment’s start and the last until its end', () => {
    const { graph } = segmentFilterGraph([{ offset: 0.02, duration: 2.5 }], {
      width: 1280,
      height: 720,
      audio: undefined,
    });
    expect(graph).toContain(
      "[0:v:0]setpts='if(eq(N,0),0,PTS-0.02/TB)',trim=end=2.5,tpad=stop_mode=clone:stop_duration=2.5,setpts='if(gte(T,2.5),PREV_OUTPTS+1/(30.000000*TB),PTS)',trim=end=2.483333,scale=1280:720",
    );
  });

  it('fills audio that starts late or has holes with silence', () => {
    const { graph } = segmentFilterGraph([{ offset: 0, duration: 3 }], {
      width: 2,
      height: 2,
      audio: { ...stereo, seconds: 3 },
    });
    expect(graph).toContain('[0:a:0]aresample=48000:async=1:min_hard_comp=0.02:first_pts=0,');
  });

  it('skips the join for a single segment', () => {
    const { graph } = segmentFilterGraph([{ offset: 0, duration: 3 }], {
      width: 2,
      height: 2,
      audio: undefined,
    });
    expect(graph).not.toContain('concat');
  });
});

describe('audioDurations', () => {
  it('keeps every join’s audio as long as its video and ends the last segment’s audio where asked', () => {
    // 12.5 fps: 0.26 s asked holds 4 frames (0.32 s) of video
    expect(audioDurations([{ offset: 0, duration: 0.32 }], 0.26)).toEqual([0.26]);
    const joined = audioDurations(
      [
        { offset: 0, duration: 0.32 },
        { offset: 0.04, duration: 0.24 },
      ],
      0.52,
    );
    expect(joined[0]).toBe(0.32);
    expect(joined[1]).toBeCloseTo(0.2, 9);
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
      audio: { channels: 1, seconds: 3, frameSamples: 960 },
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

describe('inputReadSeconds', () => {
  it('reads the span and a margin, and on to the first picture when it comes later', () => {
    expect(inputReadSeconds({ start_time: 5 }, { offset: 0.02, duration: 2 }, 0)).toBeCloseTo(2.27, 9);
    // mediabunny--no-initial-keyframe.ts: nothing decodes before 2.14 s
    expect(inputReadSeconds({ start_time: 0.34 }, { offset: 0, duration: 0.66 }, 2.14)).toBeCloseTo(2.05, 9);
  });
});

describe('seeksByDecoding', () => {
  it('reads AVI and FLV from the start, seeks in every other container', () => {
    expect(seeksByDecoding('avi')).toBe(true);
    expect(seeksByDecoding('flv')).toBe(true);
    expect(seeksByDecoding('mov,mp4,m4a,3gp,3g2,mj2')).toBe(false);
    expect(seeksByDecoding('matroska,webm')).toBe(false);
  });

  it('plans an AVI export without -ss, cutting in the filters', () => {
    const probe = { ...testProbe({ width: 1280, height: 720, durationSeconds: 60 }), formatName: 'avi' };
    const plan = planExport({
      probe,
      request: {
        export_type: 'single',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'medium',
        segment_selections: [{ start_time: 10, end_time: 12 }],
      },
      sourcePath: '/w/s.avi',
      workDir: '/w',
      encoder: 'libx264',
      outputName: 'out',
    });
    const args = plan.steps[0]!.args;
    expect(args).not.toContain('-ss');
    expect(args.join(' ')).toContain('-t 12.25');
    expect(plan.strategy.reason).toContain('AVI');
  });
});

describe('copying a source whose video does not cover the segment', () => {
  it('re-encodes, holding the picture, when the video ends before the asked end', () => {
    // androidx--mp4-sample_portrait.mp4: 1.001 s of video in a 1.088 s file
    const probe = testProbe({ width: 1280, height: 720, durationSeconds: 1.088 });
    const request = {
      export_type: 'single' as const,
      resolution: '720p' as const,
      format: 'mp4' as const,
      quality_preset: 'medium' as const,
      segment_selections: [{ start_time: 0, end_time: 1.088 }],
    };
    const cut = (frames: number) => ({
      start: 0,
      frames,
      duration: frames / 30,
      pieces: [{ mode: 'copy' as const, start: 0, frames, startsOnIdr: true }],
    });
    const plan = (frames: number) =>
      planExport({
        probe,
        request,
        sourcePath: '/w/s.mp4',
        workDir: '/w',
        encoder: 'libx264',
        outputName: 'out',
        keyframeAlignment: { segments: [cut(frames)], copyBoundaries: [0] },
      }).strategy;
    expect(plan(33).mode).toBe('copy');
    expect(plan(30)).toEqual({
      mode: 'reencode',
      reason: "the source's video does not cover all of segment 1, so its picture is held where it has none",
    });
  });
});

describe('variableRateSpan', () => {
  // generated--screen-gaps.mp4: bursts of frames with seconds between them
  const frames = Float64Array.from([0, 0.033, 0.3, 1.733, 1.766]);

  it('starts a segment that begins in a gap with the picture on screen then, the frame before it', () => {
    const span = variableRateSpan({ start_time: 0.758, end_time: 2.216 }, frames);
    expect(span.offset).toBeCloseTo(-0.458, 9);
    expect(span.duration).toBeCloseTo(1.458, 9);
  });

  it('starts on a frame that falls at the start, and keeps the requested times without frame times', () => {
    expect(variableRateSpan({ start_time: 0.3, end_time: 1 }, frames).offset).toBe(0);
    expect(variableRateSpan({ start_time: 0.758, end_time: 2 }, undefined)).toEqual({
      offset: 0,
      duration: 1.242,
    });
  });

  it('seeks just before the earlier picture and shifts video and audio from there', () => {
    const probe = {
      ...testProbe({ width: 1280, height: 720, durationSeconds: 6 }),
      video: {
        ...testProbe({ width: 1280, height: 720, durationSeconds: 6 }).video,
        variableFrameRate: true,
      },
    };
    const plan = planExport({
      probe,
      request: {
        export_type: 'single',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'medium',
        segment_selections: [{ start_time: 0.758, end_time: 2.216 }],
      },
      sourcePath: '/w/s.mp4',
      workDir: '/w',
      encoder: 'libx264',
      outputName: 'out',
      frameTimes: frames,
    });
    const args = plan.steps[0]!.args.join(' ');
    expect(args).toContain('-ss 0.2995 ');
    expect(args).toContain("setpts='if(eq(N,0),0,PTS-0.4585/TB)'");
    expect(args).toContain('atrim=start=0.4585:duration=1.458');
  });
});

describe('framing and loudness', () => {
  const request = {
    export_type: 'single' as const,
    resolution: '1080p' as const,
    format: 'mp4' as const,
    quality_preset: 'medium' as const,
    segment_selections: [{ start_time: 0, end_time: 4 }],
  };
  const planFor = (extra: object, keyframeAlignment?: PlanInput['keyframeAlignment']) =>
    planExport({
      probe: testProbe({ width: 1920, height: 1080, durationSeconds: 10 }),
      request: { ...request, ...extra },
      sourcePath: '/w/s.mp4',
      workDir: '/w',
      encoder: 'libx264',
      outputName: 'out',
      keyframeAlignment,
    });

  it('reframes a landscape source to portrait 1080×1920 by a centre crop, or with bars', () => {
    const cropped = planFor({ framing: '9:16' });
    expect(cropped.target).toMatchObject({ width: 1080, height: 1920 });
    expect(cropped.upscaled).toBe(true); // 1080 rows of picture fill 1920
    expect(cropped.steps[0]!.args.join(' ')).toContain(
      'scale=1080:1920:force_original_aspect_ratio=increase:flags=bicubic,crop=1080:1920,setsar=1',
    );
    const padded = planFor({ framing: '9:16', framing_fit: 'pad' });
    expect(padded.upscaled).toBe(false);
    expect(padded.steps[0]!.args.join(' ')).toContain('pad=1080:1920:(ow-iw)/2:(oh-ih)/2,setsar=1');
    expect(planFor({ framing: '1:1' }).target).toMatchObject({ width: 1080, height: 1080 });
  });

  it('never copies a reframed picture, and keeps the source’s shape by default', () => {
    const cut = {
      start: 0,
      frames: 120,
      duration: 4,
      pieces: [{ mode: 'copy' as const, start: 0, frames: 120, startsOnIdr: true }],
    };
    const alignment = { segments: [cut], copyBoundaries: [0] };
    expect(planFor({}, alignment).strategy.mode).toBe('copy');
    expect(planFor({ framing: '16:9' }, alignment).strategy).toEqual({
      mode: 'reencode',
      reason: 'the picture is reframed to 16:9 (crop)',
    });
  });

  it('normalises loudness to the asked target after the join, back at 48 kHz', () => {
    const args = planFor({ loudness_lufs: -14 }).steps[0]!.args.join(' ');
    expect(args).toContain('loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000,atrim=duration=4');
    expect(planFor({}).steps[0]!.args.join(' ')).not.toContain('loudnorm');
  });
});
