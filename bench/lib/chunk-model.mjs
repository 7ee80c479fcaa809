// The model of a chunked export's wall time that scenario 7 checks against its measurements and then
// extrapolates: a fixed cost before the pieces (pick-up, probe, planning, queueing), the pieces spread over
// the workers, and the join (download of the parts, concat copy, checks, upload). Pure: numbers in, numbers
// out.

/**
 * Seconds `n` workers take for pieces of the given encode seconds, each taken by the first worker free (as
 * bee-queue hands them out, in order).
 */
export function makespan(pieceSeconds, n) {
  const free = Array.from({ length: n }, () => 0);
  for (const seconds of pieceSeconds) {
    const first = free.indexOf(Math.min(...free));
    free[first] += seconds;
  }
  return Math.max(0, ...free);
}

/** The chunks a planner of about `chunkSeconds` each cuts `outputSeconds` into. */
export function chunkLengths(outputSeconds, chunkSeconds) {
  const count = Math.max(1, Math.round(outputSeconds / chunkSeconds));
  return Array.from({ length: count }, () => outputSeconds / count);
}

/**
 * Predicted wall seconds of an export of `outputSeconds` on `workers` workers, each encoding
 * `throughput` output seconds per second, with `chunkSeconds` chunks; `fixed` is the seconds before the
 * pieces start, `joinPerOutputSecond` the join's cost per output second, `audioSeconds` the audio piece's.
 */
export function predictWallSeconds({
  outputSeconds,
  workers,
  throughput,
  chunkSeconds,
  fixed,
  joinPerOutputSecond,
  audioSeconds = 0,
}) {
  const pieces = [...chunkLengths(outputSeconds, chunkSeconds).map((seconds) => seconds / throughput)];
  if (audioSeconds > 0) pieces.push(audioSeconds);
  return fixed + makespan(pieces, workers) + joinPerOutputSecond * outputSeconds;
}
