import { describe, expect, it } from 'vitest';
import type { ExportSegmentInput } from '@vexport/sdk';
import { videoEncoderArguments, type H264Encoder } from './encoding.js';
import { pictureFilters } from './filter-graphs.js';
import type { MediaProbe } from './media-probe.js';
import { planChunkSteps, type ChunkedPlan, type ChunkStepsInput } from './plan-chunk-steps.js';
import { planChunks } from './plan-chunks.js';
import { askedSeconds, planExport, segmentSpan, type ExportRequest } from './plan-export.js';
import { testProbe } from './test-probe.js';

/** How each input of the source is opened: through the allow lists of ffmpeg/source-input.ts. */
const OPEN_SOURCE =
  '-protocol_whitelist file -format_whitelist mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,avi,flv,mpeg -i';

const FPS = 30;
const probe: MediaProbe = testProbe({ width: 1920, height: 1080, durationSeconds: 120 });
/** Keyframes every 2 s. */
const keyframeTimes = Array.from({ length: 60 }, (_value, index) => index * 2);
/** The first segment starts between keyframes, the second on one. */
const SEGMENTS: ExportSegmentInput[] = [
  { start_time: 5, end_time: 47.5 },
  { start_time: 60, end_time: 100 },
];

function chunkPlan(segments: readonly ExportSegmentInput[], sourceProbe: MediaProbe): ChunkedPlan {
  const plan = planChunks({
    source: { keyframeTimes, frameRate: FPS },
    spans: segments.map((segment) => {
      const span = segmentSpan(segment, sourceProbe.video);
      return { start: segment.start_time + span.offset, duration: span.duration };
    }),
    workers: 2,
    mode: 'reencode',
    audioSeconds: sourceProbe.audio ? askedSeconds(segments) : undefined,
  });
  if (!plan.chunked) throw new Error(plan.reason);
  return plan;
}

function input(
  requestOverrides: Partial<ExportRequest> = {},
  { encoder = 'libx264', sourceProbe = probe }: { encoder?: H264Encoder; sourceProbe?: MediaProbe } = {},
): ChunkStepsInput {
  const request: ExportRequest = {
    export_type: 'combined',
    resolution: '720p',
    format: 'mp4',
    quality_preset: 'medium',
    segment_selections: SEGMENTS,
    ...requestOverrides,
  };
  return {
    plan: chunkPlan(request.segment_selections, sourceProbe),
    probe: sourceProbe,
    request,
    encoder,
    sourcePath: '/work/source.mp4',
    outputPath: '/work/trip.mp4',
    label: '2 segments joined',
  };
}

/** The value after `flag` in `args`. */
const valueOf = (args: readonly string[], flag: string) => args[args.indexOf(flag) + 1];

/** True when `args` holds `run`, in order and together. */
const holds = (args: readonly string[], run: readonly string[]) =>
  args.some((_arg, at) => run.every((value, offset) => args[at + offset] === value));

