// Scenario 2: re-encode. 1080p → 720p mp4 and 1080p → 720p webm of a 30-second segment: our whole export
// (probe, plan, ffmpeg, checks) vs the same ffmpeg command with the same encoder settings run by hand.
import { plainReencode } from '../lib/baselines.mjs';
import { ourExport } from '../lib/render.mjs';
import { benchSource } from '../lib/sources.mjs';

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
    const ours = await ourExport({ sourcePath, request, scratch, name });
    const plain = await plainReencode({ sourcePath, request, scratch, name });
    results[format] = {
      strategy: ours.strategy.mode,
      oursSeconds: ours.seconds,
      plainSeconds: plain.seconds,
      oursVsPlain: ours.seconds / plain.seconds,
      realtime: 30 / ours.seconds,
      command: plain.command,
    };
  }
  return { source: '1 min 1080p30 H.264', segmentSeconds: 30, ...results };
}
