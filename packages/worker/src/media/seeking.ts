/**
 * Containers whose index cannot be trusted for seeking: ffmpeg's `-ss` on an AVI with a broken index lands
 * at its end ("could not seek"), and FLV keyframe tables are often missing. Inputs in these are read from
 * the start and cut by the filters: slower on long files, right on all of them.
 */
export function seeksByDecoding(formatName: string): boolean {
  return formatName.split(',').some((name) => name === 'avi' || name === 'flv');
}
