/** A record that should have a queued job: an export waiting to run, or a video waiting to be probed. */
export interface WaitingRecord {
  id: string;
  kind: 'export' | 'probe';
}

/** Where a waiting record can be found in Redis. */
export interface QueueState {
  hasJob(record: WaitingRecord): Promise<boolean>;
  /** An export parked until a concurrency slot frees (it has no job on purpose). */
  isDeferred(record: WaitingRecord): Promise<boolean>;
}

/**
 * The waiting records whose job is gone from Redis (a Redis restart without persistence, a flush, a
 * failover that lost writes): neither a job nor a deferral knows them, so nothing would ever run them.
 */
export async function findLostJobs(records: WaitingRecord[], state: QueueState): Promise<WaitingRecord[]> {
  const lost: WaitingRecord[] = [];
  for (const record of records) {
    if (await state.hasJob(record)) continue;
    if (record.kind === 'export' && (await state.isDeferred(record))) continue;
    lost.push(record);
  }
  return lost;
}
