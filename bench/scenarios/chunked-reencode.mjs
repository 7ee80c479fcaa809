// Scenario 7: one export across many workers. A 5-minute 1080p HEVC source (a phone's codec) re-encoded to
// 1080p mp4 high and to 1080p webm medium through the whole product (API, queue, workers, storage), each
// worker pinned to one core with taskset to stand for a machine: one worker (today's single-worker export),
// then two workers taking the chunks of one chunked export. Reports wall times, the speed-up and
// efficiency, the join's cost, the outputs compared (frames, decode errors, PSNR against the source), and
// the model (bench/lib/chunk-model.mjs) fitted on the pieces' own timings, checked against both runs and
// extrapolated to 4, 8 and 16 workers.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startAppStack } from '../../scripts/lib/app-stack.mjs';
import { startTestServices } from '../../scripts/lib/test-services.mjs';
import { predictWallSeconds } from '../lib/chunk-model.mjs';
import { benchHevcSource } from '../lib/sources.mjs';
import { decodeErrors, runCommand, timed, videoFrameCount } from '../lib/tools.mjs';

const SOURCE_KEY = 'shared/bench-1080p30-hevc.mp4';
/** The planner's default chunk length range is 10–30 s; the model uses the chunks it measured. */
const EXTRAPOLATE_TO = [4, 8, 16];
const LONG_EXPORT_SECONDS = 30 * 60;

const REQUESTS = {
  mp4: { resolution: '1080p', format: 'mp4', quality_preset: 'high' },
  webm: { resolution: '1080p', format: 'webm', quality_preset: 'medium' },
};

/** The mean PSNR (dB) of `path` against the source, frame by frame (both 1080p). */
async function psnrAgainst(path, sourcePath) {
  const { stderr } = await runCommand('ffmpeg', [
    ...['-hide_banner', '-i', path, '-i', sourcePath],
    ...['-lavfi', '[0:v][1:v]psnr', '-f', 'null', '-'],
  ]);
  const average = /average:([\d.]+|inf)/.exec(stderr)?.[1];
  return average === 'inf' ? Infinity : Number(average);
}

/**
 * Runs the stack with `cores.length` workers, worker k pinned to core cores[k], exports `request` once and
 * resolves to the wall time, the saved file, and the workers' log lines about the export.
 */
