import { describe, expect, it } from 'vitest';
import {
  Export,
  ExportCreateRequest,
  ExportListQuery,
  ExportSegmentInput,
  ExportSettings,
  LOUDNESS_TARGETS,
  MAX_SEGMENTS,
  Problem,
  exportTypeMismatch,
  findSegmentOutsideVideo,
  isTerminalExportStatus,
  problemTypeUri,
  totalSegmentDuration,
} from '../index.js';

const segment = (start_time: number, end_time: number) => ({ start_time, end_time });

describe('ExportSegmentInput', () => {
  it('accepts a range with optional clip id and label', () => {
    const parsed = ExportSegmentInput.parse({
      start_time: 0,
      end_time: 2.5,
      clip_id: 'c1',
      label: ' Intro ',
    });
    expect(parsed).toEqual({ start_time: 0, end_time: 2.5, clip_id: 'c1', label: 'Intro' });
  });

  it.each([
    ['start after end', segment(5, 3)],
    ['start equal to end', segment(3, 3)],
    ['negative start', segment(-1, 3)],
    ['NaN start', segment(Number.NaN, 3)],
    ['infinite end', segment(0, Number.POSITIVE_INFINITY)],
    ['string times', { start_time: '0', end_time: '3' }],
  ])('rejects %s', (_name, input) => {
    expect(ExportSegmentInput.safeParse(input).success).toBe(false);
  });

  it('points the start/end error at end_time', () => {
    const result = ExportSegmentInput.safeParse(segment(5, 3));
    expect(result.error?.issues[0]?.path).toEqual(['end_time']);
  });
});

describe('ExportCreateRequest', () => {
  const base = { export_type: 'combined', resolution: '1080p', format: 'mp4', quality_preset: 'medium' };

  it('accepts a combined export of two segments', () => {
    const parsed = ExportCreateRequest.parse({ ...base, segment_selections: [segment(0, 1), segment(2, 3)] });
    expect(parsed.segments).toHaveLength(2);
  });

  it('gives the specification’s names whichever names were sent', () => {
    const specified = { export_type: 'single', quality: 'low', segments: [segment(0, 1)] };
    const aliased = { export_type: 'single', quality_preset: 'low', segment_selections: [segment(0, 1)] };
    const expected = { export_type: 'single', quality: 'low', segments: [segment(0, 1)] };
    expect(ExportCreateRequest.parse(specified)).toEqual(expected);
    expect(ExportCreateRequest.parse(aliased)).toEqual(expected);
    expect(ExportCreateRequest.parse({ ...specified, ...aliased })).toEqual(expected);
  });

  it('refuses a name and its alias with different values, naming both', () => {
    const result = ExportCreateRequest.safeParse({
      export_type: 'single',
      quality: 'low',
      quality_preset: 'high',
      segments: [segment(0, 1)],
    });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['quality'], ['quality_preset']]);
  });

  it('refuses a request with no segments under either name, and unknown fields', () => {
    const result = ExportCreateRequest.safeParse({ export_type: 'clips', qualty: 'low' });
    expect(result.error?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unrecognized_keys', keys: ['qualty'] }),
        expect.objectContaining({ code: 'custom', path: ['segments'] }),
      ]),
    );
  });

  it('leaves resolution, format and quality to the saved settings when absent', () => {
    const parsed = ExportCreateRequest.parse({ export_type: 'single', segment_selections: [segment(0, 1)] });
    expect(parsed.resolution).toBeUndefined();
  });

  it('rejects unknown enum values', () => {
    expect(
      ExportCreateRequest.safeParse({ ...base, resolution: '8k', segment_selections: [segment(0, 1)] })
        .success,
    ).toBe(false);
  });

  it(`rejects more than ${MAX_SEGMENTS} segments and none at all`, () => {
    const many = Array.from({ length: MAX_SEGMENTS + 1 }, (_, i) => segment(i, i + 0.5));
    expect(ExportCreateRequest.safeParse({ ...base, segment_selections: many }).success).toBe(false);
    expect(ExportCreateRequest.safeParse({ ...base, segment_selections: [] }).success).toBe(false);
    const exactlyMax = many.slice(0, MAX_SEGMENTS);
    expect(ExportCreateRequest.safeParse({ ...base, segment_selections: exactlyMax }).success).toBe(true);
  });

  it('rejects an export type that does not fit the segment count', () => {
    const single = ExportCreateRequest.safeParse({
      ...base,
      export_type: 'single',
      segment_selections: [segment(0, 1), segment(1, 2)],
    });
    expect(single.success).toBe(false);
    expect(single.error?.issues[0]?.path).toEqual(['export_type']);
  });
});

