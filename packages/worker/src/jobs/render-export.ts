import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { cutOutputProblems } from '../ffmpeg/cut-checks.js';
import { probeFile, probeSource } from '../ffmpeg/ffprobe.js';
import { probeWithExtents, readStreamExtents } from '../ffmpeg/read-stream-extents.js';
import { filesPassed, openFilePaths } from '../ffmpeg/open-files.js';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.js';
import type { H264Encoder } from '../media/encoding.js';
import {
  isIdrKeyframe,
  isIdrKeyframeSample,
  readVideoPacketIndex,
  type VideoPacketIndex,
} from '../media/keyframes.js';
import type { MediaProbe } from '../media/media-probe.js';
import { SEEK_PAST_KEYFRAME_SECONDS } from '../media/ffmpeg-arguments.js';
import { alignSegmentsToKeyframes, type CutAlignment } from '../media/plan-copy.js';
import {
  copyBlockersFor,
  planExport,
  type ExportPlan,
  type ExportRequest,
  type FfmpegStep,
} from '../media/plan-export.js';
import { outputMismatches } from '../media/verify-output.js';
import { forEachConcurrently } from './for-each-concurrently.js';
import { PermanentJobError } from './job-errors.js';
import type { PhaseTimings } from './phase-timings.js';
import { runSteps } from './run-steps.js';

export interface RenderTools {
  ffmpegPath: string;
  ffprobePath: string;
  encoder: H264Encoder;
  memoryLimitBytes: number;
}

export interface RenderInput {
  sourcePath: string;
  request: ExportRequest;
  /** The job's folder: every file is written inside it. */
  workDir: string;
  /** Base of the deliverable's file name, without extension. */
  outputName: string;
  tools: RenderTools;
  logger: Logger;
  signal: AbortSignal;
  /** The fraction of the media work done, rising from 0 to 1. */
  onProgress?: (fraction: number) => void;
  /** Collects the time of each phase (probe, keyframes, encode, checks), when given. */
  timings?: PhaseTimings;
}

/**
 * Turns a local source into the export's files (not yet zipped or uploaded): probes it, plans (copy, smart
 * cut or re-encode), runs the plan's ffmpeg steps, checks copied and smart-cut files before trusting them
 * (re-encoding instead when a check fails) and checks every file against the plan with ffprobe. Resolves
 * to the plan that produced the files.
 */
export async function renderExport(input: RenderInput): Promise<ExportPlan> {
  const { sourcePath, request, workDir, outputName, tools, logger, signal } = input;
  const time = <T>(phase: string, work: () => Promise<T>) =>
    input.timings ? input.timings.time(phase, work) : work();
  const probe = await time('probe', () => probeSource(tools, sourcePath, signal));
  // a variable rate's segments start with the picture on screen at their start, found among its frames
  const frameTimes = probe.video.variableFrameRate
    ? relativeFrameTimes(
        await time('keyframes', () => readVideoPacketIndex(tools.ffprobePath, sourcePath, signal)),
        probe,
      )
    : undefined;
  const planFor = (keyframeAlignment: CutAlignment | string | undefined) =>
    planExport({
      probe,
      request,
      sourcePath,
      workDir,
      encoder: tools.encoder,
      keyframeAlignment,
      outputName,
      frameTimes,
    });
  const keyframes = await time('keyframes', () =>
    copyableKeyframes(request, probe, sourcePath, tools, signal),
  );
  const alignment =
    keyframes &&
    alignSegmentsToKeyframes(request.segment_selections, keyframes, probe, {
      reencodeAllowed: probe.video.codec === 'h264',
    });
  let plan = planFor(alignment);
  let reached: number;
  const copiesH264 =
    typeof alignment === 'object' && probe.video.codec === 'h264' && plan.strategy.mode !== 'reencode';
  if (copiesH264) {
    // the IDR checks of the copied runs go beside the plan's first steps instead of delaying them all
    const outcome = await time('encode', () =>
      runPlanUnlessRefused(
        plan,
        input,
        nonIdrCopyBoundary(alignment, keyframes!, probe, sourcePath, tools, signal),
      ),
    );
    reached = outcome.reached;
    if (outcome.refusal !== undefined) {
      plan = planFor(outcome.refusal);
      reached = await time('encode', () => runPlan(plan, input, reached));
    }
  } else {
    reached = await time('encode', () => runPlan(plan, input, 0));
  }
  // a file the cut checks probed is not probed again for the check of every file below
  let probes = new Map<string, MediaProbe>();
  if (plan.strategy.mode !== 'reencode') {
    const checked = await time('checks', () => cutProblems(plan, sourcePath, tools, signal));
    if (checked.problems.length > 0) {
      logger.warn({ problems: checked.problems }, 'the cut output failed its checks; re-encoding');
      plan = planFor(`the copied cut did not pass its checks (${checked.problems[0]})`);
      await time('encode', () => runPlan(plan, input, reached));
    } else probes = checked.probes;
  }
  let problems = await time('checks', () => deliveryProblems(plan, probe, probes, tools, signal));
  if (problems.length > 0 && plan.strategy.mode !== 'reencode') {
    logger.warn({ problems }, 'the cut output failed its delivery check; re-encoding');
    plan = planFor(`the copied cut did not pass its checks (${problems[0]})`);
    await time('encode', () => runPlan(plan, input, reached));
    problems = await time('checks', () => deliveryProblems(plan, probe, new Map(), tools, signal));
  }
  if (problems.length > 0) {
    logger.error({ problems }, 'export output check failed');
    throw new PermanentJobError('The exported file did not come out as asked, so it was not delivered.');
  }
  return plan;
}

