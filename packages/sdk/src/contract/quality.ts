import type { QualityPreset, Resolution } from './enums.js';

/** The short side of the picture, in pixels, for each resolution. */
export const SHORT_SIDE_PIXELS: Readonly<Record<Resolution, number>> = Object.freeze({
  '720p': 720,
  '1080p': 1080,
  '4k': 2160,
});

/**
 * Video bitrate ceilings (bits per second) by resolution and quality preset. At 1080p: high 8 Mbps,
 * medium 4 Mbps, low 2 Mbps; 720p and 4k scale roughly with the number of pixels.
 */
export const VIDEO_BITRATE_CAPS: Readonly<Record<Resolution, Readonly<Record<QualityPreset, number>>>> =
  Object.freeze({
    '720p': { high: 5_000_000, medium: 2_500_000, low: 1_200_000 },
    '1080p': { high: 8_000_000, medium: 4_000_000, low: 2_000_000 },
    '4k': { high: 24_000_000, medium: 12_000_000, low: 6_000_000 },
  });

/** Audio bitrate (bits per second) by quality preset. */
export const AUDIO_BITRATES: Readonly<Record<QualityPreset, number>> = Object.freeze({
  high: 192_000,
  medium: 128_000,
  low: 96_000,
});
