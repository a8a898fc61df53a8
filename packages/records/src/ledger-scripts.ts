/**
 * The ledger's Lua scripts. Every key a script touches carries the tenant's hash tag, so each
 * runs in one Redis Cluster slot; budget checks and the entry they guard change in one step.
 */

/** Pick the budget-use key of a period ('day' → first, 'month' → second). */
const USE_KEY = `
local function use_key(period, day_key, month_key)
  if period == 'day' then return day_key end
  return month_key
end
`;

/** Redis's clock (ms), so every process measures a call's lease by the same clock. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Write a call down before it is sent, reserving it (and its price) against the tenant's budget.
 * A job has one open call at a time: while another run's call is open (in flight, or answered and
 * not yet handed to the record), nothing is written and no call may be made. The open call holds a
 * lease its process renews while the call is in flight (`RENEW_CALL`).
 * KEYS: entries, index, pending, open, reserved, budget, use (day), use (month)
 * ARGV: id, entry JSON, started at (ms), job id, price (micro-units), use TTL (s), lease (ms)
 * Returns {1, 0} when written, {0, first} when the budget is spent (first: 1 the first time this
 * period), {2, 0} when the job has another call open.
 */
export const BEGIN_CALL = `${USE_KEY}${NOW}
if redis.call('HEXISTS', KEYS[4], ARGV[4]) == 1 then return {2, 0} end
local period = redis.call('HGET', KEYS[6], 'period')
if period then
  local use = use_key(period, KEYS[7], KEYS[8])
  local max_calls = tonumber(redis.call('HGET', KEYS[6], 'max_calls') or '')
  local max_spend = tonumber(redis.call('HGET', KEYS[6], 'max_spend') or '')
  local calls = tonumber(redis.call('HGET', use, 'calls') or '0')
  local spend = tonumber(redis.call('HGET', use, 'spend') or '0')
  local price = tonumber(ARGV[5])
  if (max_calls and calls + 1 > max_calls) or (max_spend and spend + price > max_spend) then
    local first = redis.call('HSETNX', use, 'exhausted_at', ARGV[3])
    redis.call('EXPIRE', use, ARGV[6])
    return {0, first}
  end
  redis.call('HINCRBY', use, 'calls', 1)
  redis.call('HINCRBY', use, 'spend', price)
  redis.call('EXPIRE', use, ARGV[6])
  redis.call('HSET', KEYS[5], ARGV[1], period)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[4], cjson.encode({entryId = ARGV[1], leaseUntil = now + tonumber(ARGV[7])}))
return {1, 0}
`;

/**
 * Renew the lease of a call in flight: its process is alive, another run must not book it
 * `interrupted`. Only while the call is still the job's open one and has no outcome.
 * KEYS: pending, open. ARGV: id, job id, lease (ms). Returns 1 when renewed.
 */
export const RENEW_CALL = `${NOW}
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
local open = redis.call('HGET', KEYS[2], ARGV[2])
if not open or cjson.decode(open).entryId ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode({entryId = ARGV[1], leaseUntil = now + tonumber(ARGV[3])}))
return 1
`;

/**
 * How long the job's open call's lease has left (ms; 0 when lapsed or there is none).
 * KEYS: open. ARGV: job id.
 */
export const LEASE_LEFT = `${NOW}
local open = redis.call('HGET', KEYS[1], ARGV[1])
if not open then return 0 end
local lease = cjson.decode(open).leaseUntil
if not lease then return 0 end
return math.max(0, lease - now)
`;

/**
 * Record a call's outcome (once: a second run for the same entry changes nothing), add it to the
 * day's roll-up, keep the vendor's image answer, settle the budget reservation, trim old entries.
 * KEYS: entries, index, pending, open, reserved, budget, use (day), use (month), usage day, answer
 * ARGV: 1 id, 2 entry JSON, 3 job id, 4 open value ('' removes it), 5 answer bytes ('' none),
 *       6 answer TTL (s), 7 billable (1/0), 8 keep the reservation though not billable (1/0),
 *       9 price, 10 roll-up label, 11 rate-limited (1/0), 12 latency bucket ('' none),
 *       13 roll-up expires at (unix s), 14 now (ms), 15 trim entries started before (ms), 16 entry cap
 * Returns {recorded, threshold crossed now, budget exhausted now} (1/0 each).
 */
