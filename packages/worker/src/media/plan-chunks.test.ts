import { describe, expect, it } from 'vitest';
import type { ExportSegmentInput } from '@vexport/sdk';
import {
  CHUNK_DEFAULTS,
  planChunks,
  type ChunkPlanInput,
  type ChunkSource,
  type SourceSpan,
  type VideoChunk,
} from './plan-chunks.js';
import { segmentSpan, variableRateSpan } from './plan-export.js';

const FPS = 30;
const SOURCE_SECONDS = 300;
const { minChunkSeconds: MIN, maxChunkSeconds: MAX } = CHUNK_DEFAULTS;
const EPSILON = 1e-6;

/** A 5-minute 30 fps source's frame times, counted from the file's start. */
const cfrFrameTimes = Float64Array.from({ length: SOURCE_SECONDS * FPS }, (_value, frame) => frame / FPS);

/** A deterministic sequence in [0, 1), so the irregular sources are the same on every run. */
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Keyframes every `seconds`, on frames of the grid. */
const everySeconds = (seconds: number) =>
  Array.from(cfrFrameTimes.filter((_time, frame) => frame % (seconds * FPS) === 0));

/** Keyframes 0.5 to 8 s apart at random (scene cuts), on frames of the grid; open GOPs are not listed. */
function irregularKeyframes(): number[] {
  const next = pseudoRandom(24);
  const keyframes: number[] = [];
  for (let frame = 0; frame < cfrFrameTimes.length; frame += Math.round((0.5 + next() * 7.5) * FPS))
    keyframes.push(cfrFrameTimes[frame]!);
  return keyframes;
}

const cfr = (keyframeTimes: number[]): ChunkSource => ({
  keyframeTimes,
  frameTimes: cfrFrameTimes,
  frameRate: FPS,
});

/** A screen capture: frames 1/60 to 1/8 s apart, a 2-second still, and a keyframe about every 2 s. */
function vfrSource(): ChunkSource {
  const next = pseudoRandom(7);
  const times: number[] = [];
  const keyframeTimes: number[] = [];
  for (let time = 0; time < SOURCE_SECONDS; time += time > 100 && time < 101 ? 2 : 1 / 60 + next() / 9) {
    const rounded = Math.round(time * 1e6) / 1e6;
    if (keyframeTimes.length === 0 || rounded - keyframeTimes.at(-1)! >= 2) keyframeTimes.push(rounded);
    times.push(rounded);
  }
  return { keyframeTimes, frameTimes: Float64Array.from(times), frameRate: undefined };
}

type Segment = Pick<ExportSegmentInput, 'start_time' | 'end_time'>;

/** The spans the single-worker encode cuts (segmentSpan / variableRateSpan), in source seconds. */
function spansOf(segments: readonly Segment[], source: ChunkSource): SourceSpan[] {
  return segments.map((segment) => {
    const span =
      source.frameRate === undefined
        ? variableRateSpan(segment, source.frameTimes)
        : segmentSpan(segment, { frameRate: FPS, startTime: 0, variableFrameRate: false });
    return { start: segment.start_time + span.offset, duration: span.duration };
  });
}

/** The frames the single-worker encode writes for a span: whole frames of the grid, or the listed ones. */
function singleWorkerFrames(span: SourceSpan, source: ChunkSource): number {
  if (source.frameRate !== undefined) return Math.round(span.duration * source.frameRate);
  return source.frameTimes!.filter(
    (time) => time >= span.start - EPSILON && time < span.start + span.duration - EPSILON,
  ).length;
}

const input = (
  source: ChunkSource,
  segments: readonly Segment[],
  workers: number,
  overrides: Partial<ChunkPlanInput> = {},
): ChunkPlanInput => ({
  source,
  spans: spansOf(segments, source),
  workers,
  mode: 'reencode',
  audioSeconds: segments.reduce((sum, segment) => sum + segment.end_time - segment.start_time, 0),
  ...overrides,
});

function chunksOf(planInput: ChunkPlanInput): VideoChunk[] {
  const plan = planChunks(planInput);
  if (!plan.chunked) throw new Error(`not chunked: ${plan.reason}`);
  return plan.chunks;
}

