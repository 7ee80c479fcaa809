// Scenario 2, end to end: what a user waits for. A 20-second segment of the 1080p source to 720p mp4, through
// the whole product on the throwaway services (POST with a JWT, the API, the queue, a worker, storage, the
// database) and followed over SSE until `completed`, against the same ffmpeg command run by hand, in
// alternating rounds. The worker logs where each export's time went (its `timings`): the breakdown of the
// fixed cost comes from the worker itself.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startAppStack } from '../../scripts/lib/app-stack.mjs';
import { startTestServices } from '../../scripts/lib/test-services.mjs';
import { plainReencode } from '../lib/baselines.mjs';
import { benchSource } from '../lib/sources.mjs';
import { medianBy, timed } from '../lib/tools.mjs';

const ROUNDS = 7;
const SEGMENT = { start_time: 3.3, end_time: 23.3 };
const SOURCE_KEY = 'shared/bench-1080p30-1min.mp4';

/** The median of each phase over the runs (a phase missing from a run counts as 0 ms there). */
function medianTimings(runs) {
  const phases = [...new Set(runs.flatMap((run) => Object.keys(run)))];
  return Object.fromEntries(
    phases.map((phase) => [phase, medianBy(runs, (run) => run[phase] ?? 0)[phase] ?? 0]),
  );
}

/** Creates the export and follows its progress stream; resolves when it completed. */
async function exportThroughApi(client, videoId, request) {
  const created = await client.createExport(videoId, request);
  let last;
  for await (const progress of client.watchExport(created.id, { mode: 'sse' })) last = progress;
  if (last?.status !== 'completed') throw new Error(`export ${created.id} ended ${last?.status}`);
  return created.id;
}

export async function endToEnd({ root, cacheDir, scratch, rounds = ROUNDS }) {
  const sourcePath = await benchSource(cacheDir, 1);
  const services = await startTestServices();
  const timingsById = new Map();
  const stack = await startAppStack({
    root,
    servicesEnv: services.env,
    // the worker's encoder is the one the plain command uses; its completion log line carries the timings
    env: { VIDEO_ENCODER: 'libx264', LOG_LEVEL: 'info', EXPORT_RATE_LIMIT_PER_HOUR: '100000' },
    onWorkerLine: (line) => {
      if (!line.includes('"export completed"')) return;
      const entry = JSON.parse(line);
      timingsById.set(entry.exportId, entry.timings);
    },
  });
  try {
    const { createClient } = await import(join(root, 'packages/sdk/dist/index.js'));
    const client = createClient({ baseUrl: stack.urls.api, token: stack.token });
    mkdirSync(join(stack.storageDir, 'shared'), { recursive: true });
    copyFileSync(sourcePath, join(stack.storageDir, SOURCE_KEY));
    let video = await client.registerVideo({ storage_key: SOURCE_KEY, title: 'bench' });
    while (video.status !== 'completed') {
      if (video.status === 'failed') throw new Error(`the bench source was refused: ${video.error_message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      video = await client.getVideo(video.id);
    }
    const apiRequest = {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality: 'medium',
      segments: [SEGMENT],
    };
    const plainRequest = {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'medium',
      segment_selections: [SEGMENT],
    };
    const runThroughApi = async () => {
      const { seconds, result: id } = await timed(() => exportThroughApi(client, video.id, apiRequest));
      return { seconds, id };
    };
    const runPlain = () =>
      plainReencode({ sourcePath, request: plainRequest, scratch, name: 'end-to-end-720p-mp4' });
    // unmeasured: the first export of a fresh worker and API pays for code compiled and connections opened
    await runThroughApi();
    const ours = [];
    const plain = [];
    for (let round = 0; round < rounds; round += 1) {
      if (round % 2 === 0) {
        ours.push(await runThroughApi());
        plain.push(await runPlain());
      } else {
        plain.push(await runPlain());
        ours.push(await runThroughApi());
      }
    }
    const seconds = (run) => run.seconds;
    const oursSeconds = medianBy(ours, seconds).seconds;
    const plainSeconds = medianBy(plain, seconds).seconds;
    const roundRatios = ours.map((run, round) => run.seconds / plain[round].seconds);
    const roundFixedSeconds = ours.map((run, round) => run.seconds - plain[round].seconds);
    const timings = ours.map((run) => timingsById.get(run.id) ?? {});
    const outsideEncode = timings.map((run) => (run.total ?? 0) - (run.encode ?? 0));
    return {
      source: '1 min 1080p30 H.264',
      segmentSeconds: SEGMENT.end_time - SEGMENT.start_time,
      request: apiRequest,
      rounds,
      oursSeconds,
      plainSeconds,
      oursVsPlain: oursSeconds / plainSeconds,
      medianRoundRatio: medianBy(roundRatios, (ratio) => ratio),
      medianFixedSeconds: medianBy(roundFixedSeconds, (value) => value),
      roundRatios,
      runs: { ours: ours.map(seconds), plain: plain.map(seconds) },
      workerTimingsMs: medianTimings(timings),
      // each run's own total minus its own encode (a difference of medians would mix runs)
      medianOutsideEncodeMs: medianBy(outsideEncode, (ms) => ms),
      workerTimingsMsByRun: timings,
      command: plain[0].command,
    };
  } finally {
    await stack.stop();
    await services.stop();
  }
}
