import type Queue from 'bee-queue';

/**
 * The bee-queue settings every vexport queue shares, the API's (producers) and the workers': no job events
 * over Redis pub/sub (progress has its own channel) and no Job objects kept in memory. bee-queue keeps each
 * job it saves or fetches in a map until the job's events say it finished; without events that never
 * happens, so by default the API would hold one object per export it ever queued.
 */
export function queueSettings({
  redisUrl,
  prefix,
  isWorker,
}: {
  redisUrl: string;
  /** Namespaces the queues' Redis keys (bee-queue's default: `bq`). */
  prefix?: string | undefined;
  isWorker: boolean;
}): Queue.QueueSettings {
  return {
    ...(prefix !== undefined && { prefix }),
    redis: { url: redisUrl },
    isWorker,
    getEvents: false,
    sendEvents: false,
    storeJobs: false,
  };
}
