import { LuaScript } from "@facegate/records";

/** The window vendors count calls over: how long a cut holds a credential back. */
const WINDOW_MS = 1000;
/** How long call starts are kept: a refusal is read against the second before its call. */
const HISTORY_MS = 10_000;
/** At most this many starts kept per credential (a count above it reads as the cap, a rate too low). */
const HISTORY_CALLS = 512;

/**
 * The pacer's state lives in one Redis hash per vendor, so every worker process shares it; the
 * clock is Redis `TIME`. Fields, per credential i:
 *   n:i  earliest start of its next call (ms)                       — GCRA "virtual scheduling"
 *   r:i  the rate in force (calls/s)                                 — adaptive only, below
 *   lo:i highest rate seen to work, hi:i lowest rate seen refused (0: unknown)
 *   t:i  start of the current judging period, c:i calls answered in it at the rate in force
 *   s:i  start times of its recent calls (ms, comma-separated, newest last)
 *   p:i  when the rate settled (ms), k:i when it was last cut (ms)
 *
 * Every script takes one more ARGV, last: the time (ms) to use in place of Redis `TIME`, or 0 for
 * `TIME` itself (a simulation runs on its own clock; see PacerOptions.clock).
 *
 * Adaptive pacing learns each credential's limit from the vendor's answers. Every call reports
 * the slot it went out in. A period (a second, at least) of answers at the rate in force, enough of
 * them for demand to have filled it and none refused, makes that rate "good" (lo); a refusal of a
 * call sent at or below the rate in force makes that rate "too fast" (hi). The refusal also says
 * what the limit is: the vendor refused this call with the calls sent in the second before it in
 * its window, so it allows that many a second, and the rate drops to exactly that (when that
 * explains the refusal; otherwise back to the last good rate, or half). Between lo and hi it
 * searches by halving; once they are within 3 % it settles 3 % below lo, and after `probeMs` tries
 * 10 % more, so a limit that rose is found too. With no refusal seen yet it doubles each period,
 * from the first guess, or from 1 call/s (a slow start) when there is none. A cut holds the
 * credential back one window (a second), for the vendor to forget the calls that were too many,
 * and voids the slots handed out before it; refusals of calls sent at a faster, older rate only
 * narrow hi.
 */
const CLOCK = `
local now = tonumber(ARGV[#ARGV])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function num(field, default)
  return tonumber(redis.call('HGET', KEYS[1], field) or default)
end
-- A credential's recent call starts, oldest first; \`drop\` (a start time) leaves one out.
local function starts(i, drop)
  local out = {}
  for at in string.gmatch(redis.call('HGET', KEYS[1], 's:' .. i) or '', '[^,]+') do
    at = tonumber(at)
    if at == drop then drop = nil elseif at > now - ${HISTORY_MS} then out[#out + 1] = at end
  end
  return out
end
local function keep(i, list)
  local first = math.max(1, #list - ${HISTORY_CALLS} + 1)
  redis.call('HSET', KEYS[1], 's:' .. i, table.concat(list, ',', first))
end
`;

/**
 * ARGV: first rate (the guess, or the slow start's), credentials, max wait ms, margin, adaptive (1/0).
 * Returns {credential (-1 when the wait would exceed max), wait ms, rate, granted at, starts at}.
 */
export const ACQUIRE = new LuaScript(`${CLOCK}
local adaptive = ARGV[5] == '1'
local best, best_at = 0, nil
for i = 0, tonumber(ARGV[2]) - 1 do
  local at = num('n:' .. i, '0')
  if best_at == nil or at < best_at then best, best_at = i, at end
end
local rate = tonumber(ARGV[1])
if adaptive then rate = num('r:' .. best, ARGV[1]) end
local start = math.max(now, best_at)
local wait = start - now
if wait > tonumber(ARGV[3]) then return {-1, math.ceil(wait), tostring(rate), tostring(now), '0'} end
redis.call('HSET', KEYS[1], 'n:' .. best, start + 1000 / rate * (1 + tonumber(ARGV[4])))
start = math.floor(start)
if adaptive then
  local list = starts(best)
  list[#list + 1] = start
  keep(best, list)
end
redis.call('PEXPIRE', KEYS[1], 3600000)
return {best, math.ceil(wait), tostring(rate), tostring(now), tostring(start)}
`);

/**
 * ARGV: credential, granted at (ms), starts at (ms), given up anyway (1/0). Returns 1 when the
 * slot is given up: anyway, or because the credential was cut after the grant. A slot given up is
 * no longer counted among the credential's calls.
 */
export const VOIDED = new LuaScript(`${CLOCK}
local i = ARGV[1]
if ARGV[4] ~= '1' and num('k:' .. i, '0') <= tonumber(ARGV[2]) then return 0 end
keep(i, starts(i, tonumber(ARGV[3])))
return 1
`);

/**
 * An answer that was not a refusal. ARGV: credential, rate the call was sent at, period ms, probe ms,
 * first rate.
 */