/** The properties every chunk plan must have, checked against the source and spans themselves. */
function expectSeamless(planInput: ChunkPlanInput): VideoChunk[] {
  const { source, spans } = planInput;
  const chunks = chunksOf(planInput);
  const keyframes = new Set(source.keyframeTimes);
  const expectedFrames = spans.map((span) => singleWorkerFrames(span, source));
  const total = expectedFrames.reduce((sum, frames) => sum + frames, 0);

  // no gap, no overlap, as many frames as one worker writes
  let next = 0;
  for (const chunk of chunks) {
    expect(chunk.firstFrame).toBe(next);
    expect(chunk.frames).toBeGreaterThan(0);
    next += chunk.frames;
  }
  expect(next).toBe(total);
  for (const [position, span] of spans.entries()) {
    const own = chunks.filter((chunk) => chunk.segment === position);
    expect(own.reduce((sum, chunk) => sum + chunk.frames, 0)).toBe(expectedFrames[position]);
    // every source frame of the span lies in exactly one of its chunks' source spans
    const inSpan = source.frameTimes!.filter(
      (time) => time >= span.start - EPSILON && time < span.start + span.duration - EPSILON,
    );
    const notOnce = Array.from(inSpan).filter(
      (time) =>
        own.filter(
          (chunk) =>
            time >= chunk.sourceStart - EPSILON && time < chunk.sourceStart + chunk.duration - EPSILON,
        ).length !== 1,
    );
    expect(notOnce).toEqual([]);

    for (const [order, chunk] of own.entries()) {
      // a segment's first chunk starts where it does; every other on a keyframe, decoded from there
      if (order === 0) {
        expect(chunk.sourceStart).toBe(span.start);
        const before = source.keyframeTimes.filter((time) => time <= span.start + EPSILON).at(-1);
        expect(chunk.decodeFrom).toBe(before ?? span.start);
      } else {
        expect(keyframes.has(chunk.sourceStart), `chunk ${chunk.index} at ${chunk.sourceStart}`).toBe(true);
        expect(chunk.decodeFrom).toBe(chunk.sourceStart);
      }
      const seconds = chunk.outputEnd - chunk.outputStart;
      expect(seconds).toBeLessThanOrEqual(MAX + EPSILON);
      // only a segment shorter than the minimum makes a shorter chunk
      if (span.duration >= MIN) expect(seconds).toBeGreaterThanOrEqual(MIN - EPSILON);
    }
    expect(own.at(-1)!.sourceStart + own.at(-1)!.duration).toBeCloseTo(span.start + span.duration, 9);
  }

  // exact times: on the frame grid (or the frames' own times), each chunk ending where the next starts
  for (const [order, chunk] of chunks.entries()) {
    if (source.frameRate !== undefined) {
      expect(chunk.outputStart).toBe(chunk.firstFrame / source.frameRate);
      expect(chunk.outputEnd).toBe((chunk.firstFrame + chunk.frames) / source.frameRate);
      expect(chunk.duration).toBe(chunk.frames / source.frameRate);
    } else {
      const span = spans[chunk.segment]!;
      expect(chunk.outputStart).toBe(chunk.sourceStart - span.start);
    }
    expect(chunk.outputStart).toBe(order === 0 ? 0 : chunks[order - 1]!.outputEnd);
  }
  return chunks;
}

const whole: Segment[] = [{ start_time: 0, end_time: SOURCE_SECONDS }];
/** A combined export of two segments, each starting and ending between keyframes. */
const combined: Segment[] = [
  { start_time: 12.34, end_time: 140.5 },
  { start_time: 170.02, end_time: 289.9 },
];