describe('planChunkSteps', () => {
  const planned = planChunkSteps(input());
  const chunkSteps = planned.steps.filter((step) => step.label.includes('encode chunk'));

  it('writes each chunk the planner gave into a file of its own beside the output', () => {
    expect(planned.chunkPaths).toEqual([
      '/work/trip.chunk000.ts',
      '/work/trip.chunk001.ts',
      '/work/trip.chunk002.ts',
      '/work/trip.chunk003.ts',
    ]);
    expect(chunkSteps.map((step) => step.outputPath)).toEqual(planned.chunkPaths);
  });

  // chunk, where the input seeks (its keyframe, or a quarter frame before a segment's first frame, which
  // lands on the keyframe before it), what the filters drop from there, its frames, its source seconds
  it.each([
    [0, '4.991667', 'PTS-0.008333/TB', '630', 'trim=end=21,'],
    [1, '26', 'PTS-0/TB', '645', 'trim=end=21.5,'],
    [2, '60', 'PTS-0/TB', '600', 'trim=end=20,'],
    [3, '80', 'PTS-0/TB', '600', 'trim=end=20,'],
  ])(
    'chunk %i seeks to %s, cuts from there and writes exactly its frames',
    (index, seek, setpts, frames, trim) => {
      const { args } = chunkSteps[index]!;
      expect(valueOf(args, '-ss')).toBe(seek);
      expect(valueOf(args, '-filter_complex')).toContain(setpts);
      expect(valueOf(args, '-filter_complex')).toContain(trim);
      expect(valueOf(args, '-frames:v')).toBe(frames);
      expect(args.join(' ')).toContain(`${OPEN_SOURCE} /work/source.mp4`);
    },
  );

  it.each([
    ['mp4', 'libx264', 'mpegts'],
    ['mov', 'libx264', 'mpegts'],
    ['mp4', 'h264_nvenc', 'mpegts'],
    ['webm', 'libx264', 'webm'],
  ] as const)(
    '%s with %s: every chunk has the single-worker encode’s encoder arguments, starts with an IDR picture in a closed GOP and is written as %s',
    (format, encoder, container) => {
      const chunked = input({ format }, { encoder });
      const { steps } = planChunkSteps(chunked);
      const single = planExport({ ...chunked, workDir: '/work', outputName: 'trip' }).steps[0]!;
      const encoding = videoEncoderArguments({
        format,
        quality: 'medium',
        resolution: '720p',
        encoder,
        frameRate: FPS,
      });
      expect(holds(single.args, encoding)).toBe(true);
      for (const step of steps.filter((each) => each.label.includes('encode chunk'))) {
        expect(holds(step.args, encoding)).toBe(true);
        expect(holds(step.args, ['-force_key_frames', 'expr:eq(n,0)'])).toBe(true);
        expect(holds(step.args, ['-flags', '+cgop'])).toBe(true);
        expect(holds(step.args, ['-fps_mode', valueOf(single.args, '-fps_mode')!])).toBe(true);
        expect(step.args.slice(-3)).toEqual(['-f', container, step.outputPath]);
      }
    },
  );

  it.each([
    [{}, pictureFilters(1280, 720, undefined)],
    [{ framing: '9:16', framing_fit: 'pad' } as const, pictureFilters(720, 1280, 'pad')],
    [{ framing: '1:1' } as const, pictureFilters(720, 720, 'crop')],
  ])('scales and frames like the single-worker encode (%o)', (framing, filters) => {
    const chunked = input(framing);
    const single = planExport({ ...chunked, workDir: '/work', outputName: 'trip' }).steps[0]!;
    expect(valueOf(single.args, '-filter_complex')).toContain(filters);
    for (const step of planChunkSteps(chunked).steps.filter((each) => each.label.includes('encode chunk'))) {
      const graph = valueOf(step.args, '-filter_complex');
      expect(graph).toContain('fps=30.000000,trim=end=');
      expect(graph).toContain(`,${filters}[v0]`);
    }
  });

  it('encodes the audio once, over the segments’ spans, to the asked length', () => {
    const audio = planned.steps.find((step) => step.label.endsWith('encode audio'))!;
    expect(audio.outputPath).toBe('/work/trip.audio.m4a');
    const args = audio.args.join(' ');
    expect(args).toContain(`-ss 5 -t 42.75 ${OPEN_SOURCE} /work/source.mp4`);
    expect(args).toContain(`-ss 60 -t 40.25 ${OPEN_SOURCE} /work/source.mp4`);
    expect(valueOf(audio.args, '-filter_complex')).toContain('concat=n=2:v=0:a=1,atrim=duration=82.5,');
    expect(holds(audio.args, ['-c:a', 'aac'])).toBe(true);
    expect(audio.args).not.toContain('-c:v');
  });

  it('joins the chunks in order by stream copy, each after the previous one’s whole frames, and adds the audio', () => {
    expect(planned.prepared).toEqual([
      {
        path: '/work/trip.chunks.ffconcat',
        contents:
          'ffconcat version 1.0\n' +
          "file '/work/trip.chunk000.ts'\nduration 21\n" +
          "file '/work/trip.chunk001.ts'\nduration 21.5\n" +
          "file '/work/trip.chunk002.ts'\nduration 20\n" +
          "file '/work/trip.chunk003.ts'\nduration 20\n",
      },
    ]);
    const join = planned.steps.at(-1)!;
    expect(join.args.join(' ')).toBe(
      '-hide_banner -nostdin -y -f concat -safe 0 -i /work/trip.chunks.ffconcat -i /work/trip.audio.m4a ' +
        '-map 0:v:0 -map 1:a:0 -c copy -map_metadata -1 -map_chapters -1 -movflags +faststart -f mp4 /work/trip.mp4',
    );
    expect(join.needs).toEqual([...planned.chunkPaths, '/work/trip.audio.m4a']);
    expect(join.releasesInputs).toEqual(planned.chunkPaths);
  });

  it('lets every encode run beside the others, the join once they are written', () => {
    expect(planned.steps.map((step) => [step.label, step.independent, step.needs?.length ?? 0])).toEqual([
      ['2 segments joined: encode chunk 1 of 4', true, 0],
      ['2 segments joined: encode chunk 2 of 4', true, 0],
      ['2 segments joined: encode chunk 3 of 4', true, 0],
      ['2 segments joined: encode chunk 4 of 4', true, 0],
      ['2 segments joined: encode audio', true, 0],
      ['2 segments joined: join 4 chunks', true, 5],
    ]);
  });

  it('joins a silent source’s chunks without audio', () => {
    const { steps } = planChunkSteps(input({}, { sourceProbe: { ...probe, audio: undefined } }));
    expect(steps.some((step) => step.label.endsWith('encode audio'))).toBe(false);
    const join = steps.at(-1)!;
    expect(join.args).not.toContain('1:a:0');
    expect(join.needs).toHaveLength(4);
  });

  it('reads each chunk from the file’s start and skips to it, for containers that cannot seek', () => {
    const { steps } = planChunkSteps(input({}, { sourceProbe: { ...probe, formatName: 'avi' } }));
    const second = steps[1]!;
    expect(second.args).not.toContain('-ss');
    expect(valueOf(second.args, '-t')).toBe('47.75');
    expect(valueOf(second.args, '-filter_complex')).toContain('[0:v:0]trim=start=26,');
  });
});