/** The index's frame times counted from the file's start, as `-ss` counts. */
function relativeFrameTimes(index: VideoPacketIndex, probe: MediaProbe): Float64Array {
  return index.frameTimes.map((time) => time - probe.startTime);
}

/**
 * What is wrong with the plan's files (each named), stream by stream (see outputMismatches); empty when every
 * file is as asked. `probes` holds files already probed.
 */
export async function deliveryProblems(
  plan: ExportPlan,
  source: MediaProbe,
  probes: ReadonlyMap<string, MediaProbe>,
  tools: RenderTools,
  signal: AbortSignal,
): Promise<string[]> {
  const problems: string[] = [];
  for (const file of plan.files) {
    const probed = probes.get(file.path);
    const { probe: produced, extents } = probed
      ? { probe: probed, extents: await readStreamExtents(tools.ffprobePath, file.path, signal) }
      : await probeWithExtents(tools.ffprobePath, file.path, signal);
    const expected = { ...plan.target, frameRate: source.video.frameRate };
    problems.push(
      ...outputMismatches(produced, extents, file, expected).map((problem) => `${file.name}: ${problem}`),
    );
  }
  return problems;
}

/**
 * The source's keyframes, read when nothing else rules out copying the video (undefined when something
 * does).
 */
async function copyableKeyframes(
  request: ExportRequest,
  probe: MediaProbe,
  sourcePath: string,
  tools: RenderTools,
  signal: AbortSignal,
): Promise<VideoPacketIndex | undefined> {
  if (copyBlockersFor(probe, request).length > 0) return undefined;
  return readVideoPacketIndex(tools.ffprobePath, sourcePath, signal);
}

/**
 * Checks that every copied H.264 run starts and ends on an IDR frame; resolves to why not (the first
 * keyframe that is not one), or undefined when all are.
 */
async function nonIdrCopyBoundary(
  alignment: CutAlignment,
  keyframes: VideoPacketIndex,
  probe: MediaProbe,
  sourcePath: string,
  tools: RenderTools,
  signal: AbortSignal,
): Promise<string | undefined> {
  const notIdr: number[] = [];
  await forEachConcurrently(alignment.copyBoundaries, IDR_CHECKS_AT_ONCE, async (time) => {
    const seekTo = time - probe.startTime + SEEK_PAST_KEYFRAME_SECONDS;
    const idr =
      (await isIdrKeyframeSample(sourcePath, keyframes, time)) ??
      (await isIdrKeyframe(tools.ffmpegPath, sourcePath, seekTo, signal));
    if (!idr) notIdr.push(time);
  });
  if (notIdr.length === 0) return undefined;
  const first = Math.min(...notIdr) - probe.startTime;
  return `the keyframe at ${first.toFixed(3)} s is not an IDR frame (open GOP)`;
}

/**
 * Runs a copy plan while `refusal` (a check of the source it relies on) is still being worked out. If the
 * check refuses, the plan is stopped and what it wrote removed; resolves to the progress reached and the
 * refusal, if any.
 */
async function runPlanUnlessRefused(
  plan: ExportPlan,
  input: RenderInput,
  refusal: Promise<string | undefined>,
): Promise<{ reached: number; refusal?: string }> {
  const stopPlan = new AbortController();
  const stop = () => stopPlan.abort(input.signal.reason);
  input.signal.addEventListener('abort', stop, { once: true });
  let reported = 0;
  const running = runPlan(
    plan,
    {
      ...input,
      signal: stopPlan.signal,
      onProgress: (fraction) => {
        reported = fraction;
        input.onProgress?.(fraction);
      },
    },
    0,
  );
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  try {
    let reason: string | undefined;
    try {
      reason = await refusal;
    } catch (error) {
      stopPlan.abort(error);
      await settled;
      throw error;
    }
    if (reason === undefined) return { reached: await running };
    input.logger.info({ reason }, 'the source does not allow the copy; stopping it to re-encode');
    stopPlan.abort(new Error(reason));
    await settled;
    await removeScratch(plan);
    await Promise.all(plan.files.map((file) => rm(file.path, { force: true })));
    return { reached: reported, refusal: reason };
  } finally {
    input.signal.removeEventListener('abort', stop);
  }
}

