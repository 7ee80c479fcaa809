// Scenario 3: long source. Half of the source's length in six segments (cuts off keyframes) to 1080p mp4
// medium: wall time (and the full re-encode's), the worker process's peak RSS, the temp folder's peak size. Run on a 1-minute source
// too, to show whether memory grows with the video's length.
import { statSync } from 'node:fs';
import { plainReencode } from '../lib/baselines.mjs';
import { ourExport } from '../lib/render.mjs';
import { benchSource, combinedRequest } from '../lib/sources.mjs';

function sixSegments(minutes) {
  const total = minutes * 60;
  const length = total / 12;
  return Array.from({ length: 6 }, (_, index) => {
    const start = Math.round((index * 2 * length + 0.7) * 30) / 30;
    return { start_time: start, end_time: Math.round((start + length) * 30) / 30 };
  });
}

export async function longSource({ cacheDir, scratch, minutes }) {
  const runs = {};
  for (const length of [1, minutes]) {
    const sourcePath = await benchSource(cacheDir, length);
    const segments = sixSegments(length);
    const request = combinedRequest(segments);
    const ours = await ourExport({ sourcePath, request, scratch, name: `long-${length}min` });
    const outputBytes = statSync(ours.output).size;
    const outputSeconds = segments.reduce((sum, s) => sum + s.end_time - s.start_time, 0);
    // the same request with nothing copied, as our planner re-encodes when the source does not allow a cut
    const reencode = await plainReencode({ sourcePath, request, scratch, name: `long-${length}min` });
    runs[`${length}min`] = {
      outputSeconds,
      strategy: ours.strategy.mode,
      seconds: ours.seconds,
      realtime: outputSeconds / ours.seconds,
      fullReencodeSeconds: reencode.seconds,
      fullReencodeVsOurs: reencode.seconds / ours.seconds,
      workerPeakRssMB: ours.maxRssBytes / 1024 ** 2,
      peakTempMB: ours.peakTempBytes / 1024 ** 2,
      outputMB: outputBytes / 1024 ** 2,
      longestSegmentMB:
        (outputBytes * (segments[0].end_time - segments[0].start_time)) / outputSeconds / 1024 ** 2,
      // the local-disk driver hands the worker the stored file in place; with S3 the whole source is read
      bytesReadFromStorageMB: 0,
      sourceMB: statSync(sourcePath).size / 1024 ** 2,
    };
  }
  return runs;
}
