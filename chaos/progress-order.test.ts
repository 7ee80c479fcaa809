import { STAGES, parseServerSentEvents, type ExportProgress, type ExportType } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';

const STATUS_ORDER: Record<ExportProgress['status'], number> = {
  pending: 0,
  processing: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
};

const describeProgress = ({ status, current_stage, progress }: ExportProgress) =>
  `${status}/${current_stage} ${progress}`;

/** Every place where `seen` steps back: an earlier status or stage, or a lower percentage. */
function stepsBack(seen: ExportProgress[]): string[] {
  return seen.slice(1).flatMap((next, index) => {
    const previous = seen[index]!;
    const back =
      STATUS_ORDER[next.status] < STATUS_ORDER[previous.status] ||
      STAGES.indexOf(next.current_stage) < STAGES.indexOf(previous.current_stage) ||
      next.progress < previous.progress;
    return back ? [`${describeProgress(previous)} → ${describeProgress(next)}`] : [];
  });
}

const isFinished = (progress: ExportProgress | undefined) =>
  progress !== undefined && STATUS_ORDER[progress.status] === 2;

/** The `progress` events of an SSE stream, until the server ends it at a terminal status. */
async function streamed(url: string, token: string): Promise<ExportProgress[]> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  const seen: ExportProgress[] = [];
  for await (const { event, data } of parseServerSentEvents(response.body!)) {
    if (event === 'progress') seen.push(JSON.parse(data) as ExportProgress);
  }
  return seen;
}

/** GET /progress as fast as the API answers (a few milliseconds apart), alternating between the API processes. */
async function polled(urls: string[], token: string): Promise<ExportProgress[]> {
  const seen: ExportProgress[] = [];
  for (let index = 0; !isFinished(seen.at(-1)); index++) {
    const response = await fetch(urls[index % urls.length]!, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    seen.push((await response.json()) as ExportProgress);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return seen;
}

describe('export progress watched as closely as possible, on two API processes and two workers', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ apps: { api: '', api2: '' } });
    stack.startWorker();
  });
  afterAll(async () => stack?.stop());

  it.each<ExportType>(['single', 'combined', 'clips'])(
    'never steps back in stage, status or percentage (%s export)',
    async (exportType) => {
      const created = await stack.client.createExport(stack.video.id, {
        export_type: exportType,
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'low',
        segment_selections: [
          { start_time: 0, end_time: 2 },
          { start_time: 2, end_time: 4 },
        ].slice(0, exportType === 'single' ? 1 : 2),
      });
      const apis = Object.values(stack.urls);
      const [poll, ...streams] = await Promise.all([
        polled(
          apis.map((api) => `${api}/api/exports/${created.id}/progress`),
          stack.token,
        ),
        ...apis.map((api) => streamed(`${api}/api/exports/${created.id}/events`, stack.token)),
      ]);
      const observers = {
        poll,
        ...Object.fromEntries(streams.map((seen, index) => [`sse ${index + 1}`, seen])),
      };
      const back = Object.fromEntries(
        Object.entries(observers).map(([name, seen]) => [name, stepsBack(seen)]),
      );
      expect(back).toEqual({ poll: [], 'sse 1': [], 'sse 2': [] });
      for (const seen of Object.values(observers)) {
        expect(seen.at(-1)).toMatchObject({ status: 'completed', current_stage: 'complete', progress: 100 });
      }
      expect(poll.length).toBeGreaterThan(5);
    },
  );
});
