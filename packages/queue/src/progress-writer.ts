import { PROGRESS_RANKS, RedisKeys, type ExportProgress } from '@vexport/sdk';
import type { Redis } from 'ioredis';

/** Progress as it is stored and published: the public object plus its owner, whom the API checks. */
export interface OwnedProgress extends ExportProgress {
  user_id: string;
}

/** Seconds a progress entry lives in Redis after its last update. */
export const PROGRESS_TTL_SECONDS = 24 * 60 * 60;

const COMMAND = 'vexportAdvanceExportProgress';

/**
 * `advanceProgress` of the contract, run inside Redis so that reading the stored entry, judging the update and
 * storing and publishing it are one step: two writers (a worker's throttled updates, a retried job on another
 * worker, the API cancelling) cannot interleave between the check and the write. A stored entry that cannot
 * be read is replaced. Returns 1 when the update landed, 0 when it was dropped.
 */
const ADVANCE_SCRIPT = `
local ranks = cjson.decode(${JSON.stringify(JSON.stringify(PROGRESS_RANKS))})
local message = ARGV[2]
local incoming = cjson.decode(message)
local function status_rank(status)
  return ranks.statuses[status] or math.huge
end
local function stage_rank(stage)
  return ranks.stages[stage] or -1
end
local raw = redis.call('GET', KEYS[1])
local readable, current = false, nil
if raw then readable, current = pcall(cjson.decode, raw) end
if readable and type(current) == 'table' and type(current.progress) == 'number' then
  if status_rank(current.status) == math.huge then return 0 end
  if status_rank(incoming.status) == math.huge then
    if stage_rank(current.current_stage) > stage_rank(incoming.current_stage) then
      incoming.current_stage = current.current_stage
    end
    if current.progress > incoming.progress then incoming.progress = current.progress end
    message = cjson.encode(incoming)
  elseif status_rank(incoming.status) < status_rank(current.status)
    or stage_rank(incoming.current_stage) < stage_rank(current.current_stage)
    or incoming.progress < current.progress then
    return 0
  end
end
redis.call('SET', KEYS[1], message, 'EX', ARGV[3])
redis.call('PUBLISH', ARGV[1], message)
return 1
`;

interface AdvanceCommand {
  [COMMAND](key: string, channel: string, message: string, ttlSeconds: number): Promise<number>;
}

/**
 * Stores an export's progress (`export_progress:{id}`) and publishes it on its channel, unless it would move
 * the progress back (an older stage, a lower percentage, anything after a terminal status): the one way the
 * API and the workers write progress. Resolves to whether the update landed.
 */
export async function writeExportProgress(
  redis: Redis,
  exportId: string,
  progress: OwnedProgress,
): Promise<boolean> {
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: ADVANCE_SCRIPT });
  const landed = await (redis as unknown as AdvanceCommand)[COMMAND](
    RedisKeys.exportProgress(exportId),
    RedisKeys.exportProgressChannel(exportId),
    JSON.stringify(progress),
    PROGRESS_TTL_SECONDS,
  );
  return landed === 1;
}