describe('planChunks', () => {
  const sources = {
    'keyframes every 2 s': cfr(everySeconds(2)),
    'keyframes every 10 s': cfr(everySeconds(10)),
    'irregular keyframes': cfr(irregularKeyframes()),
  };

  describe.each(Object.entries(sources))('a 5-minute 30 fps source with %s', (_name, source) => {
    it.each([2, 4, 8])(
      'splits the whole source for %i workers into keyframe-started chunks covering every frame once',
      (workers) => {
        expectSeamless(input(source, whole, workers));
      },
    );

    it('cuts 75 s for 8 workers into chunks no shorter than the minimum, fewer than the workers', () => {
      const chunks = expectSeamless(input(source, [{ start_time: 12.34, end_time: 87.34 }], 8));
      expect(chunks.length).toBeLessThan(8);
    });

    it.each([2, 4, 8])(
      'splits a combined export of two segments for %i workers without crossing their join',
      (workers) => {
        const chunks = expectSeamless(input(source, combined, workers));
        expect(new Set(chunks.map((chunk) => chunk.segment))).toEqual(new Set([0, 1]));
      },
    );
  });

  it.each([
    [2, 300, 10],
    [4, 300, 12],
    [8, 300, 16],
    [4, 120, 4],
    [8, 75, 7],
  ])(
    'gives %i workers of %i s with keyframes every 2 s %i even chunks: a multiple of the workers, within bounds',
    (workers, seconds, count) => {
      const segments = [{ start_time: 0, end_time: seconds }];
      const chunks = chunksOf(input(sources['keyframes every 2 s'], segments, workers));
      expect(chunks).toHaveLength(count);
      const lengths = chunks.map((chunk) => chunk.outputEnd - chunk.outputStart);
      // even to within a GOP
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(2 + EPSILON);
    },
  );

  it('starts chunks on keyframes 10 s apart at whole multiples of 10 s, 30 s each for 2 workers', () => {
    const chunks = chunksOf(input(sources['keyframes every 10 s'], whole, 2));
    expect(chunks.map((chunk) => chunk.sourceStart)).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240, 270]);
    expect(chunks.map((chunk) => chunk.frames)).toEqual(Array.from({ length: 10 }, () => 900));
  });

  it('keeps a segment shorter than a chunk as one chunk of its own, the others within bounds', () => {
    const segments: Segment[] = [
      { start_time: 0, end_time: 100 },
      { start_time: 150.5, end_time: 155 },
      { start_time: 200, end_time: 260 },
    ];
    const chunks = expectSeamless(input(sources['keyframes every 2 s'], segments, 4));
    const short = chunks.filter((chunk) => chunk.segment === 1);
    expect(short).toHaveLength(1);
    expect(short[0]!.frames).toBe(135);
    expect(short[0]!.decodeFrom).toBe(150);
  });

  it.each([2, 4, 8])(
    'splits a variable-frame-rate source for %i workers on its own frame times, the still included',
    (workers) => {
      const source = vfrSource();
      const segments: Segment[] = [{ start_time: 3.3, end_time: 250 }];
      const chunks = expectSeamless(input(source, segments, workers));
      // the segment starts with the picture on screen at 3.3 s, the frame before it
      expect(chunks[0]!.sourceStart).toBeLessThan(3.3);
      expect(chunks.at(-1)!.outputEnd).toBe(250 - 3.3);
    },
  );

  it('plans the audio once for the whole output and joins the chunks in order by stream copy', () => {
    const planInput = input(sources['keyframes every 2 s'], combined, 4);
    const plan = planChunks(planInput);
    if (!plan.chunked) throw new Error(plan.reason);
    expect(plan.audio).toEqual({ spans: planInput.spans, seconds: planInput.audioSeconds });
    expect(plan.join).toEqual({
      method: 'concat-copy',
      chunks: plan.chunks.map((_chunk, index) => index),
      muxAudio: true,
      frames: plan.chunks.reduce((sum, chunk) => sum + chunk.frames, 0),
      seconds: plan.chunks.at(-1)!.outputEnd,
    });
    const silent = planChunks({ ...planInput, audioSeconds: undefined });
    expect(silent.chunked && [silent.audio, silent.join.muxAudio]).toEqual([undefined, false]);
  });

  it.each<[string, ChunkPlanInput, RegExp]>([
    ['one worker', input(sources['keyframes every 2 s'], whole, 1), /one worker/],
    [
      'less than 60 s of output',
      input(sources['keyframes every 2 s'], [{ start_time: 10, end_time: 69.9 }], 8),
      /shorter than 60 s of output/,
    ],
    [
      'a copy plan',
      input(sources['keyframes every 2 s'], whole, 8, { mode: 'copy' }),
      /copy plan, which copies video/,
    ],
    [
      'a smart cut plan',
      input(sources['keyframes every 2 s'], whole, 8, { mode: 'smart-cut' }),
      /smart-cut plan, which copies video/,
    ],
    [
      'a variable frame rate joined from two segments',
      input(vfrSource(), combined, 4),
      /variable frame rate is joined on a grid/,
    ],
    [
      'a source whose only keyframe is its first (a screen recording)',
      input(cfr([0]), [{ start_time: 0, end_time: 90 }], 4),
      /no keyframe to cut on/,
    ],
  ])('encodes on one worker for %s, saying why', (_name, planInput, reason) => {
    const plan = planChunks(planInput);
    expect(plan.chunked).toBe(false);
    expect(!plan.chunked && plan.reason).toMatch(reason);
  });

  it('chunks exactly 60 s of output', () => {
    expect(
      planChunks(input(sources['keyframes every 2 s'], [{ start_time: 10, end_time: 70 }], 8)).chunked,
    ).toBe(true);
  });

  it('refuses limits that cannot cut every long segment within both', () => {
    expect(() =>
      planChunks(
        input(sources['keyframes every 2 s'], whole, 4, {
          options: { minChunkSeconds: 20, maxChunkSeconds: 30 },
        }),
      ),
    ).toThrow(/at least twice minChunkSeconds/);
  });
});