export const END_CALL = `${USE_KEY}
if redis.call('SREM', KEYS[3], ARGV[1]) == 0 then return {0, 0, 0} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] == '' then redis.call('HDEL', KEYS[4], ARGV[3]) else redis.call('HSET', KEYS[4], ARGV[3], ARGV[4]) end
if ARGV[5] ~= '' then redis.call('SET', KEYS[10], ARGV[5], 'EX', ARGV[6]) end
local label = ARGV[10]
redis.call('HINCRBY', KEYS[9], label .. '|calls', 1)
if ARGV[7] == '1' then
  redis.call('HINCRBY', KEYS[9], label .. '|billable', 1)
  redis.call('HINCRBY', KEYS[9], label .. '|spend', ARGV[9])
end
if ARGV[11] == '1' then redis.call('HINCRBY', KEYS[9], label .. '|rate_limited', 1) end
if ARGV[12] ~= '' then redis.call('HINCRBY', KEYS[9], label .. '|l' .. ARGV[12], 1) end
redis.call('EXPIREAT', KEYS[9], ARGV[13])

local alerted, exhausted = 0, 0
local period = redis.call('HGET', KEYS[5], ARGV[1])
if period then
  redis.call('HDEL', KEYS[5], ARGV[1])
  local use = use_key(period, KEYS[7], KEYS[8])
  if ARGV[7] ~= '1' and ARGV[8] ~= '1' then
    redis.call('HINCRBY', use, 'calls', -1)
    redis.call('HINCRBY', use, 'spend', -tonumber(ARGV[9]))
  elseif ARGV[7] == '1' and redis.call('HGET', KEYS[6], 'period') == period then
    local calls = tonumber(redis.call('HGET', use, 'calls') or '0')
    local spend = tonumber(redis.call('HGET', use, 'spend') or '0')
    local max_calls = tonumber(redis.call('HGET', KEYS[6], 'max_calls') or '')
    local max_spend = tonumber(redis.call('HGET', KEYS[6], 'max_spend') or '')
    local alert_at = tonumber(redis.call('HGET', KEYS[6], 'alert_at') or '')
    local share = 0
    if max_calls and max_calls > 0 then share = math.max(share, calls / max_calls) end
    if max_spend and max_spend > 0 then share = math.max(share, spend / max_spend) end
    if (max_calls and calls >= max_calls) or (max_spend and spend >= max_spend) then share = 1 end
    if alert_at and share >= alert_at then alerted = redis.call('HSETNX', use, 'alerted_at', ARGV[14]) end
    if share >= 1 then exhausted = redis.call('HSETNX', use, 'exhausted_at', ARGV[14]) end
  end
end

local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[15], 'LIMIT', 0, 100)
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[16])
if over > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, math.min(over, 100) - 1)) do table.insert(old, id) end
end
for _, id in ipairs(old) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
return {1, alerted, exhausted}
`;

/**
 * Take back a call written down but never sent (the process died between the two steps).
 * KEYS: entries, index, pending, open, reserved, use (day), use (month). ARGV: id, job id, price.
 */
export const VOID_CALL = `${USE_KEY}
if redis.call('SREM', KEYS[3], ARGV[1]) == 0 then return 0 end
local open = redis.call('HGET', KEYS[4], ARGV[2])
if open and cjson.decode(open).entryId == ARGV[1] then redis.call('HDEL', KEYS[4], ARGV[2]) end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local period = redis.call('HGET', KEYS[5], ARGV[1])
if period then
  redis.call('HDEL', KEYS[5], ARGV[1])
  local use = use_key(period, KEYS[6], KEYS[7])
  redis.call('HINCRBY', use, 'calls', -1)
  redis.call('HINCRBY', use, 'spend', -tonumber(ARGV[3]))
end
return 1
`;
