import { isTerminalExportStatus } from '../contract/values.js';
import type { ExportProgress } from '../contract/exports.js';
import { VexportError } from './errors.js';
import { parseServerSentEvents } from './server-sent-events.js';
import type { Transport } from './transport.js';

export interface WatchExportOptions {
  /** Stops watching (the iteration ends quietly) and closes the connection. */
  signal?: AbortSignal | undefined;
  /** Milliseconds between progress requests when polling. */
  pollIntervalMs?: number | undefined;
  /** `auto`: Server-Sent Events, falling back to polling when the stream fails. */
  mode?: 'auto' | 'sse' | 'poll' | undefined;
}

const FATAL_STATUSES = new Set([401, 403, 404]);

function isFatal(error: unknown): boolean {
  return error instanceof VexportError && FATAL_STATUSES.has(error.status);
}

function sameProgress(a: ExportProgress | undefined, b: ExportProgress): boolean {
  return (
    a !== undefined &&
    a.progress === b.progress &&
    a.status === b.status &&
    a.current_stage === b.current_stage
  );
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

async function* streamProgress(
  transport: Transport,
  exportId: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<ExportProgress> {
  const response = await transport.send({
    method: 'GET',
    path: `/api/exports/${encodeURIComponent(exportId)}/events`,
    headers: { accept: 'text/event-stream' },
    retryable: false,
    signal,
    timeoutMs: 0,
  });
  if (!response.body) return;
  for await (const event of parseServerSentEvents(response.body)) {
    if (event.event === 'progress') yield JSON.parse(event.data) as ExportProgress;
  }
}

/**
 * Yields an export's progress as it changes until the export reaches a terminal status (the last value
 * yielded), or until `signal` aborts. Uses Server-Sent Events, and polls when the stream is unavailable.
 */
export async function* watchExport(
  transport: Transport,
  exportId: string,
  { signal, pollIntervalMs = 2_000, mode = 'auto' }: WatchExportOptions = {},
): AsyncGenerator<ExportProgress> {
  let last: ExportProgress | undefined;
  if (mode !== 'poll') {
    try {
      for await (const progress of streamProgress(transport, exportId, signal)) {
        last = progress;
        yield progress;
        if (isTerminalExportStatus(progress.status)) return;
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (mode === 'sse' || isFatal(error)) throw error;
    }
  }
  while (!signal?.aborted) {
    let progress: ExportProgress;
    try {
      progress = await transport.json<ExportProgress>({
        method: 'GET',
        path: `/api/exports/${encodeURIComponent(exportId)}/progress`,
        retryable: true,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    if (!sameProgress(last, progress)) {
      last = progress;
      yield progress;
    }
    if (isTerminalExportStatus(progress.status)) return;
    await delay(pollIntervalMs, signal);
  }
}
