import { readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { ExportCreateRequest } from '@vexport/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, type Stack } from './support/stack.js';

const slowExport: ExportCreateRequest = {
  export_type: 'single',
  resolution: '4k',
  format: 'webm',
  quality_preset: 'high',
  segment_selections: [{ start_time: 0, end_time: 6 }],
};
const quickExport: ExportCreateRequest = { ...slowExport, resolution: '720p', format: 'mp4' };

describe('shutdown on SIGTERM', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  async function startedEncoding(stack: Stack, exportId: string) {
    await waitFor(
      async () => (await stack.client.getExportProgress(exportId)).current_stage === 'processing',
      {
        timeoutMs: 60_000,
        message: 'the export did not start encoding',
      },
    );
  }

  it('a worker finishes its running export within the grace period, then exits', async () => {
    stack = await startStack();
    const created = await stack.client.createExport(stack.video.id, quickExport);
    await startedEncoding(stack, created.id);
    const [worker] = stack.workers;
    process.kill(worker!.pid, 'SIGTERM');
    expect(await worker!.exited).toMatchObject({ code: 0 });
    expect((await stack.client.getExport(created.id)).status).toBe('completed');
    await expectNothingLost(stack);
  });

  it('a worker whose grace period runs out hands its export over: another worker completes it', async () => {
    stack = await startStack({ env: { SHUTDOWN_GRACE_SECONDS: '1' } });
    const created = await stack.client.createExport(stack.video.id, slowExport);
    await startedEncoding(stack, created.id);
    const [worker] = stack.workers;
    process.kill(worker!.pid, 'SIGTERM');
    expect(await worker!.exited).toMatchObject({ code: 0 });
    // stopped cleanly: back to pending, its temp folder gone, nothing left in the temp folder
    expect((await stack.client.getExport(created.id)).status).toBe('pending');
    expect(readdirSync(stack.workDir)).toEqual([]);
    stack.startWorker();
    await waitFor(async () => (await stack!.client.getExport(created.id)).status === 'completed', {
      timeoutMs: 180_000,
      intervalMs: 500,
      message: 'the handed-over export was not completed by the next worker',
    });
    await expectNothingLost(stack);
  });

  it('the API finishes in-flight requests, closes progress streams and exits', async () => {
    stack = await startStack();
    const api = stack.urls.api!;
    const created = await stack.client.createExport(stack.video.id, slowExport);
    const stream = await fetch(`${api}/api/exports/${created.id}/events`, {
      headers: { authorization: `Bearer ${stack.token}`, accept: 'text/event-stream' },
    });
    expect(stream.status).toBe(200);
    const streamEnded = (async () => {
      for await (const _chunk of stream.body!);
      return true;
    })();

    // an upload that is half sent when the signal arrives
    const boundary = 'vexport-chaos-boundary';
    const video = readFileSync(join(stack.storageDir, 'shared', 'sample.mp4'));
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="late.mp4"\r\n` +
        'Content-Type: video/mp4\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const upload = httpRequest(`${api}/api/videos`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + video.length + tail.length),
      },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      upload.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      upload.on('error', reject);
    });
    const half = Math.floor(video.length / 2);
    upload.write(Buffer.concat([head, video.subarray(0, half)]));
    await new Promise((resolve) => setTimeout(resolve, 300));

    process.kill(stack.apis.api!.pid, 'SIGTERM');
    expect(await streamEnded).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // new connections are refused while the upload still goes on
    await expect(fetch(`${api}/healthz`)).rejects.toThrow();
    upload.end(Buffer.concat([video.subarray(half), tail]));
    const { status, body } = await answered;
    expect(status, body).toBe(201);
    expect(await stack.apis.api!.exited).toMatchObject({ code: 0 });
    // the worker goes on with the export
    await expectNothingLost(stack, { inFlight: true });
  });
});
