import type { Redis } from 'ioredis';

/** Limits on exports running at once, over every worker: in total and per user. */
export interface SlotLimits {
  global: number;
  perUser: number;
  /** Milliseconds a slot is held without renewal before a dead worker's slot frees itself. */
  leaseMs: number;
}

export type AcquireResult = 'acquired' | 'global-full' | 'user-full' | 'busy';

/** The Redis keys of one deployment; they share a hash tag so the scripts also run on a Redis Cluster. */
function slotKeys(namespace: string) {
  const base = `{${namespace}}:slots:`;
  return {
    global: `${base}global`,
    userPrefix: `${base}user:`,
    user: (userId: string) => `${base}user:${userId}`,
    lock: (exportId: string) => `${base}lock:${exportId}`,
    deferred: `${base}deferred`,
    deferredUsers: `${base}deferred-users`,
  };
}

/**
 * The holder a chunked export's slot is leased to while its pieces wait or run (see handOver): the export
 * itself, so that whichever worker runs one of its pieces renews or releases it.
 */
export function chunkSlotHolder(exportId: string): string {
  return `chunked:${exportId}`;
}

/**
 * KEYS: global, user, lock. ARGV: now, lease-until, export id, global limit, user limit, lock token, lease ms,
 * the export's chunked holder.
 * Drops expired leases, refuses when the export is already running elsewhere or a limit is reached,
 * else takes a slot in both sets and the export's lock. The export's own job takes its lock back from its
 * chunked holder: that job is the one that split it, run again (it resumes the pieces, see
 * startChunkedExport), so it must not wait for the pieces' lease to lapse.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[6] and holder ~= ARGV[8] then return 'busy' end
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 'global-full' end
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 'user-full' end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[6], 'PX', ARGV[7])
return 'acquired'
`;

/** KEYS: global, user, lock. ARGV: export id, lock token. Frees the slot and the lock if this worker holds it. */
const RELEASE = `
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

/** KEYS: global, user, lock. ARGV: export id, lease-until, lock token, lease ms. */
const RENEW = `
if redis.call('GET', KEYS[3]) ~= ARGV[3] then return 0 end
redis.call('PEXPIRE', KEYS[3], ARGV[4])
redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ARGV[2], ARGV[1])
return 1
`;

/**
 * KEYS: global, user, lock. ARGV: export id, lease-until, lock token, new holder, lease ms.
 * Gives the lock this worker holds to another holder, with a new lease; 0 when this worker no longer holds it.
 */
const HAND_OVER = `
if redis.call('GET', KEYS[3]) ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ARGV[2], ARGV[1])
return 1
`;

/**
 * Who renews or releases a slot, when not this worker: a chunked export's slot is held in the export's own
 * name (see handOver), so that whichever worker runs one of its pieces keeps it, for as long as `leaseMs`.
 */
export interface SlotHolder {
  holder: string;
  leaseMs: number;
}

/**
 * KEYS: global, deferred, deferred-users. ARGV: now, global limit, user limit, max, user key prefix.
 * Claims (removes and returns) the oldest deferred exports that could start now, counting each claim.
 */
const TAKE_READY = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
local claimed = {}
local perUser = {}
if free <= 0 then return claimed end
for _, exportId in ipairs(redis.call('ZRANGE', KEYS[2], 0, 99)) do
  if #claimed / 2 >= tonumber(ARGV[4]) or free <= 0 then break end
  local userId = redis.call('HGET', KEYS[3], exportId)
  if userId then
    if perUser[userId] == nil then
      local key = ARGV[5] .. userId
      redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
      perUser[userId] = redis.call('ZCARD', key)
    end
    if perUser[userId] < tonumber(ARGV[3]) then
      perUser[userId] = perUser[userId] + 1
      free = free - 1
      redis.call('ZREM', KEYS[2], exportId)
      redis.call('HDEL', KEYS[3], exportId)
      table.insert(claimed, exportId)
      table.insert(claimed, userId)
    end
  else
    redis.call('ZREM', KEYS[2], exportId)
  end
end
return claimed
`;

/**
 * Redis-held limits on running exports (not an in-process counter, so they hold across every worker).
 * An export that cannot start yet is deferred, and started again by {@link takeReady} once the limits
 * allow, so it never blocks a worker while it waits; its record stays `pending`.
 */
export class ExportSlots {
  readonly #redis: Redis;
  readonly #limits: SlotLimits;
  readonly #token: string;
  readonly #keys: ReturnType<typeof slotKeys>;