/**
 * Each IDR check reads a few NAL unit headers of one sample, or where the index does not locate it, one
 * packet through ffmpeg (mostly process start-up): several run at once.
 */
const IDR_CHECKS_AT_ONCE = 4;

/**
 * Runs a plan's ffmpeg steps, reporting progress from `from` (a fraction already reached) up to 1, and
 * removes the intermediate files once joined. Resolves to the fraction reached.
 */
async function runPlan(plan: ExportPlan, input: RenderInput, from: number): Promise<number> {
  const { tools, logger, signal, onProgress } = input;
  for (const file of plan.prepared) await writeFile(file.path, file.contents);
  logger.info(
    { strategy: plan.strategy, steps: plan.steps.length, encoder: tools.encoder },
    'export planned',
  );
  const report = (done: number) => from + (1 - from) * (done / plan.totalMediaSeconds);
  let doneSeconds = 0;
  const run = async (step: FfmpegStep, live: boolean) => {
    await mkdir(dirname(step.outputPath), { recursive: true });
    let stopReleasing = () => {};
    await runFfmpeg(step.args, {
      ffmpegPath: tools.ffmpegPath,
      signal,
      memoryLimitBytes: tools.memoryLimitBytes,
      onStarted: (pid) => (stopReleasing = releaseInputsAsRead(step, pid, logger)),
      onProgress: ({ outTimeSeconds }) => {
        if (live) onProgress?.(report(doneSeconds + Math.min(outTimeSeconds, step.mediaSeconds)));
      },
    }).finally(() => stopReleasing());
    doneSeconds += step.mediaSeconds;
    onProgress?.(report(doneSeconds));
  };
  // a step that runs alone reports its progress as it goes; the others, which share the cores, when done
  await runSteps(plan.steps, STEPS_AT_ONCE, (step) => run(step, !step.independent));
  await removeScratch(plan);
  return report(doneSeconds);
}

/** Removes the plan's intermediate files and the lists it prepared for ffmpeg. */
async function removeScratch(plan: ExportPlan): Promise<void> {
  const paths = [...plan.intermediates, ...plan.prepared.map((file) => file.path)];
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}

/** Milliseconds between looks at which pieces a join has open (a join copies about 5 MB in that time here). */
const RELEASE_CHECK_MS = 25;

/**
 * While a step runs, deletes the inputs it has finished reading (see FfmpegStep.releasesInputs), looking at
 * which it has open every RELEASE_CHECK_MS. Returns the function that stops looking. Whatever is left is
 * removed with the intermediates.
 */
function releaseInputsAsRead(step: FfmpegStep, pid: number, logger: Logger): () => void {
  const pending = [...(step.releasesInputs ?? [])];
  if (pending.length < 2) return () => {};
  let looking = false;
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    void openFilePaths(pid)
      .then((open) => {
        for (const path of filesPassed(pending, open)) {
          pending.splice(pending.indexOf(path), 1);
          rm(path, { force: true }).catch((error: unknown) =>
            logger.warn({ err: error, path }, 'could not delete a joined piece early; it goes at the end'),
          );
        }
      })
      .finally(() => (looking = false));
  }, RELEASE_CHECK_MS);
  return () => clearInterval(timer);
}

/** Clips' files are checked two at a time. */
const FILES_CHECKED_AT_ONCE = 2;

/** Independent ffmpeg steps (the pieces of a cut and their joins: a core each) run two at a time. */
const STEPS_AT_ONCE = 2;

/**
 * What the checks of each copied or smart-cut file found wrong (empty when nothing), with the probes of the
 * files they read.
 */
async function cutProblems(
  plan: ExportPlan,
  sourcePath: string,
  tools: RenderTools,
  signal: AbortSignal,
): Promise<{ problems: string[]; probes: Map<string, MediaProbe> }> {
  const problems: string[] = [];
  const probes = new Map<string, MediaProbe>();
  // a file's checks are short ffmpeg runs, most of their time process start-up: two files at a time
  await forEachConcurrently(plan.files, FILES_CHECKED_AT_ONCE, async (file) => {
    if (!file.cut) return;
    const probe = await probeFile(tools.ffprobePath, file.path, signal);
    probes.set(file.path, probe);
    const found = await cutOutputProblems(file.path, probe, sourcePath, file.cut, { ...tools, signal });
    problems.push(...found.map((problem) => `${file.name}: ${problem}`));
  });
  return { problems: problems.sort(), probes };
}
