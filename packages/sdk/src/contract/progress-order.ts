import { STAGES, isTerminalExportStatus, type EXPORT_STATUSES } from './values.js';

type Stage = (typeof STAGES)[number];
type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The share of the progress bar each stage fills: downloading 0-10, processing 10-90, uploading 90-100. */
export const STAGE_RANGES: Readonly<Record<Stage, readonly [number, number]>> = {
  queued: [0, 0],
  downloading: [0, 10],
  processing: [10, 90],
  uploading: [90, 100],
  complete: [100, 100],
};

/** The fields of a progress update that say how far the export got; the order of updates is judged on them. */
export interface ProgressPosition {
  status: ExportStatus;
  current_stage: Stage;
  progress: number;
}

/**
 * The ranks that order progress updates: stages in pipeline order, and the statuses an export passes through
 * before it ends (a terminal status is final and outranks them all). The Redis script that stores progress is
 * built from these, so the API, the workers and Redis judge an update alike.
 */
export const PROGRESS_RANKS = {
  stages: Object.fromEntries(STAGES.map((stage, index) => [stage, index])) as Readonly<Record<Stage, number>>,
  statuses: { pending: 0, processing: 1 } as Readonly<Partial<Record<ExportStatus, number>>>,
};

const statusRank = (status: ExportStatus): number =>
  PROGRESS_RANKS.statuses[status] ?? Number.POSITIVE_INFINITY;

/**
 * The stage a percentage stored without its stage lies in. A percentage on a boundary counts to the earlier
 * stage: the database copy is written after the live one, so the stage derived from it must never be ahead of
 * the stage the live progress showed at the same percentage.
 */
export function stageAtPercentage(progress: number): 'downloading' | 'processing' | 'uploading' {
  if (progress <= STAGE_RANGES.downloading[1]) return 'downloading';
  if (progress <= STAGE_RANGES.processing[1]) return 'processing';
  return 'uploading';
}

/**
 * What an export's progress becomes when `incoming` arrives while `current` is stored (or was last shown), so
 * that it only ever moves forward whatever order updates land in: undefined when `incoming` must be dropped.
 *
 * - A terminal status (completed, failed, cancelled) is final: nothing replaces it.
 * - A terminal update always lands, keeping the further of the two stages and percentages (a cancel reported
 *   from the database's coarser copy does not pull the bar back).
 * - Any other update lands only if its status, stage and percentage are each at least the current ones. A job
 *   retried after a crash starts from 0 again: its updates are dropped until it passes where the first run
 *   got, so the bar holds there meanwhile.
 */
export function advanceProgress<T extends ProgressPosition>(
  current: T | undefined,
  incoming: T,
): T | undefined {
  if (!current) return incoming;
  if (isTerminalExportStatus(current.status)) return undefined;
  const stages = PROGRESS_RANKS.stages;
  if (isTerminalExportStatus(incoming.status)) {
    return {
      ...incoming,
      current_stage:
        stages[current.current_stage] > stages[incoming.current_stage]
          ? current.current_stage
          : incoming.current_stage,
      progress: Math.max(current.progress, incoming.progress),
    };
  }
  const forward =
    statusRank(incoming.status) >= statusRank(current.status) &&
    stages[incoming.current_stage] >= stages[current.current_stage] &&
    incoming.progress >= current.progress;
  return forward ? incoming : undefined;
}
