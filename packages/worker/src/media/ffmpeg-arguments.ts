/** Arguments every planned ffmpeg run starts with: no banner, no reading stdin, overwrite outputs. */
export const FFMPEG_COMMON_ARGUMENTS: readonly string[] = ['-hide_banner', '-nostdin', '-y'];

/** Seconds each input reads beyond its segment's span, so that the exact cut is the filters' to make. */
export const INPUT_MARGIN_SECONDS = 0.25;
/** Seeks meant to land on a keyframe aim a microsecond past it, so rounding cannot pick the one before. */
export const SEEK_PAST_KEYFRAME_SECONDS = 0.000001;
/** Seeks meant to land on a frame aim a quarter frame before it, so rounding cannot skip it. */
export const SEEK_BEFORE_FRAME = 0.25;
