/**
 * Lua scripts that keep a job record and its indexes consistent in one step.
 * A record is a hash: `doc` (JSON), `v` (version for compare-and-set), `status`.
 */

/** Completion check shared by the scripts below: mark the batch completed exactly once. */
const BATCH_COMPLETION = `
local function complete_batch(batch, now)
  if redis.call('EXISTS', batch) == 0 then return 0 end
  if redis.call('HGET', batch, 'sealed') ~= '1' then return 0 end
  local total = tonumber(redis.call('HGET', batch, 'total') or '0')
  local done = tonumber(redis.call('HGET', batch, 'succeeded') or '0')
    + tonumber(redis.call('HGET', batch, 'failed') or '0')
    + tonumber(redis.call('HGET', batch, 'canceled') or '0')
  if done >= total then
    return redis.call('HSETNX', batch, 'completedAt', now)
  end
  return 0
end
`;

/**
 * KEYS: job, tenantJobs, openJobs, batch, batchJobs (batch keys that never exist when none), tenantOpen,
 *       tenants (every tenant with jobs: the retention sweep prunes their indexes),
 *       Idempotency-Key claim (the job key itself when none)
 * ARGV: id, doc, status, now, has batch (1/0), tenant, batch id, changes channel, claim owner ('' when none),
 *       held inputs ('' when none: a JSON object of object key → base64 bytes, kept until the job is final)
 * A batch's new item is announced on the changes channel (its counts moved). Under a claim the
 * job is created only while its owner still holds it (-1 otherwise), and the claim records the
 * job's id in the same step.
 */
export const CREATE_JOB = `
local claim
if ARGV[9] ~= '' then
  local doc = redis.call('GET', KEYS[8])
  if not doc then return -1 end
  claim = cjson.decode(doc)
  if claim.jobId or claim.owner ~= ARGV[9] then return -1 end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'v', 1, 'status', ARGV[3])
if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'inputs', ARGV[10]) end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[6])
if ARGV[5] == '1' then
  redis.call('HINCRBY', KEYS[4], 'total', 1)
  redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
  redis.call('ZADD', KEYS[5], 0, ARGV[1])
  redis.call('PUBLISH', ARGV[8], cjson.encode({id = ARGV[1], tenant = ARGV[6], status = ARGV[3], batch = ARGV[7]}))
end
if claim then
  redis.call('SET', KEYS[8], cjson.encode({fingerprint = claim.fingerprint, jobId = ARGV[1]}), 'KEEPTTL')
end
return redis.call('ZCARD', KEYS[6])
`;

/**
 * Compare-and-set update.
 * KEYS: job, openJobs, batch (a key that never exists when none), tenantOpen, outbox
 * ARGV: expected version, doc, old status, new status, now, id, ttl ms (0: keep), final (1/0),
 *       batch id ('' when none), changes channel, tenant
 * Returns {ok (1, or -1 on version conflict, or 0 when gone), batchCompleted (1/0)}.
 * Reaching a final status puts the job (and a batch it completes) in the outbox, in the same
 * step, so its webhook events are emitted even if the process dies right after. Every write is
 * announced on the changes channel in the same step, so a listener that reads after the notice
 * sees the write; a final write's notice carries the record itself (`doc`), which never changes
 * again but for erasure, so a waiter answers without reading it. A final write drops the inputs
 * the record held.
 */
export const UPDATE_JOB = `${BATCH_COMPLETION}
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return {0, 0} end
if v ~= ARGV[1] then return {-1, 0} end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'v', tonumber(v) + 1, 'status', ARGV[4])
if ARGV[8] == '1' then
  redis.call('ZREM', KEYS[2], ARGV[6])
  redis.call('ZREM', KEYS[4], ARGV[6])
  redis.call('HDEL', KEYS[1], 'inputs')
else
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
end
if tonumber(ARGV[7]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  redis.call('ZADD', KEYS[5], ARGV[5], ARGV[6])
end
local completed = 0
if ARGV[3] ~= ARGV[4] and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HINCRBY', KEYS[3], ARGV[3], -1)
  redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
  if ARGV[8] == '1' then completed = complete_batch(KEYS[3], ARGV[5]) end
  if completed == 1 then redis.call('ZADD', KEYS[5], ARGV[5], ARGV[9]) end
end
local notice = {id = ARGV[6], tenant = ARGV[11], status = ARGV[4], batch = ARGV[9]}
if ARGV[8] == '1' then notice.doc = ARGV[2] end
redis.call('PUBLISH', ARGV[10], cjson.encode(notice))
return {1, completed}
`;

/** KEYS: batch, outbox. ARGV: now, batch id. Seal a batch (all items created) and check completion. */
export const SEAL_BATCH = `${BATCH_COMPLETION}
redis.call('HSET', KEYS[1], 'sealed', '1')
local completed = complete_batch(KEYS[1], ARGV[1])
if completed == 1 then redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2]) end
return completed
`;
