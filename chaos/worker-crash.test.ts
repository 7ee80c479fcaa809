import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, type Stack } from './support/stack.js';

describe('a worker killed mid-encode', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it('is replaced: another worker picks the export up and completes it, and cleans the dead one’s temp folder', async () => {
    const created = await stack.client.createExport(stack.video.id, {
      export_type: 'single',
      resolution: '4k',
      format: 'webm',
      quality_preset: 'high',
      segment_selections: [{ start_time: 0, end_time: 6 }],
    });
    await waitFor(
      async () => {
        const progress = await stack.client.getExportProgress(created.id);
        return (
          progress.status === 'processing' && progress.current_stage === 'processing' && progress.progress > 0
        );
      },
      { timeoutMs: 60_000, message: 'the export did not start encoding' },
    );
    const [doomed] = stack.workers;
    const deadFolder = join(stack.workDir, `${hostname()}-${doomed!.pid}`);
    expect(existsSync(deadFolder)).toBe(true);
    // the machine dies: the worker and its ffmpeg together, no chance to clean up
    process.kill(-doomed!.pid, 'SIGKILL');
    await doomed!.exited;
    expect((await stack.client.getExport(created.id)).status).toBe('processing');

    stack.startWorker();
    await waitFor(async () => (await stack.client.getExport(created.id)).status === 'completed', {
      timeoutMs: 180_000,
      intervalMs: 500,
      message: 'the export was not completed by the second worker',
    });
    expect(existsSync(deadFolder)).toBe(false);
    const file = join(dirname(stack.workDir), 'downloaded.webm');
    await stack.client.saveExport(created.id, file);
    const duration = Number(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], {
        encoding: 'utf8',
      }),
    );
    expect(duration).toBeCloseTo(6, 1);
    await expectNothingLost(stack);
  });
});