  /**
   * `token` identifies this worker process as the holder of the locks it takes; `namespace` separates
   * deployments (or tests) sharing one Redis.
   */
  constructor(
    redis: Redis,
    limits: SlotLimits,
    { token, namespace = 'vexport' }: { token: string; namespace?: string },
  ) {
    this.#redis = redis;
    this.#limits = limits;
    this.#token = token;
    this.#keys = slotKeys(namespace);
  }

  get limits(): SlotLimits {
    return this.#limits;
  }

  async tryAcquire(exportId: string, userId: string): Promise<AcquireResult> {
    const now = Date.now();
    const result = await this.#redis.eval(
      ACQUIRE,
      3,
      this.#keys.global,
      this.#keys.user(userId),
      this.#keys.lock(exportId),
      now,
      now + this.#limits.leaseMs,
      exportId,
      this.#limits.global,
      this.#limits.perUser,
      this.#token,
      this.#limits.leaseMs,
      chunkSlotHolder(exportId),
    );
    return result as AcquireResult;
  }

  /** Who holds the export's lock now (a worker's token or a chunked holder); null when nobody does. */
  async holder(exportId: string): Promise<string | null> {
    return this.#redis.get(this.#keys.lock(exportId));
  }

  /**
   * Extends the lease; false when this worker (or `as`, see handOver) no longer holds the export (its lease
   * lapsed).
   */
  async renew(exportId: string, userId: string, as?: SlotHolder): Promise<boolean> {
    const leaseMs = as?.leaseMs ?? this.#limits.leaseMs;
    const leaseUntil = Date.now() + leaseMs;
    const renewed = await this.#redis.eval(
      RENEW,
      3,
      this.#keys.global,
      this.#keys.user(userId),
      this.#keys.lock(exportId),
      exportId,
      leaseUntil,
      as?.holder ?? this.#token,
      leaseMs,
    );
    return renewed === 1;
  }

  /**
   * Hands the slot this worker holds for an export to `to.holder`, leased for `to.leaseMs`: the export keeps
   * counting against the limits while no worker runs it (its pieces wait in the queue), and any worker that
   * renews or releases it as that holder may. False when this worker no longer held it.
   */
  async handOver(exportId: string, userId: string, to: SlotHolder): Promise<boolean> {
    const handed = await this.#redis.eval(
      HAND_OVER,
      3,
      this.#keys.global,
      this.#keys.user(userId),
      this.#keys.lock(exportId),
      exportId,
      Date.now() + to.leaseMs,
      this.#token,
      to.holder,
      to.leaseMs,
    );
    return handed === 1;
  }

  async release(exportId: string, userId: string, as?: Pick<SlotHolder, 'holder'>): Promise<void> {
    await this.#redis.eval(
      RELEASE,
      3,
      this.#keys.global,
      this.#keys.user(userId),
      this.#keys.lock(exportId),
      exportId,
      as?.holder ?? this.#token,
    );
  }

  /** Parks an export until the limits allow it to start. */
  async defer(exportId: string, userId: string): Promise<void> {
    await this.#redis
      .multi()
      .zadd(this.#keys.deferred, 'NX', Date.now(), exportId)
      .hset(this.#keys.deferredUsers, exportId, userId)
      .exec();
  }

  /** Claims up to `max` deferred exports that may start now, oldest first. */
  async takeReady(max = 10): Promise<{ exportId: string; userId: string }[]> {
    const flat = (await this.#redis.eval(
      TAKE_READY,
      3,
      this.#keys.global,
      this.#keys.deferred,
      this.#keys.deferredUsers,
      Date.now(),
      this.#limits.global,
      this.#limits.perUser,
      max,
      this.#keys.userPrefix,
    )) as string[];
    const ready: { exportId: string; userId: string }[] = [];
    for (let index = 0; index < flat.length; index += 2)
      ready.push({ exportId: flat[index]!, userId: flat[index + 1]! });
    return ready;
  }

  /** How many exports run now, in total and for one user (for tests and the health report). */
  async running(userId?: string): Promise<{ global: number; user: number | undefined }> {
    const now = Date.now();
    const global = await this.#redis.zcount(this.#keys.global, now, '+inf');
    const user =
      userId === undefined ? undefined : await this.#redis.zcount(this.#keys.user(userId), now, '+inf');
    return { global, user };
  }

  /** True while the export is parked until a slot frees. */
  async isDeferred(exportId: string): Promise<boolean> {
    return (await this.#redis.zscore(this.#keys.deferred, exportId)) !== null;
  }

  /** Exports waiting for a slot. */
  async deferredCount(): Promise<number> {
    return this.#redis.zcard(this.#keys.deferred);
  }
}
