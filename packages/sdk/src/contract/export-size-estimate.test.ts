import { describe, expect, it } from 'vitest';
import { ExportEstimateQuery, formatSegmentList } from './export-estimate.js';
import {
  estimateExportBytes,
  predictExportMode,
  type EstimateRequest,
  type EstimateSource,
} from './export-size-estimate.js';
import { AUDIO_BITRATES, VIDEO_BITRATE_CAPS } from './quality.js';

/** A 1080p H.264 phone recording: 60 s, 75 MB (10 Mbps). */
const phone: EstimateSource = {
  duration_seconds: 60,
  width: 1920,
  height: 1080,
  rotation: 0,
  size_bytes: 75_000_000,
  video_codec: 'h264',
  audio_codec: 'aac',
};
const request: EstimateRequest = {
  format: 'mp4',
  resolution: '720p',
  quality_preset: 'medium',
  segments: [{ start_time: 0, end_time: 10 }],
};

describe('estimateExportBytes', () => {
  it('differs between H.264 (MP4 and MOV alike) and VP9 (WebM)', () => {
    const mp4 = estimateExportBytes(request, phone);
    expect(estimateExportBytes({ ...request, format: 'mov' }, phone)).toBe(mp4);
    expect(estimateExportBytes({ ...request, format: 'webm' }, phone)).not.toBe(mp4);
  });

  it('grows with the preset and with the length of the segments', () => {
    const sizes = (['low', 'medium', 'high'] as const).map((quality_preset) =>
      estimateExportBytes({ ...request, quality_preset }, phone),
    );
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const twice = estimateExportBytes({ ...request, segments: [{ start_time: 0, end_time: 20 }] }, phone);
    expect(twice / estimateExportBytes(request, phone)).toBeCloseTo(2, 5);
  });

  it('never passes the preset’s bitrate ceilings', () => {
    const heavy = { ...phone, size_bytes: 10_000_000_000 };
    const { resolution, quality_preset } = request;
    const ceiling =
      ((VIDEO_BITRATE_CAPS[resolution][quality_preset] + AUDIO_BITRATES[quality_preset]) * 10) / 8;
    expect(estimateExportBytes(request, heavy)).toBeLessThanOrEqual(Math.ceil(ceiling * 1.01));
  });

  it('counts no audio for a source without sound, and little for a nearly silent one', () => {
    const mute = estimateExportBytes(request, { ...phone, audio_codec: null });
    const audioBytes = (AUDIO_BITRATES.medium * 10) / 8;
    // without audio the whole source's bitrate counts as picture, so the difference is a little less
    expect(estimateExportBytes(request, phone) - mute).toBeGreaterThan(audioBytes * 0.75);
    const silent = { ...phone, size_bytes: 60_000, duration_seconds: 25 };
    expect(estimateExportBytes(request, silent)).toBeLessThan(100_000);
  });

  it('keeps about the source’s bitrate for a smart cut, plus each cut’s re-encoded start', () => {
    const hd = { ...phone, width: 1280, height: 720 };
    expect(predictExportMode(request, hd)).toBe('smart-cut');
    const sourceBytesPerSecond = 75_000_000 / 60;
    const bytes = estimateExportBytes(request, hd);
    expect(bytes).toBeGreaterThan(sourceBytesPerSecond * 10);
    expect(bytes).toBeLessThan(sourceBytesPerSecond * 10 * 1.5);
  });

  it('falls back on typical rates when the record has no size or duration yet', () => {
    const bytes = estimateExportBytes(request, { width: 1920, height: 1080 });
    expect(bytes).toBeGreaterThan(0);
    expect(estimateExportBytes(request)).toBe(bytes);
  });
});

describe('predictExportMode', () => {
  it.each([
    ['the same codec and size', request, phone, 'reencode'],
    ['H.264 at its own size in MP4', { ...request, resolution: '1080p' }, phone, 'smart-cut'],
    ['H.264 at its own size in WebM', { ...request, resolution: '1080p', format: 'webm' }, phone, 'reencode'],
    ['a turned picture', { ...request, resolution: '1080p' }, { ...phone, rotation: 90 }, 'reencode'],
    ['a reframed picture', { ...request, resolution: '1080p', framing: '9:16' }, phone, 'reencode'],
    ['HEVC', { ...request, resolution: '1080p' }, { ...phone, video_codec: 'hevc' }, 'reencode'],
  ] as const)('predicts %s', (_name, asked, source, mode) => {
    expect(predictExportMode(asked, source)).toBe(mode);
  });
});

describe('ExportEstimateQuery', () => {
  const base = {
    video_id: '0b9a3c38-0f3b-4a4a-9d57-0b6a6b2f8c11',
    format: 'mp4',
    resolution: '720p',
    quality_preset: 'high',
  };

  it('reads the segments as formatSegmentList writes them', () => {
    const segments = [
      { start_time: 0, end_time: 4.5 },
      { start_time: 10, end_time: 12.25 },
    ];
    const parsed = ExportEstimateQuery.parse({ ...base, segments: formatSegmentList(segments) });
    expect(parsed.segments).toEqual(segments);
  });

  it('writes times as plain decimals, to the microsecond', () => {
    expect(formatSegmentList([{ start_time: 1e-7, end_time: 0.1 + 0.2 }])).toBe('0-0.3');
  });

  it.each(['', '4-2', '1-2,', '-1-2', '1e3-2e3'])('refuses the segment list %j', (segments) => {
    expect(ExportEstimateQuery.safeParse({ ...base, segments }).success).toBe(false);
  });
});
