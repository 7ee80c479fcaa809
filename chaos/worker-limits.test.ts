import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportCreateRequest } from '@vexport/sdk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitForFinished, type Stack } from './support/stack.js';

const bigExport: ExportCreateRequest = {
  export_type: 'single',
  resolution: '4k',
  format: 'mp4',
  quality_preset: 'high',
  segment_selections: [{ start_time: 0, end_time: 6 }],
};
const smallExport: ExportCreateRequest = {
  ...bigExport,
  resolution: '720p',
  quality_preset: 'low',
  segment_selections: [{ start_time: 0, end_time: 2 }],
};

/** The files under the stack's stored exports (none when no export was ever stored). */
function storedExportFiles(stack: Stack): string[] {
  const root = join(stack.storageDir, 'exports');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe('a worker at its limits', () => {
  let stack: Stack | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-chaos-limits-'));
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('stops an export that runs past the job time limit and marks it failed', async () => {
    stack = await startStack({ env: { EXPORT_TIMEOUT_MINUTES: '0.05' } });
    const created = await stack.client.createExport(stack.video.id, { ...bigExport, format: 'webm' });
    const result = await waitForFinished(stack, created.id);
    expect(result).toMatchObject({
      status: 'failed',
      error_message: 'The export took longer than the 3 s limit and was stopped.',
    });
    expect(storedExportFiles(stack)).toEqual([]);
    await expectNothingLost(stack);
  });

  it('fails an export cleanly when its temp disk fills up, and goes on with the next one', async () => {
    // the worker runs in its own mount namespace with a 3 MB tmpfs as its temp folder
    const tempDir = join(scratch, 'small-disk');
    stack = await startStack({
      env: { WORKER_TEMP_DIR: tempDir },
      workerCommand: (command, args) => [
        'unshare',
        [
          '--user',
          '--map-root-user',
          '--mount',
          'sh',
          '-c',
          'mkdir -p "$0" && mount -t tmpfs -o size=3m tmpfs "$0" && exec "$@"',
          tempDir,
          command,
          ...args,
        ],
      ],
    });
    const tooBig = await stack.client.createExport(stack.video.id, bigExport);
    expect(await waitForFinished(stack, tooBig.id)).toMatchObject({
      status: 'failed',
      error_message: 'The worker ran out of disk space while encoding. Try again later.',
    });
    const fits = await stack.client.createExport(stack.video.id, smallExport);
    expect((await waitForFinished(stack, fits.id)).status).toBe('completed');
    expect(storedExportFiles(stack)).toEqual([expect.stringMatching(/\.mp4$/)]);
    await expectNothingLost(stack);
  });
});