describe('framing and loudness', () => {
  const request = { export_type: 'single', segments: [segment(0, 1)] };

  it('passes framing, framing fit and a loudness target through, and leaves them out when absent', () => {
    const framed = {
      ...request,
      framing: '9:16',
      framing_fit: 'pad',
      loudness_lufs: LOUDNESS_TARGETS.social,
    };
    expect(ExportCreateRequest.parse(framed)).toEqual(framed);
    expect(ExportCreateRequest.parse(request)).toEqual(request);
  });

  it.each([
    ['framing', '4:5'],
    ['framing_fit', 'zoom'],
    ['loudness_lufs', -30.5],
    ['loudness_lufs', -4.9],
    ['loudness_lufs', Number.NaN],
    ['loudness_lufs', '-14'],
  ])('refuses %s %s, naming the field', (field, value) => {
    const result = ExportCreateRequest.safeParse({ ...request, [field]: value });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([[field]]);
  });

  it('accepts the ends of the loudness range and every usual target', () => {
    for (const loudness_lufs of [-30, -5, ...Object.values(LOUDNESS_TARGETS)])
      expect(ExportCreateRequest.safeParse({ ...request, loudness_lufs }).success).toBe(true);
  });

  it('reads a record from a server that predates framing as the source’s shape at its own loudness', () => {
    expect(Export.shape.framing.parse(undefined)).toBe('original');
    expect(Export.shape.framing_fit.parse(undefined)).toBe('crop');
    expect(Export.shape.loudness_lufs.parse(undefined)).toBeNull();
  });
});

describe('exportTypeMismatch', () => {
  it.each([
    ['single', 1, false],
    ['single', 2, true],
    ['combined', 1, true],
    ['combined', 2, false],
    ['clips', 1, false],
    ['clips', 7, false],
  ] as const)('%s with %i segment(s) mismatches: %s', (type, count, mismatches) => {
    expect(exportTypeMismatch(type, count) !== undefined).toBe(mismatches);
  });
});

describe('segment helpers', () => {
  it('sums durations', () => {
    expect(totalSegmentDuration([segment(0, 1.5), segment(10, 12)])).toBeCloseTo(3.5);
  });

  it('finds the first segment past the end of the video, with a small tolerance', () => {
    expect(findSegmentOutsideVideo([segment(0, 10), segment(5, 10.04)], 10)).toBe(-1);
    expect(findSegmentOutsideVideo([segment(0, 10), segment(5, 10.2)], 10)).toBe(1);
  });
});

describe('ExportListQuery', () => {
  it('coerces query strings and applies defaults', () => {
    expect(ExportListQuery.parse({ page: '2', limit: '10' })).toEqual({
      page: 2,
      limit: 10,
      sort: 'created_at',
      order: 'desc',
    });
  });

  it('caps the limit at 100', () => {
    expect(ExportListQuery.safeParse({ limit: '101' }).success).toBe(false);
  });

  it('takes the specification’s sort=file_size for file_size_bytes', () => {
    expect(ExportListQuery.parse({ sort: 'file_size' }).sort).toBe('file_size_bytes');
  });

  it('refuses an unknown parameter', () => {
    expect(ExportListQuery.safeParse({ sortt: 'created_at' }).error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['sortt'],
    });
  });
});

describe('ExportSettings', () => {
  it('rejects duplicate custom preset ids', () => {
    const preset = { id: 'yt', name: 'YouTube', resolution: '1080p', format: 'mp4', quality_preset: 'high' };
    const result = ExportSettings.safeParse({
      default_resolution: '720p',
      default_format: 'webm',
      default_quality: 'low',
      custom_presets: [preset, preset],
    });
    expect(result.success).toBe(false);
  });
});

describe('Problem', () => {
  it('accepts a problem with a stable code and a type URI derived from it', () => {
    const problem = Problem.parse({
      type: problemTypeUri('video_not_ready'),
      title: 'Video not ready',
      status: 409,
      code: 'video_not_ready',
    });
    expect(problem.type).toBe('https://vexport.dev/problems/video-not-ready');
  });

  it('rejects an unknown code', () => {
    expect(Problem.safeParse({ type: 'x', title: 'x', status: 400, code: 'oops' }).success).toBe(false);
  });
});

describe('isTerminalExportStatus', () => {
  it('treats completed, failed and cancelled as terminal', () => {
    expect(['completed', 'failed', 'cancelled'].every((s) => isTerminalExportStatus(s as never))).toBe(true);
    expect(isTerminalExportStatus('processing')).toBe(false);
  });
});
