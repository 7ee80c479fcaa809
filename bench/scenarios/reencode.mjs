// Scenario 2, the renderer alone (end-to-end.mjs measures the whole product): 1080p → 720p mp4 and 1080p →
// 720p webm of a 30-second segment: our whole media work (probe, plan, ffmpeg, checks) vs the same ffmpeg
// command with the same encoder settings run by hand, five rounds of each in alternating order. Where a hardware H.264 encoder works (NVENC first, as the worker
// chooses), the mp4 export is measured again with it; VP9 has no NVENC encoder in ffmpeg.
import { chooseH264Encoder } from '@vexport/worker';
import { plainReencode } from '../lib/baselines.mjs';
import { ourExport } from '../lib/render.mjs';
import { benchSource } from '../lib/sources.mjs';
import { medianBy } from '../lib/tools.mjs';

const ROUNDS = 5;
const SEGMENT = { start_time: 3.3, end_time: 33.3 };

export async function reencode({ cacheDir, scratch }) {
  const sourcePath = await benchSource(cacheDir, 1);
  const results = {};
  for (const format of ['mp4', 'webm'])
    results[format] = await compareRounds({ sourcePath, scratch, format, encoder: 'libx264' });
  const { encoder, trials } = await chooseH264Encoder('ffmpeg');
  results.hardware =
    encoder === 'libx264'
      ? { encoder: undefined, trials }
      : { encoder, trials, mp4: await compareRounds({ sourcePath, scratch, format: 'mp4', encoder }) };
  return { source: '1 min 1080p30 H.264', segmentSeconds: SEGMENT.end_time - SEGMENT.start_time, ...results };
}

/**
 * Our export against the plain command, ROUNDS of each in alternating order (one run drifts by more than the
 * 5 % measured here): the medians, and the median of each round's own ratio (its two runs a few seconds
 * apart, so what drifts over minutes drops out).
 */
async function compareRounds({ sourcePath, scratch, format, encoder }) {
  const request = {
    export_type: 'single',
    resolution: '720p',
    format,
    quality_preset: 'medium',
    segment_selections: [SEGMENT],
  };
  const name = `reencode-720p-${format}-${encoder}`;
  const ours = [];
  const plain = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const runOurs = async () => ours.push(await ourExport({ sourcePath, request, scratch, name, encoder }));
    const runPlain = async () =>
      plain.push(await plainReencode({ sourcePath, request, scratch, name, encoder }));
    if (round % 2 === 0) await runOurs().then(runPlain);
    else await runPlain().then(runOurs);
  }
  const seconds = (run) => run.seconds;
  const oursSeconds = medianBy(ours, seconds).seconds;
  const plainSeconds = medianBy(plain, seconds).seconds;
  const roundRatios = ours.map((run, round) => run.seconds / plain[round].seconds);
  return {
    strategy: ours[0].strategy.mode,
    videoEncoder: format === 'webm' ? 'libvpx-vp9' : encoder,
    rounds: ROUNDS,
    oursSeconds,
    plainSeconds,
    oursVsPlain: oursSeconds / plainSeconds,
    roundRatios,
    medianRoundRatio: medianBy(roundRatios, (ratio) => ratio),
    runs: { ours: ours.map(seconds), plain: plain.map(seconds) },
    realtime: (SEGMENT.end_time - SEGMENT.start_time) / oursSeconds,
    command: plain[0].command,
  };
}
