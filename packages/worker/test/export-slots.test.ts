import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueName } from '../../../testing/services.js';
import { ExportSlots } from '../src/jobs/export-slots.js';

const redis = new Redis(serviceEnv('REDIS_URL'));
afterAll(() => redis.quit());

const slotsFor = (
  limits: { global: number; perUser: number; leaseMs?: number },
  token = 'worker-a',
  namespace = uniqueName('slots'),
) => new ExportSlots(redis, { leaseMs: 30_000, ...limits }, { token, namespace });

describe('ExportSlots against real Redis', () => {
  it('holds the global and the per-user limits', async () => {
    const slots = slotsFor({ global: 3, perUser: 2 });
    expect(await slots.tryAcquire('e1', 'alice')).toBe('acquired');
    expect(await slots.tryAcquire('e2', 'alice')).toBe('acquired');
    expect(await slots.tryAcquire('e3', 'alice')).toBe('user-full');
    expect(await slots.tryAcquire('e4', 'bob')).toBe('acquired');
    expect(await slots.tryAcquire('e5', 'carol')).toBe('global-full');
    expect(await slots.running('alice')).toEqual({ global: 3, user: 2 });
    await slots.release('e1', 'alice');
    expect(await slots.tryAcquire('e3', 'alice')).toBe('acquired');
  });

  it('is shared by workers: a second worker sees the first one’s slots and cannot take its export', async () => {
    const namespace = uniqueName('slots');
    const first = slotsFor({ global: 5, perUser: 1 }, 'worker-a', namespace);
    const second = slotsFor({ global: 5, perUser: 1 }, 'worker-b', namespace);
    expect(await first.tryAcquire('e1', 'alice')).toBe('acquired');
    expect(await second.tryAcquire('e1', 'alice')).toBe('busy');
    expect(await second.tryAcquire('e2', 'alice')).toBe('user-full');
    expect(await second.renew('e1', 'alice')).toBe(false);
    expect(await first.renew('e1', 'alice')).toBe(true);
  });

  it('hands a chunked export’s slot to the export, which any worker renews and releases while it counts', async () => {
    const namespace = uniqueName('slots');
    const parent = slotsFor({ global: 5, perUser: 1 }, 'worker-a', namespace);
    const piece = slotsFor({ global: 5, perUser: 1 }, 'worker-b', namespace);
    const holder = { holder: 'chunked:e1', leaseMs: 60_000 };
    expect(await parent.tryAcquire('e1', 'alice')).toBe('acquired');
    expect(await piece.handOver('e1', 'alice', holder)).toBe(false);
    expect(await parent.handOver('e1', 'alice', holder)).toBe(true);
    // the parent job ended: the export still counts, and its worker no longer holds it
    expect(await parent.renew('e1', 'alice')).toBe(false);
    expect(await parent.tryAcquire('e2', 'alice')).toBe('user-full');
    expect(await piece.renew('e1', 'alice', holder)).toBe(true);
    await piece.release('e1', 'alice', holder);
    expect(await parent.running('alice')).toEqual({ global: 0, user: 0 });
    expect(await parent.tryAcquire('e2', 'alice')).toBe('acquired');
  });

  it('lets the export’s own job, run again on any worker, take the slot back from its pieces', async () => {
    const namespace = uniqueName('slots');
    const parent = slotsFor({ global: 5, perUser: 1 }, 'worker-a', namespace);
    const rerun = slotsFor({ global: 5, perUser: 1 }, 'worker-b', namespace);
    const holder = { holder: 'chunked:e1', leaseMs: 60_000 };
    expect(await parent.tryAcquire('e1', 'alice')).toBe('acquired');
    expect(await parent.handOver('e1', 'alice', holder)).toBe(true);
    // the split's worker died before it queued the pieces: its job's re-run need not wait for the lease
    expect(await rerun.tryAcquire('e1', 'alice')).toBe('acquired');
    expect(await rerun.holder('e1')).toBe('worker-b');
    expect(await rerun.renew('e1', 'alice', holder)).toBe(false);
    expect(await rerun.running('alice')).toEqual({ global: 1, user: 1 });
    // a worker's own hold is never taken over
    expect(await parent.tryAcquire('e1', 'alice')).toBe('busy');
  });

  it('frees the slot of a worker that died once its lease lapses', async () => {
    const namespace = uniqueName('slots');
    const dead = slotsFor({ global: 1, perUser: 1, leaseMs: 200 }, 'dead-worker', namespace);
    const alive = slotsFor({ global: 1, perUser: 1, leaseMs: 200 }, 'live-worker', namespace);
    expect(await dead.tryAcquire('e1', 'alice')).toBe('acquired');
    expect(await alive.tryAcquire('e2', 'bob')).toBe('global-full');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await alive.tryAcquire('e2', 'bob')).toBe('acquired');
    expect(await alive.tryAcquire('e1', 'alice')).toBe('global-full');
  });

  it('hands deferred exports back oldest first, only as many as the limits allow', async () => {
    const slots = slotsFor({ global: 3, perUser: 1 });
    await slots.tryAcquire('running', 'alice');
    await slots.defer('a1', 'alice');
    await slots.defer('b1', 'bob');
    await slots.defer('b2', 'bob');
    await slots.defer('c1', 'carol');
    expect(await slots.takeReady()).toEqual([
      { exportId: 'b1', userId: 'bob' },
      { exportId: 'c1', userId: 'carol' },
    ]);
    expect(await slots.deferredCount()).toBe(2);
    await slots.tryAcquire('b1', 'bob');
    await slots.tryAcquire('c1', 'carol');
    expect(await slots.takeReady()).toEqual([]);
    await slots.release('b1', 'bob');
    expect(await slots.takeReady()).toEqual([{ exportId: 'b2', userId: 'bob' }]);
  });
});