async function exportOnWorkers({ root, services, sourcePath, scratch, cores, chunked, request, label }) {
  const lines = [];
  let started = 0;
  const stack = await startAppStack({
    root,
    servicesEnv: services.env,
    env: {
      VIDEO_ENCODER: 'libx264',
      LOG_LEVEL: 'info',
      EXPORT_CONCURRENCY: '1',
      CHUNK_CONCURRENCY: '1',
      CHUNKED_EXPORTS: chunked ? 'true' : 'false',
      EXPORT_TIMEOUT_MINUTES: '120',
    },
    workerCommand: (command, args) => [
      'taskset',
      ['-c', String(cores[started++ % cores.length]), command, ...args],
    ],
    onWorkerLine: (line) => {
      if (line.startsWith('{')) lines.push(JSON.parse(line));
    },
  });
  try {
    while (stack.workers.length < cores.length) stack.startWorker();
    const { createClient } = await import(join(root, 'packages/sdk/dist/index.js'));
    const client = createClient({ baseUrl: stack.urls.api, token: stack.token });
    mkdirSync(join(stack.storageDir, 'shared'), { recursive: true });
    copyFileSync(sourcePath, join(stack.storageDir, SOURCE_KEY));
    let video = await client.registerVideo({ storage_key: SOURCE_KEY, title: 'bench hevc' });
    while (video.status !== 'completed') {
      if (video.status === 'failed') throw new Error(`the bench source was refused: ${video.error_message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      video = await client.getVideo(video.id);
    }
    // every worker has announced itself before the export is planned (the planner counts live workers)
    for (;;) {
      const health = await (await fetch(`${stack.urls.api}/healthz`)).json();
      if (health.workers.length >= cores.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const segment = { start_time: 0, end_time: video.duration_seconds };
    const { seconds, result: exportId } = await timed(async () => {
      const created = await client.createExport(video.id, {
        export_type: 'single',
        ...request,
        segment_selections: [segment],
      });
      let last;
      for await (const progress of client.watchExport(created.id, { mode: 'sse' })) last = progress;
      if (last?.status !== 'completed') throw new Error(`${label}: export ended ${last?.status}`);
      return created.id;
    });
    const file = join(scratch, `${label}.${request.format}`);
    await client.saveExport(exportId, file);
    return {
      seconds,
      file,
      outputSeconds: segment.end_time - segment.start_time,
      lines: lines.filter((line) => line.exportId === exportId),
    };
  } finally {
    await stack.stop();
  }
}

/** What the pieces' own log lines say: encode seconds per chunk, the audio's, the join's. */
function pieceTimings(lines) {
  const done = lines.filter((line) => line.msg === 'piece done');
  const chunks = done.filter((line) => String(line.piece).startsWith('chunk-'));
  const audio = done.find((line) => line.piece === 'audio');
  const join = done.find((line) => line.piece === 'join');
  return {
    chunks: chunks.map((line) => ({
      piece: line.piece,
      seconds: line.ms / 1000,
      mediaSeconds: line.mediaSeconds,
    })),
    audioSeconds: audio ? audio.ms / 1000 : 0,
    joinSeconds: join ? join.ms / 1000 : undefined,
    workers: new Set(chunks.map((line) => line.worker)).size,
  };
}

/** The encode's seconds in a single-worker export's completion log line (its `timings`). */
function encodeSecondsOf(lines) {
  const completed = lines.find((line) => line.msg === 'export completed');
  if (!completed?.timings?.encode) throw new Error('the export logged no timings');
  return completed.timings.encode / 1000;
}

async function compareOutputs(single, chunked, sourcePath) {
  const [singleFrames, chunkedFrames, singleErrors, chunkedErrors, singlePsnr, chunkedPsnr] =
    await Promise.all([
      videoFrameCount(single.file),
      videoFrameCount(chunked.file),
      decodeErrors(single.file),
      decodeErrors(chunked.file),
      psnrAgainst(single.file, sourcePath),
      psnrAgainst(chunked.file, sourcePath),
    ]);
  return {
    frames: { single: singleFrames, chunked: chunkedFrames, identical: singleFrames === chunkedFrames },
    decodeErrors: { single: singleErrors, chunked: chunkedErrors },
    psnrDb: { single: singlePsnr, chunked: chunkedPsnr, difference: chunkedPsnr - singlePsnr },
  };
}

export async function chunkedReencode({ root, cacheDir, scratch, minutes = 5 }) {
  const sourcePath = await benchHevcSource(cacheDir, minutes);
  const services = await startTestServices();
  const results = {
    source: `${minutes} min 1080p30 HEVC (x265, 1-second GOP) + AAC`,
    cores: 'one per worker',
  };
  try {
    for (const [format, request] of Object.entries(REQUESTS)) {
      const common = { root, services, sourcePath, scratch, request };
      const one = await exportOnWorkers({
        ...common,
        cores: [0],
        chunked: false,
        label: `${format}-1-worker`,
      });
      const two = await exportOnWorkers({
        ...common,
        cores: [0, 1],
        chunked: true,
        label: `${format}-2-workers`,
      });
      // a two-core machine's throughput, for the extrapolation: one worker on both cores, not chunked
      const twoCore = await exportOnWorkers({
        ...common,
        cores: ['0,1'],
        chunked: false,
        label: `${format}-2-cores`,
      });
      const pieces = pieceTimings(two.lines);
      const encodeSeconds = pieces.chunks.reduce((sum, chunk) => sum + chunk.seconds, 0);
      const chunkMedia = pieces.chunks.reduce((sum, chunk) => sum + chunk.mediaSeconds, 0);
      // one single-core worker's throughput, measured on the pieces (output seconds per wall second)
      const throughput = chunkMedia / encodeSeconds;
      const chunkSeconds = chunkMedia / Math.max(1, pieces.chunks.length);
      // what is not encoding, from the one-worker export's own timings: pick-up, probe, checks, upload, the
      // record, progress, the API and SSE (the client's time minus the worker's encode)
      const fixed = one.seconds - encodeSecondsOf(one.lines);
      const joinPerOutputSecond = (pieces.joinSeconds ?? 0) / two.outputSeconds;
      const model = {
        throughput,
        chunkSeconds,
        fixed,
        joinPerOutputSecond,
        audioSeconds: pieces.audioSeconds,
      };
      const predictedOne = fixed + one.outputSeconds / throughput;
      const twoCoreThroughput = twoCore.outputSeconds / Math.max(1, twoCore.seconds - fixed);
      const predictedTwo = predictWallSeconds({ ...model, outputSeconds: two.outputSeconds, workers: 2 });
      results[format] = {
        request,
        oneWorkerSeconds: one.seconds,
        oneTwoCoreWorkerSeconds: twoCore.seconds,
        twoWorkersSeconds: two.seconds,
        speedUp: one.seconds / two.seconds,
        efficiency: one.seconds / two.seconds / 2,
        realtime: { one: one.outputSeconds / one.seconds, two: two.outputSeconds / two.seconds },
        pieces,
        joinSeconds: pieces.joinSeconds,
        output: await compareOutputs(one, two, sourcePath),
        model: {
          ...model,
          predictedOneSeconds: predictedOne,
          predictedTwoSeconds: predictedTwo,
          errorOne: predictedOne / one.seconds - 1,
          errorTwo: predictedTwo / two.seconds - 1,
          twoCoreThroughput,
          // on paper: single-core workers, then two-core workers (the throughput of one measured on both
          // cores, the same fixed costs)
          thirtyMinutes: Object.fromEntries(
            EXTRAPOLATE_TO.map((workers) => [
              workers,
              {
                singleCoreWorkersSeconds: predictWallSeconds({
                  ...model,
                  outputSeconds: LONG_EXPORT_SECONDS,
                  workers,
                }),
                twoCoreWorkersSeconds: predictWallSeconds({
                  ...model,
                  throughput: twoCoreThroughput,
                  outputSeconds: LONG_EXPORT_SECONDS,
                  workers,
                }),
              },
            ]),
          ),
        },
      };
    }
    return results;
  } finally {
    await services.stop();
  }
}
