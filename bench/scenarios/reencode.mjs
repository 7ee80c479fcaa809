// Scenario 2: re-encode. 1080p → 720p mp4 and 1080p → 720p webm of a 30-second segment: our whole export
// (probe, plan, ffmpeg, checks) vs the same ffmpeg command with the same encoder settings run by hand, the
// median of five runs of each.
import { plainReencode } from '../lib/baselines.mjs';
import { ourExport } from '../lib/render.mjs';
import { benchSource } from '../lib/sources.mjs';
import { medianBy } from '../lib/tools.mjs';

const ROUNDS = 5;

export async function reencode({ cacheDir, scratch }) {
  const sourcePath = await benchSource(cacheDir, 1);
  const results = {};
  for (const format of ['mp4', 'webm']) {
    const request = {
      export_type: 'single',
      resolution: '720p',
      format,
      quality_preset: 'medium',
      segment_selections: [{ start_time: 3.3, end_time: 33.3 }],
    };
    const name = `reencode-720p-${format}`;
    // one run each drifts by more than the 5 % measured here: rounds in alternating order, medians compared
    const ours = [];
    const plain = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const runOurs = async () => ours.push(await ourExport({ sourcePath, request, scratch, name }));
      const runPlain = async () => plain.push(await plainReencode({ sourcePath, request, scratch, name }));
      if (round % 2 === 0) await runOurs().then(runPlain);
      else await runPlain().then(runOurs);
    }
    const seconds = (run) => run.seconds;
    const oursSeconds = medianBy(ours, seconds).seconds;
    const plainSeconds = medianBy(plain, seconds).seconds;
    results[format] = {
      strategy: ours[0].strategy.mode,
      rounds: ROUNDS,
      oursSeconds,
      plainSeconds,
      oursVsPlain: oursSeconds / plainSeconds,
      runs: { ours: ours.map((run) => run.seconds), plain: plain.map((run) => run.seconds) },
      realtime: 30 / oursSeconds,
      command: plain[0].command,
    };
  }
  return { source: '1 min 1080p30 H.264', segmentSeconds: 30, ...results };
}