export const ANSWERED = new LuaScript(`${CLOCK}
local i, sent, period, probe = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local rate = num('r:' .. i, ARGV[5])
-- Sent at another rate than the one in force: it says nothing about this one.
if math.abs(sent - rate) > rate * 0.0001 then return 0 end
local t0, calls = num('t:' .. i, '0'), num('c:' .. i, '0') + 1
if t0 == 0 then t0 = now end
if now - t0 < period then
  redis.call('HSET', KEYS[1], 't:' .. i, t0, 'c:' .. i, calls)
  return 0
end
local lo, hi, settled = num('lo:' .. i, '0'), num('hi:' .. i, '0'), num('p:' .. i, '0')
local nextRate = rate
-- Only a rate that demand filled has been tried; otherwise keep it and look again later.
if calls >= 0.8 * rate * (now - t0) / 1000 then
  if rate > lo then lo = rate end
  if hi > 0 and hi <= lo then hi = 0 end
  if hi == 0 then
    nextRate, settled = rate * 2, 0
  elseif (hi - lo) / hi > 0.03 then
    nextRate, settled = (lo + hi) / 2, 0
  else
    -- Settled a little below the highest rate that worked, which sits at the limit's edge.
    nextRate = lo * 0.97
    if settled == 0 then settled = now end
    if now - settled >= probe then hi, settled, nextRate = 0, 0, lo * 1.1 end
  end
end
redis.call('HSET', KEYS[1], 'r:' .. i, nextRate, 'lo:' .. i, lo, 'hi:' .. i, hi, 'p:' .. i, settled,
  't:' .. i, now, 'c:' .. i, 0)
return 1
`);

/**
 * A refusal. ARGV: first rate, credential index (-1: all), credentials, rate the refused call was
 * sent at (0: unknown), when it started (ms; 0: unknown), ms to hold the credential back at least,
 * adaptive (1/0).
 */
export const REFUSED = new LuaScript(`${CLOCK}
local adaptive = ARGV[7] == '1'
local first, last = tonumber(ARGV[2]), tonumber(ARGV[2])
if first < 0 then first, last = 0, tonumber(ARGV[3]) - 1 end
local sent, sentAt = tonumber(ARGV[4]), tonumber(ARGV[5])
for i = first, last do
  local rate, hold = tonumber(ARGV[1]), tonumber(ARGV[6])
  if adaptive then
    rate = num('r:' .. i, ARGV[1])
    -- The calls in the vendor's window when it refused this one: those started in the second before.
    local list, window = starts(i, sentAt), 0
    keep(i, list)
    if first == last and sentAt > 0 then
      for _, at in ipairs(list) do
        if at > sentAt - ${WINDOW_MS} and at < sentAt then window = window + 1 end
      end
    end
    if now - num('k:' .. i, '0') < ${WINDOW_MS} then
      -- No lesson (the window after a cut), but a period with a refusal in it never counts as good.
      redis.call('HSET', KEYS[1], 't:' .. i, 0, 'c:' .. i, 0)
    elseif sent <= rate * 1.0001 then
      -- The rate in force is too fast (a call sent at a lower rate is refused because of the calls
      -- around it, which the rate in force spaces). The vendor allows the calls that were in its
      -- window: go to that rate, when it is below the one refused. Otherwise back to what last
      -- worked, or half if nothing has. When the limit fell below a rate that worked, the window
      -- holds what the old limit let through: half, or the window if lower, and what worked is
      -- forgotten (the next refusal's window holds only what the new limit let through).
      local lo = num('lo:' .. i, '0')
      local hi = math.max(sent, rate)
      if lo >= hi then
        rate, lo = hi * 0.5, 0
        if window > 0 and window < rate then rate = window end
      elseif window > 0 and window * 1.03 < hi then
        rate, lo, hi = window, window, window * 1.03
      else
        if lo == 0 then lo = hi * 0.5 end
        rate = lo
      end
      hold = math.max(hold, ${WINDOW_MS})
      redis.call('HSET', KEYS[1], 'r:' .. i, rate, 'lo:' .. i, lo, 'hi:' .. i, hi,
        't:' .. i, 0, 'c:' .. i, 0, 'p:' .. i, 0, 'k:' .. i, now)
    else
      local hi = num('hi:' .. i, '0')
      if hi == 0 or sent < hi then redis.call('HSET', KEYS[1], 'hi:' .. i, sent) end
      redis.call('HSET', KEYS[1], 't:' .. i, 0, 'c:' .. i, 0)
    end
  end
  if rate > 0 then hold = math.max(hold, 1000 / rate) end
  local at = num('n:' .. i, '0')
  if now + hold > at then redis.call('HSET', KEYS[1], 'n:' .. i, now + hold) end
end
redis.call('PEXPIRE', KEYS[1], 3600000)
return 1
`);

/** ARGV: credentials, first-guess rate. Returns the rate in force per credential, as strings. */
export const RATES = new LuaScript(`${CLOCK}
local out = {}
for i = 0, tonumber(ARGV[1]) - 1 do out[#out + 1] = tostring(num('r:' .. i, ARGV[2])) end
return out
`);
