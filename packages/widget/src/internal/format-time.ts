/** Whole tenths of a second in `seconds`, rounded, never negative. */
function tenths(seconds: number): number {
  return Math.max(0, Math.round(seconds * 10));
}

/**
 * A point in a video to a tenth of a second: "0:10.3", "12:04.0" or "1:02:05.5", so that the times a
 * dialog shows are the ones an editor lists.
 */
export function formatTimecode(seconds: number): string {
  const total = tenths(seconds);
  const tenth = total % 10;
  const whole = Math.floor(total / 10);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = `${String(whole % 60).padStart(2, '0')}.${tenth}`;
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

/** A length to a tenth of a second: "1.2 s" under a minute, else as a timecode ("1:05.3"). */
export function formatLength(seconds: number): string {
  const total = tenths(seconds);
  return total < 600 ? `${(total / 10).toFixed(1)} s` : formatTimecode(total / 10);
}
