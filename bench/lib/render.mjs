import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_NODE_FLAGS } from '../../scripts/lib/worker-process.mjs';
import { runCommand, sampleFolderPeak, timed } from './tools.mjs';

const child = fileURLToPath(new URL('./render-child.mjs', import.meta.url));

/**
 * Our export of `request` from `sourcePath` (with `encoder` for H.264), as a worker makes it (in a child Node process started with the
 * worker's Node flags): the seconds its media work took (timed in the child; `processSeconds` adds Node's
 * start-up, which a long-lived worker pays once), the strategy, the output path, the child's peak RSS and
 * the peak size of its temp folder.
 */
export async function ourExport({ sourcePath, request, scratch, name, encoder = 'libx264' }) {
  const workDir = join(scratch, `ours-${name}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const stopSampling = sampleFolderPeak(workDir);
  const { seconds, result } = await timed(() =>
    runCommand(process.execPath, [
      ...WORKER_NODE_FLAGS,
      child,
      JSON.stringify({ sourcePath, request, workDir, outputName: name, encoder }),
    ]),
  );
  const peakTempBytes = stopSampling();
  const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1));
  return {
    seconds: outcome.renderSeconds,
    processSeconds: seconds,
    peakTempBytes,
    ...outcome,
    output: outcome.files[0],
  };
}
