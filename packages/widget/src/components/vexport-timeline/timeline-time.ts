/** Times on the timeline: snapping to frames, and the m:ss.s text people read and type. */
import { formatTimecode } from '../../internal/format-time.js';

/** `seconds` on the nearest frame boundary at `frameRate` frames per second. */
export function snapToFrame(seconds: number, frameRate: number): number {
  const frame = Math.round(seconds * frameRate);
  // rounded to microseconds so that 1/30 steps add up to the same numbers the API stores
  return Math.round((frame / frameRate) * 1e6) / 1e6;
}

/**
 * "1:05.3" or "1:02:05.3": minutes (and hours) with tenths of a second, rounded as the export dialog and
 * the exports list round them, so that every element shows a clip with the same tenths.
 */
export const formatTime = formatTimecode;

/**
 * Reads a typed time: "1:05.3", "65.3", "1:02:05" or "0:05,3" (a decimal comma). `undefined` when the text
 * is not a time.
 */
export function parseTime(text: string): number | undefined {
  const parts = text.trim().replace(',', '.').split(':');
  if (parts.length > 3 || parts.some((part) => !/^\d+(\.\d*)?$/.test(part))) return undefined;
  const numbers = parts.map(Number);
  const seconds = numbers.pop()!;
  if (numbers.length > 0 && seconds >= 60) return undefined;
  if (numbers.length === 2 && numbers[1]! >= 60) return undefined;
  return numbers.reduce((total, value) => (total + value) * 60, 0) + seconds;
}
