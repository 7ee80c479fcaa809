import { type QueueNames, VexportError } from '@vexport/sdk';
import Queue from 'bee-queue';
import type { TestApi } from './test-api.js';

/** The VexportError a call rejects with (fails the test when it resolves or throws something else). */
export async function failure(promise: Promise<unknown>): Promise<VexportError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof VexportError)) throw new Error(`expected a VexportError, got ${String(error)}`);
  return error;
}

/** Ids of the jobs waiting in one of the test API's queues. */
export async function waitingJobIds(
  api: TestApi,
  queueName: (typeof QueueNames)[keyof typeof QueueNames],
): Promise<string[]> {
  const queue = new Queue(queueName, {
    prefix: api.queuePrefix,
    redis: { url: process.env.REDIS_URL },
    isWorker: false,
  });
  try {
    return (await queue.getJobs('waiting', { start: 0, end: 100 })).map((job) => job.id);
  } finally {
    await queue.close();
  }
}
