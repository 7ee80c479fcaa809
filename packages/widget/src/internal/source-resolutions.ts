import { RESOLUTIONS, SHORT_SIDE_PIXELS, type Resolution } from '@vexport/sdk';

/** What an export at some resolution does to the source's picture. */
export type ResolutionFit = 'matches' | 'upscaled' | 'downscaled' | 'unknown';

/** How the dialog treats resolutions larger than the source: offered, offered with a warning, or disabled. */
export type UpscalePolicy = 'allow' | 'warn' | 'disable';

/** The source's picture size as the video record has it (null until probed). */
export interface SourceSize {
  width: number | null;
  height: number | null;
}

/**
 * Short sides within 1% count as the same: the worker snaps 1916×1080 to 1920×1080 without calling it
 * upscaled, and the dialog must agree with the record it will get.
 */
const SAME_SIZE_TOLERANCE = 0.01;

/** The short side of the source's picture in pixels, or undefined while it is not known. */
export function sourceShortSide(source: SourceSize | undefined): number | undefined {
  if (!source?.width || !source.height) return undefined;
  return Math.min(source.width, source.height);
}

/** Whether `resolution` keeps, reduces or enlarges the source's picture. */
export function resolutionFit(resolution: Resolution, source: SourceSize | undefined): ResolutionFit {
  const shortSide = sourceShortSide(source);
  if (shortSide === undefined) return 'unknown';
  const target = SHORT_SIDE_PIXELS[resolution];
  if (Math.abs(target / shortSide - 1) <= SAME_SIZE_TOLERANCE) return 'matches';
  return target > shortSide ? 'upscaled' : 'downscaled';
}

/**
 * The resolution to start from: the saved one unless it would enlarge the source, else the largest that
 * does not (the smallest one when every resolution is larger than the source).
 */
export function defaultResolution(saved: Resolution, source: SourceSize | undefined): Resolution {
  if (resolutionFit(saved, source) !== 'upscaled') return saved;
  const fitting = RESOLUTIONS.filter((resolution) => resolutionFit(resolution, source) !== 'upscaled');
  return fitting.at(-1) ?? RESOLUTIONS[0];
}

/**
 * Whether `resolution` may be chosen under `policy`: with `disable`, only those that do not enlarge the
 * source, and always the smallest one, so that a small source can still be exported.
 */
export function resolutionAllowed(
  resolution: Resolution,
  source: SourceSize | undefined,
  policy: UpscalePolicy,
): boolean {
  if (policy !== 'disable' || resolution === RESOLUTIONS[0]) return true;
  return resolutionFit(resolution, source) !== 'upscaled';
}
