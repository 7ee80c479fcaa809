import { keepScriptsLoaded, queueSettings } from '@vexport/queue';
import Queue from 'bee-queue';
import type { Logger } from 'pino';

export interface WorkerQueueOptions {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  /** Milliseconds a job may go without its worker's heartbeat before another worker takes it over. */
  stallIntervalMs?: number;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A bee-queue queue that processes jobs. bee-queue gives up for good when its first connection fails, so
 * this keeps trying (with backoff) until Redis answers; after that, its clients reconnect by themselves and
 * its scripts are loaded again after a Redis restart.
 */
export async function connectWorkerQueue<Data>(
  name: string,
  options: WorkerQueueOptions,
): Promise<Queue<Data>> {
  const { redisUrl, prefix, logger, stallIntervalMs = 5_000, signal } = options;
  for (let attempt = 0; ; attempt += 1) {
    const queue = new Queue<Data>(name, {
      ...queueSettings({ redisUrl, prefix, isWorker: true }),
      activateDelayedJobs: true,
      removeOnSuccess: true,
      removeOnFailure: true,
      stallInterval: stallIntervalMs,
    });
    queue.on('error', (error: Error) => logger.warn(`queue ${name}: ${error.message}`));
    try {
      await queue.ready();
      keepScriptsLoaded(queue, (error) =>
        logger.warn(`queue ${name}: reloading its scripts failed: ${error.message}`),
      );
      return queue;
    } catch (error) {
      await queue.close(0).catch(() => undefined);
      if (signal?.aborted) throw error;
      const delay = Math.min(500 * 2 ** attempt, 10_000);
      logger.warn(
        `queue ${name}: Redis not reachable (${(error as Error).message}); retrying in ${delay} ms`,
      );
      await sleep(delay);
    }
  }
}
