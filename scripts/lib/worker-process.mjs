// How a worker process is started: its script and the Node flags it runs with.
import { join } from 'node:path';

/**
 * The worker's JavaScript is light (ffmpeg does the media work), but reading a long source's sample tables
 * allocates enough short-lived numbers for V8 to grow the young generation to its largest size, and the
 * pages it touches stay resident: a 60-minute source left the worker 12-15 MB larger at its peak than a
 * 1-minute one. A 1 MB semi-space keeps the peak flat; the extra scavenges cost no measurable time.
 */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=1'];

/** The arguments for `node` that start a worker from the built package under `root`. */
export function workerArgs(root) {
  return [...WORKER_NODE_FLAGS, join(root, 'packages/worker/dist/main.js')];
}
