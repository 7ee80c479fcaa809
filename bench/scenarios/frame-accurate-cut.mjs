// Scenario 1: same codec and size, frame-accurate. A combined export of three segments whose cut points
// are not on keyframes, 1080p mp4 → 1080p mp4 (medium): ours (smart cut) vs `ffmpeg -c copy` of the same
// ranges (the floor) and vs a full re-encode of them with the same encoder settings.
import { plainCopy, plainReencode } from '../lib/baselines.mjs';
import { ourExport } from '../lib/render.mjs';
import { benchSource, combinedRequest } from '../lib/sources.mjs';
import { decodeErrors, firstFrameIs, medianBy, videoFrameCount } from '../lib/tools.mjs';

/** Three segments spread over the source, none starting or ending on a 2-second keyframe. */
function segmentsFor(minutes) {
  const scale = minutes * 60;
  return [
    [0.0917, 0.3375],
    [0.4183, 0.6783],
    [0.7392, 0.9817],
  ].map(([from, to]) => ({
    start_time: Math.round(from * scale * 30 + 0.5) / 30,
    end_time: Math.round(to * scale * 30 + 0.5) / 30,
  }));
}

const ROUNDS = 3;

export async function frameAccurateCut({ cacheDir, scratch, minutes, fullReencode }) {
  const sourcePath = await benchSource(cacheDir, minutes);
  const segments = segmentsFor(minutes);
  const request = combinedRequest(segments);
  const outputSeconds = segments.reduce((sum, s) => sum + s.end_time - s.start_time, 0);
  const expectedFrames = Math.round(outputSeconds * 30);
  // single runs drift by a fifth on these machines: the median of three
  const runs = [];
  for (let round = 0; round < ROUNDS; round += 1)
    runs.push(await ourExport({ sourcePath, request, scratch, name: `cut-${minutes}min` }));
  const ours = medianBy(runs, (run) => run.seconds);
  const copy = await plainCopy({ sourcePath, segments, scratch });
  const reencode = fullReencode
    ? await plainReencode({ sourcePath, request, scratch, name: `cut-${minutes}min` })
    : undefined;
  const frames = await videoFrameCount(ours.output);
  const errors = await decodeErrors(ours.output);
  return {
    source: `${minutes} min 1080p30 H.264 ~8 Mbps, 2 s GOP, B-frames`,
    segments,
    outputSeconds,
    strategy: ours.strategy,
    ours: {
      seconds: ours.seconds,
      realtime: outputSeconds / ours.seconds,
      runs: runs.map((run) => run.seconds),
    },
    plainCopy: { seconds: copy.seconds, realtime: outputSeconds / copy.seconds },
    fullReencode: reencode && { seconds: reencode.seconds, realtime: outputSeconds / reencode.seconds },
    ratios: {
      oursVsPlainCopy: ours.seconds / copy.seconds,
      fullReencodeVsOurs: reencode ? reencode.seconds / ours.seconds : undefined,
    },
    checks: {
      frames,
      expectedFrames,
      exactFrameCount: frames === expectedFrames,
      decodeErrors: errors === '' ? 0 : errors.split('\n').length,
      firstFrameIsRequested: await firstFrameIs(ours.output, sourcePath, segments[0].start_time),
    },
  };
}
