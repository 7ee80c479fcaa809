/**
 * The size of an export's picture, defined once for the worker's exports and the widget's in-browser ones.
 */

import type { Framing, FramingFit, Resolution } from './enums.js';
import { SHORT_SIDE_PIXELS } from './quality.js';

/** A source's picture as stored: coded size, pixel shape and display rotation. */
export interface SourcePicture {
  /** Coded size, before rotation. */
  width: number;
  height: number;
  /** Width of one pixel over its height as displayed (the sample aspect ratio); 1 for square pixels. */
  sampleAspectRatio: number;
  /** Clockwise degrees to turn the picture for display: 0, 90, 180 or 270. */
  rotation: number;
}

const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/**
 * Display aspects (width over height) that players, platforms and editors have exact sizes for: 16:9, 9:16,
 * 4:3, 3:4 and 1:1. Each gives a whole, even number of pixels at every resolution's short side.
 */
const STANDARD_ASPECTS: readonly (readonly [number, number])[] = [
  [16, 9],
  [9, 16],
  [4, 3],
  [3, 4],
  [1, 1],
];
/**
 * How far (as a fraction) a source's display aspect may be from a standard one and still get its exact
 * size: 854×480 (0.07% wider than 16:9) or 1920×1088 (0.7% narrower) are meant as 16:9.
 */
const STANDARD_ASPECT_TOLERANCE = 0.01;

/**
 * The picture as a player shows it, in pixels: the coded width stretched by the sample aspect ratio, then
 * turned by the rotation (a quarter turn swaps the sides).
 */
export function displaySize(video: SourcePicture): { width: number; height: number } {
  const width = video.width * video.sampleAspectRatio;
  const sideways = video.rotation === 90 || video.rotation === 270;
  return sideways ? { width: video.height, height: width } : { width, height: video.height };
}

/**
 * The output size for a resolution, in square pixels. The short side is 720, 1080 or 2160 pixels. When the
 * displayed picture's aspect (sample aspect ratio and rotation applied) is within 1% of a standard one, the
 * size is exactly that aspect's (1280×720, 720×1280, 960×720, 720×960, 720×720 at 720p; likewise at 1080p
 * and 4k); otherwise the aspect is kept with even sides, so an ultra-wide picture keeps its short side and
 * gets a longer long side (32:9 at 720p is 2560×720).
 */
export function targetDimensions(
  video: SourcePicture,
  resolution: Resolution,
): { width: number; height: number } {
  const shown = displaySize(video);
  const aspect = shown.width / shown.height;
  const shortSide = SHORT_SIDE_PIXELS[resolution];
  const standard = STANDARD_ASPECTS.find(
    ([width, height]) => Math.abs(aspect / (width / height) - 1) <= STANDARD_ASPECT_TOLERANCE,
  );
  if (standard) {
    const [width, height] = standard;
    const unit = shortSide / Math.min(width, height);
    return { width: width * unit, height: height * unit };
  }
  if (aspect >= 1) return { width: even(shortSide * aspect), height: shortSide };
  return { width: shortSide, height: even(shortSide / aspect) };
}

/**
 * Pixels an output may have beyond the source's picture without counting as upscaled: snapping 1916×1080 to
 * 1920×1080 adds no visible detail to warn about.
 */
const UPSCALE_TOLERANCE = 0.01;

/**
 * Whether an output of `target` size is larger than the source's displayed picture (more than 1% more
 * pixels), so that clients can warn that it holds no more detail than the source had. An anamorphic
 * 1440×1080 source at 4:3 pixels is shown 1920×1080, so its 1080p export is not upscaled.
 */
export function isUpscaled(video: SourcePicture, target: { width: number; height: number }): boolean {
  const shown = displaySize(video);
  return target.width * target.height > shown.width * shown.height * (1 + UPSCALE_TOLERANCE);
}

const FRAMING_ASPECTS: Readonly<Record<Exclude<Framing, 'original'>, readonly [number, number]>> = {
  '9:16': [9, 16],
  '1:1': [1, 1],
  '16:9': [16, 9],
};

/**
 * The output size for a resolution and framing: for `original`, {@link targetDimensions}; otherwise the
 * framing's exact shape with the resolution's short side (9:16 at 1080p is 1080×1920).
 */
export function framedDimensions(
  video: SourcePicture,
  resolution: Resolution,
  framing: Framing = 'original',
): { width: number; height: number } {
  if (framing === 'original') return targetDimensions(video, resolution);
  const [width, height] = FRAMING_ASPECTS[framing];
  const unit = SHORT_SIDE_PIXELS[resolution] / Math.min(width, height);
  return { width: width * unit, height: height * unit };
}

/**
 * How much a reframed output scales the source's displayed picture: a crop scales it until it covers the
 * frame, bars until it fits inside it (above 1 enlarges).
 */
export function reframingScale(
  video: SourcePicture,
  target: { width: number; height: number },
  fit: FramingFit,
): number {
  const shown = displaySize(video);
  const scales = [target.width / shown.width, target.height / shown.height];
  return fit === 'crop' ? Math.max(...scales) : Math.min(...scales);
}

/** Whether a reframed output enlarges the source's picture by more than 1% (see reframingScale). */
export function isReframingUpscaled(
  video: SourcePicture,
  target: { width: number; height: number },
  fit: FramingFit,
): boolean {
  return reframingScale(video, target, fit) > 1 + UPSCALE_TOLERANCE;
}
