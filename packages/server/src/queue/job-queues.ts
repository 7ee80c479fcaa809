import { exportJob, keepScriptsLoaded, probeJob, queueSettings } from '@vexport/queue';
import { QueueNames, type ExportVideoJobData, type ProbeVideoJobData } from '@vexport/sdk';
import Queue from 'bee-queue';
import { ServiceUnavailableError } from '../http/problem.js';

const QUEUE_TIMEOUT_MS = 5_000;

function unavailable(): ServiceUnavailableError {
  return new ServiceUnavailableError('The job queue is not reachable right now. Try again shortly.');
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(unavailable()), QUEUE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A producer-side bee-queue queue, connected on first use. bee-queue gives up for good on a queue whose first
 * connection fails, so a failed one is dropped and the next use connects afresh: the API recovers from a
 * Redis outage without a restart.
 */
class ProducerQueue<Data> {
  readonly #name: string;
  readonly #settings: Queue.QueueSettings;
  #queue: Queue<Data> | undefined;
  #ready: Promise<void> | undefined;

  constructor(name: string, settings: Queue.QueueSettings) {
    this.#name = name;
    this.#settings = settings;
  }

  async connected(): Promise<Queue<Data>> {
    if (!this.#queue) {
      const queue = new Queue<Data>(this.#name, this.#settings);
      queue.on('error', () => undefined);
      this.#queue = queue;
      this.#ready = withTimeout(queue.ready()).then(() => keepScriptsLoaded(queue));
    }
    const queue = this.#queue;
    try {
      await this.#ready;
      return queue;
    } catch {
      if (this.#queue === queue) this.#queue = undefined;
      queue.close(0).catch(() => undefined);
      throw unavailable();
    }
  }

  async close(): Promise<void> {
    await this.#queue?.close(1_000).catch(() => undefined);
    this.#queue = undefined;
  }
}

/**
 * The API's side of the queues: it only adds and removes jobs. Each job's id is its record's id, so adding
 * one twice is a no-op and a job can be found again from its record.
 */
export class JobQueues {
  readonly #exportVideo: ProducerQueue<ExportVideoJobData>;
  readonly #probeVideo: ProducerQueue<ProbeVideoJobData>;

  /** `prefix` namespaces the queues' Redis keys (bee-queue's default: `bq`). */
  constructor(redisUrl: string, { prefix = 'bq' }: { prefix?: string } = {}) {
    const settings = queueSettings({ redisUrl, prefix, isWorker: false });
    this.#exportVideo = new ProducerQueue(QueueNames.exportVideo, settings);
    this.#probeVideo = new ProducerQueue(QueueNames.probeVideo, settings);
  }

  /** Queues the export (see {@link exportJob} for its id and retries). */
  async enqueueExport(exportId: string): Promise<void> {
    const queue = await this.#exportVideo.connected();
    await withTimeout(exportJob(queue, exportId).save());
  }

  /** Takes a waiting export job off the queue (a running one is stopped through the cancel signal). */
  async removeExport(exportId: string): Promise<void> {
    const queue = await this.#exportVideo.connected();
    await withTimeout(queue.removeJob(exportId));
  }

  /** Queues the probe of a newly registered video. */
  async enqueueProbe(videoId: string): Promise<void> {
    const queue = await this.#probeVideo.connected();
    await withTimeout(probeJob(queue, videoId).save());
  }

  async close(): Promise<void> {
    await Promise.all([this.#exportVideo.close(), this.#probeVideo.close()]);
  }
}
