/**
 * The segment list of `GET /api/exports/estimate` as text. Apart from the schema that reads it (see
 * ExportEstimateQuery) so that the client, and the widget bundled with it, do not carry zod.
 */

/** Writes segments as ExportEstimateQuery's `segments` reads them: `start-end`, comma-separated. */
export function formatSegmentList(segments: readonly { start_time: number; end_time: number }[]): string {
  // to the microsecond, so that no time is written in exponent form (1e-7)
  const decimal = (seconds: number) => String(Number(seconds.toFixed(6)));
  return segments.map((segment) => `${decimal(segment.start_time)}-${decimal(segment.end_time)}`).join(',');
}
