import type { ExportAttributes as ExportRecord } from '@vexport/db';
import { stageAtPercentage, type Export, type ExportProgress, type Stage } from '@vexport/sdk';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Seconds rounded up to a whole second, after rounding to the millisecond: a sum of segment lengths such as
 * 2.0000000000000004 is two seconds, not three.
 */
const wholeSecondsUp = (seconds: number) => Math.ceil(Math.round(seconds * 1000) / 1000);

/**
 * An export record as the API returns it: `output_url` only once the export completed; the stored exact
 * duration as `total_duration`, and as the specification's integer `total_duration_seconds`.
 */
export function toExportResponse(record: ExportRecord): Export {
  return {
    id: record.id,
    video_id: record.video_id,
    user_id: record.user_id,
    export_type: record.export_type,
    resolution: record.resolution,
    format: record.format,
    quality_preset: record.quality_preset,
    framing: record.framing,
    framing_fit: record.framing_fit,
    loudness_lufs: record.loudness_lufs,
    status: record.status,
    progress_percentage: record.progress_percentage,
    segment_selections: record.segment_selections,
    total_duration_seconds: wholeSecondsUp(record.total_duration_seconds),
    total_duration: record.total_duration_seconds,
    output_s3_key: record.output_s3_key,
    output_url: record.status === 'completed' ? record.output_url : null,
    file_size_bytes: record.file_size_bytes,
    upscaled: record.upscaled,
    error_message: record.error_message,
    created_at: record.created_at.toISOString(),
    updated_at: record.updated_at.toISOString(),
    started_at: iso(record.started_at),
    completed_at: iso(record.completed_at),
  };
}

/**
 * The stage the record was in, which it does not store: a worker that took the export starts by downloading,
 * and from then on its stored percentage says which stage it reached (a hand-over back to `pending` keeps it).
 * Never ahead of the stage the worker published live at the same moment, so the first live update moves on.
 */
function stageOfRecord(record: ExportRecord): Stage {
  if (record.status === 'completed') return 'complete';
  if (record.started_at === null && record.progress_percentage === 0) return 'queued';
  return stageAtPercentage(record.progress_percentage);
}

/** Progress as the database knows it, for when Redis holds none (not started yet, expired, or Redis down). */
export function progressFromRecord(record: ExportRecord, now = Date.now()): ExportProgress {
  const started = record.started_at?.getTime();
  const ended = record.completed_at?.getTime() ?? now;
  const elapsed = started === undefined ? 0 : Math.max(0, (ended - started) / 1000);
  return {
    progress: record.status === 'completed' ? 100 : record.progress_percentage,
    status: record.status,
    current_stage: stageOfRecord(record),
    estimated_time_remaining: record.status === 'completed' ? 0 : null,
    elapsed_time: Math.round(elapsed * 10) / 10,
    updated_at: record.updated_at.toISOString(),
  };
}
