import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ExportChunkPiece } from '@vexport/sdk';
import type { ObjectStorage } from '@vexport/storage';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.js';
import { planChunkSteps, type ChunkSteps } from '../media/plan-chunk-steps.js';
import { planExport, type ExportPlan, type FfmpegStep } from '../media/plan-export.js';
import type { ChunkSpec } from './chunk-state.js';
import { PermanentJobError } from './job-errors.js';
import { deliveryProblems, type RenderTools } from './render-export.js';
import { withRetries } from './with-retries.js';

/** Where a chunked export's pieces are kept until the join: inside the export's own folder. */
export function partsPrefix(userId: string, exportId: string): string {
  return `exports/${userId}/${exportId}/parts/`;
}

/** What a piece's run needs besides the spec. */
export interface PieceRun {
  storage: ObjectStorage;
  tools: RenderTools;
  signal: AbortSignal;
  uploadAttempts: number;
  uploadBackoffMs: number;
}

/**
 * The single-worker plan of the same export in `dir`: where the deliverable goes, what it is called, and
 * what the delivery check expects of it (the pieces' join must pass the same check).
 */
function singleWorkerPlan(spec: ChunkSpec, dir: string): ExportPlan {
  return planExport({
    probe: spec.probe,
    request: spec.request,
    sourcePath: 'source',
    workDir: dir,
    encoder: spec.encoder,
    outputName: spec.outputName,
  });
}

/** The chunk steps of the export, writing into `dir`, reading the source at `sourcePath`. */
function chunkSteps(spec: ChunkSpec, sourcePath: string, dir: string): ChunkSteps & { outputPath: string } {
  const outputPath = singleWorkerPlan(spec, dir).deliverable.path;
  const label = spec.request.export_type === 'single' ? 'segment' : 'segments joined';
  const steps = planChunkSteps({
    plan: spec.plan,
    probe: spec.probe,
    request: spec.request,
    encoder: spec.encoder,
    sourcePath,
    outputPath,
    label,
  });
  return { ...steps, outputPath };
}

/** The step that encodes `piece` (a video chunk or the audio). */
function pieceStep(steps: ChunkSteps, spec: ChunkSpec, piece: ExportChunkPiece): FfmpegStep {
  const position = piece === 'audio' ? spec.plan.chunks.length : Number(piece.slice('chunk-'.length));
  const step = piece === 'join' ? undefined : steps.steps[position];
  if (!step) throw new PermanentJobError(`The export has no part called ${piece}.`);
  return step;
}

/**
 * The storage key of a piece's file, in its split's folder: a piece still running from an earlier split of
 * the export (see ChunkSpec.splitId) never overwrites or deletes this split's file.
 */
function partKey(prefix: string, spec: ChunkSpec, piece: ExportChunkPiece, step: FfmpegStep): string {
  return `${prefix}${spec.splitId}/${piece}${extname(step.outputPath)}`;
}

async function upload(run: PieceRun, key: string, filePath: string, contentType?: string) {
  return withRetries(() => run.storage.put(key, { filePath }, { contentType, signal: run.signal }), {
    attempts: run.uploadAttempts,
    baseDelayMs: run.uploadBackoffMs,
    signal: run.signal,
  });
}

/**
 * Encodes one piece (a video chunk or the audio) from the source at `sourcePath` into `dir`, and stores it
 * under the export's parts. `onProgress` gets the fraction of the piece done.
 */
export async function encodePiece(
  spec: ChunkSpec,
  piece: ExportChunkPiece,
  {
    sourcePath,
    dir,
    prefix,
    onProgress,
  }: { sourcePath: string; dir: string; prefix: string; onProgress: (fraction: number) => void },
  run: PieceRun,
): Promise<string> {
  const step = pieceStep(chunkSteps(spec, sourcePath, dir), spec, piece);
  const seconds =
    piece === 'audio'
      ? (spec.plan.audio?.seconds ?? 1)
      : spec.plan.chunks[Number(piece.slice('chunk-'.length))]!.duration;
  await mkdir(dirname(step.outputPath), { recursive: true });
  await runFfmpeg(step.args, {
    ffmpegPath: run.tools.ffmpegPath,
    signal: run.signal,
    memoryLimitBytes: run.tools.memoryLimitBytes,
    onProgress: ({ outTimeSeconds }) => onProgress(Math.min(1, outTimeSeconds / seconds)),
  });
  const key = partKey(prefix, spec, piece, step);
  await upload(run, key, step.outputPath);
  return key;
}

/**
 * Assembles the stored pieces in `dir` (each downloaded to where the join reads it), joins them without
 * re-encoding, checks the result as the single-worker export's is checked, and stores it under the
 * export's folder. Resolves to what the record says of the delivered file.
 */
export async function joinPieces(
  spec: ChunkSpec,
  { dir, prefix, outputPrefix }: { dir: string; prefix: string; outputPrefix: string },
  run: PieceRun,
): Promise<{ key: string; size: number; upscaled: boolean }> {
  const single = singleWorkerPlan(spec, dir);
  const steps = chunkSteps(spec, join(dir, 'source'), dir);
  for (const piece of Object.keys(spec.weights) as ExportChunkPiece[]) {
    const step = pieceStep(steps, spec, piece);
    await pipeline(
      await run.storage.get(partKey(prefix, spec, piece, step), { signal: run.signal }),
      createWriteStream(step.outputPath),
      { signal: run.signal },
    );
  }
  for (const file of steps.prepared) await writeFile(file.path, file.contents);
  const joinStep = steps.steps.at(-1)!;
  await runFfmpeg(joinStep.args, {
    ffmpegPath: run.tools.ffmpegPath,
    signal: run.signal,
    memoryLimitBytes: run.tools.memoryLimitBytes,
  });
  const problems = await deliveryProblems(single, spec.probe, new Map(), run.tools, run.signal);
  if (problems.length > 0)
    throw new PermanentJobError('The exported file did not come out as asked, so it was not delivered.', {
      cause: new Error(problems.join('; ')),
    });
  const key = `${outputPrefix}${single.deliverable.fileName}`;
  const { size } = await upload(run, key, single.deliverable.path, single.deliverable.contentType).catch(
    (error: unknown) => {
      if (run.signal.aborted) throw error;
      throw new PermanentJobError(
        `The finished file could not be saved to storage (${run.uploadAttempts} tries). Try again later.`,
        { cause: error },
      );
    },
  );
  return { key, size, upscaled: single.upscaled };
}
