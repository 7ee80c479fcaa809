import {
  RESOLUTIONS,
  SHORT_SIDE_PIXELS,
  reframingScale,
  framedDimensions,
  isReframingUpscaled,
  type Framing,
  type FramingFit,
  type Resolution,
  type SourcePicture,
} from '@vexport/sdk';

/** What an export at some resolution does to the source's picture. */
export type ResolutionFit = 'matches' | 'upscaled' | 'downscaled' | 'unknown';

/** How the dialog treats resolutions larger than the source: offered, offered with a warning, or disabled. */
export type UpscalePolicy = 'allow' | 'warn' | 'disable';

/** The source's picture size as the video record has it (null until probed). */
export interface SourceSize {
  width: number | null;
  height: number | null;
  /** Clockwise degrees the player turns the picture; a framing is measured against the turned picture. */
  rotation?: number | null;
}

/** The output's shape when it is not the source's: a framing and how the picture meets it. */
export interface Reframe {
  framing: Framing;
  fit: FramingFit;
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

/** The source as the SDK's output-size rules take it (square pixels, as the video record has no shape). */
function sourcePicture(source: SourceSize | undefined): SourcePicture | undefined {
  if (!source?.width || !source.height) return undefined;
  return { width: source.width, height: source.height, sampleAspectRatio: 1, rotation: source.rotation ?? 0 };
}

/**
 * What a framing other than the source's does to its picture: a crop scales it until it covers the frame,
 * bars until it fits inside, so a landscape source cropped to 9:16 is enlarged even at its own resolution.
 */
function reframedFit(resolution: Resolution, picture: SourcePicture, reframe: Reframe): ResolutionFit {
  const target = framedDimensions(picture, resolution, reframe.framing);
  if (isReframingUpscaled(picture, target, reframe.fit)) return 'upscaled';
  const scale = reframingScale(picture, target, reframe.fit);
  return Math.abs(scale - 1) <= SAME_SIZE_TOLERANCE ? 'matches' : 'downscaled';
}

/**
 * Whether `resolution` keeps, reduces or enlarges the source's picture, in the source's shape or, with
 * `reframe`, in another framing.
 */
export function resolutionFit(
  resolution: Resolution,
  source: SourceSize | undefined,
  reframe?: Reframe,
): ResolutionFit {
  const picture = sourcePicture(source);
  if (!picture) return 'unknown';
  if (reframe && reframe.framing !== 'original') return reframedFit(resolution, picture, reframe);
  const shortSide = Math.min(picture.width, picture.height);
  const target = SHORT_SIDE_PIXELS[resolution];
  if (Math.abs(target / shortSide - 1) <= SAME_SIZE_TOLERANCE) return 'matches';
  return target > shortSide ? 'upscaled' : 'downscaled';
}

/**
 * The resolution to start from: the saved one unless it would enlarge the source, else the largest that
 * does not (the smallest one when every resolution is larger than the source).
 */
export function defaultResolution(
  saved: Resolution,
  source: SourceSize | undefined,
  reframe?: Reframe,
): Resolution {
  if (resolutionFit(saved, source, reframe) !== 'upscaled') return saved;
  const fitting = RESOLUTIONS.filter(
    (resolution) => resolutionFit(resolution, source, reframe) !== 'upscaled',
  );
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
  reframe?: Reframe,
): boolean {
  if (policy !== 'disable' || resolution === RESOLUTIONS[0]) return true;
  return resolutionFit(resolution, source, reframe) !== 'upscaled';
}
