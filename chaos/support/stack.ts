import { fileURLToPath } from 'node:url';
import { createClient, type Export, type VexportClient } from '@vexport/sdk';
// @ts-expect-error: plain JavaScript test support without type declarations
import { startAppStack } from '../../scripts/lib/app-stack.mjs';
// @ts-expect-error: as above
import { waitFor as waitForUntyped } from '../../scripts/lib/processes.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** A process the stack started (an API or a worker). */
export interface StackProcess {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<void>;
}

export interface Stack {
  urls: Record<string, string>;
  apis: Record<string, StackProcess>;
  env: Record<string, string>;
  token: string;
  user: string;
  secret: string;
  video: { id: string; duration_seconds: number };
  storageDir: string;
  workDir: string;
  workers: StackProcess[];
  startWorker(): StackProcess;
  stop(): Promise<void>;
  /** An SDK client on the first API, as the stack's user. */
  client: VexportClient;
}

export interface StackOptions {
  apps?: Record<string, string>;
  user?: string;
  /** Settings for every process; a setting given as undefined is removed. */
  env?:
    | Record<string, string | undefined>
    | ((base: Record<string, string>) => Record<string, string | undefined>);
  workerCommand?: (command: string, args: string[]) => [string, string[]];
  /** Mints the stack user's token, for an API that trusts another key than the default JWT_SECRET. */
  signToken?: (user: string) => string;
  /** Receives each line the workers print (their JSON logs). */
  onWorkerLine?: (line: string) => void;
}

/** The whole product (API processes, a worker, a probed sample video) on the test services. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const stack = await startAppStack({ root, servicesEnv: process.env, ...options });
  return { ...stack, client: createClient({ baseUrl: Object.values(stack.urls)[0], token: stack.token }) };
}

/** Polls `check` until it returns true; fails with `message` after `timeoutMs`. */
export const waitFor: (
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; message: string },
) => Promise<void> = waitForUntyped;

/** Starts one more worker and waits until `/healthz` lists `count` workers. */
export async function addWorker(stack: Stack, count: number): Promise<void> {
  stack.startWorker();
  await waitFor(
    async () => {
      const health = (await (await fetch(`${stack.urls.api}/healthz`)).json()) as { workers: unknown[] };
      return health.workers.length === count;
    },
    { timeoutMs: 30_000, message: `worker ${count} did not start` },
  );
}

/** Waits until the export is completed, failed or cancelled; resolves to it. */
export async function waitForFinished(stack: Stack, exportId: string): Promise<Export> {
  let current: Export | undefined;
  await waitFor(
    async () => {
      current = await stack.client.getExport(exportId);
      return ['completed', 'failed', 'cancelled'].includes(current.status);
    },
    { timeoutMs: 120_000, intervalMs: 300, message: `export ${exportId} did not finish` },
  );
  return current!;
}

/** An operation of the API's OpenAPI document. */
export interface Operation {
  method: string;
  path: string;
}

/** Every operation the running API documents, from its /api/openapi.json. */
export async function listOperations(stack: Stack): Promise<Operation[]> {
  const document = (await (await fetch(`${stack.urls.api}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })),
  );
}
