import { describe, expect, it } from 'vitest';
import { findLostJobs, type WaitingRecord } from './lost-jobs.js';

describe('findLostJobs', () => {
  const records: WaitingRecord[] = [
    { id: 'queued-export', kind: 'export' },
    { id: 'deferred-export', kind: 'export' },
    { id: 'lost-export', kind: 'export' },
    { id: 'queued-probe', kind: 'probe' },
    { id: 'lost-probe', kind: 'probe' },
  ];

  it('returns the records that neither a job nor a deferral knows', async () => {
    const lost = await findLostJobs(records, {
      hasJob: async ({ id }) => id.startsWith('queued'),
      isDeferred: async ({ id }) => id === 'deferred-export',
    });
    expect(lost.map(({ id }) => id)).toEqual(['lost-export', 'lost-probe']);
  });

  it('never counts a probe as deferred (only exports wait for slots)', async () => {
    const lost = await findLostJobs([{ id: 'lost-probe', kind: 'probe' }], {
      hasJob: async () => false,
      isDeferred: async () => true,
    });
    expect(lost).toHaveLength(1);
  });
});
