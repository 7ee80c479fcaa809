import type { ExportAttributes as ExportRecord } from '@vexport/db';
import type { Export, ExportProgress, ExportStatus } from '@vexport/sdk';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** An export record as the API returns it: `output_url` only once the export completed. */
export function toExportResponse(record: ExportRecord): Export {
  return {
    id: record.id,
    video_id: record.video_id,
    user_id: record.user_id,
    export_type: record.export_type,
    resolution: record.resolution,
    format: record.format,
    quality_preset: record.quality_preset,
    status: record.status,
    progress_percentage: record.progress_percentage,
    segment_selections: record.segment_selections,
    total_duration_seconds: record.total_duration_seconds,
    output_s3_key: record.output_s3_key,
    output_url: record.status === 'completed' ? record.output_url : null,
    file_size_bytes: record.file_size_bytes,
    error_message: record.error_message,
    created_at: record.created_at.toISOString(),
    updated_at: record.updated_at.toISOString(),
    started_at: iso(record.started_at),
    completed_at: iso(record.completed_at),
  };
}

/** Progress as the database knows it, for when Redis holds none (not started yet, expired, or Redis down). */
export function progressFromRecord(record: ExportRecord, now = Date.now()): ExportProgress {
  const started = record.started_at?.getTime();
  const ended = record.completed_at?.getTime() ?? now;
  const elapsed = started === undefined ? 0 : Math.max(0, (ended - started) / 1000);
  const stageByStatus = {
    pending: 'queued',
    processing: 'processing',
    completed: 'complete',
    failed: started === undefined ? 'queued' : 'processing',
    cancelled: started === undefined ? 'queued' : 'processing',
  } as const;
  return {
    progress: record.status === 'completed' ? 100 : record.progress_percentage,
    status: record.status,
    current_stage: stageByStatus[record.status as ExportStatus],
    estimated_time_remaining: record.status === 'completed' ? 0 : null,
    elapsed_time: Math.round(elapsed * 10) / 10,
    updated_at: record.updated_at.toISOString(),
  };
}
