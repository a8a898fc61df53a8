import { LuaScript } from "@facegate/records";

/**
 * The pacer's state lives in one Redis hash per vendor, so every worker process shares it; the
 * clock is Redis `TIME`. Fields, per credential i:
 *   n:i  earliest start of its next call (ms)                       — GCRA "virtual scheduling"
 *   r:i  the rate in force (calls/s; 0: not paced yet)               — adaptive only, below
 *   lo:i highest rate seen to work, hi:i lowest rate seen refused (0: unknown)
 *   t:i  start of the current judging period, c:i calls answered in it at the rate in force
 *        (while not paced yet: calls sent in the current second)
 *   o:i  the rate calls went out at over the last second, while not paced yet (calls/s)
 *   p:i  when the rate settled (ms), k:i when it was last cut (ms)
 *
 * Every script takes one more ARGV, last: the time (ms) to use in place of Redis `TIME`, or 0 for
 * `TIME` itself (a simulation runs on its own clock; see PacerOptions.clock).
 *
 * Adaptive pacing learns each credential's limit from the vendor's answers. Every call reports
 * the rate it was sent at. A period (a second, at least) of answers at the rate in force, enough of
 * them for demand to have filled it and none refused, makes that rate "good" (lo); a refusal of a
 * call sent at or below the rate in force makes that rate "too fast" (hi) and drops to the last
 * good one. Between the two it searches by halving; once they are within 3 % it settles 3 % below
 * lo, and after `probeMs` tries 25 % more, so a limit that rose is found too. With no refusal seen
 * yet it grows 50 % a period. A cut holds the credential back one window (a second), for the vendor
 * to forget the calls that were too many, and voids the slots handed out before it; refusals of
 * calls sent at a faster, older rate only narrow hi. A vendor with no configured rate is not paced
 * until its first refusal, which starts the search at half the rate observed then.
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
`;

/** The window vendors count calls over: how long a cut holds a credential back. */
const WINDOW_MS = 1000;

/**
 * ARGV: first-guess rate (0: unknown), credentials, max wait ms, margin, adaptive (1/0).
 * Returns {credential (-1 when the wait would exceed max), wait ms, rate (0: unpaced), granted at}.
 */
export const ACQUIRE = new LuaScript(`${CLOCK}
local guess, adaptive = tonumber(ARGV[1]), ARGV[5] == '1'
local best, best_at = 0, nil
for i = 0, tonumber(ARGV[2]) - 1 do
  local at = num('n:' .. i, '0')
  if best_at == nil or at < best_at then best, best_at = i, at end
end
local rate = guess
if adaptive then rate = num('r:' .. best, ARGV[1]) end
if rate == 0 then
  -- Not paced: spread calls over the credentials in turn, and count them, so that a first refusal
  -- can tell the rate they went out at.
  redis.call('HSET', KEYS[1], 'n:' .. best, now)
  if adaptive then
    local t0, calls = num('t:' .. best, '0'), num('c:' .. best, '0') + 1
    if t0 == 0 then t0 = now end
    if now - t0 >= ${WINDOW_MS} then
      redis.call('HSET', KEYS[1], 'o:' .. best, calls * 1000 / (now - t0), 't:' .. best, now, 'c:' .. best, 0)
    else
      redis.call('HSET', KEYS[1], 't:' .. best, t0, 'c:' .. best, calls)
    end
    redis.call('PEXPIRE', KEYS[1], 3600000)
  end
  return {best, 0, '0', tostring(now)}
end
local start = math.max(now, best_at)
local wait = start - now
if wait > tonumber(ARGV[3]) then return {-1, math.ceil(wait), tostring(rate), tostring(now)} end
redis.call('HSET', KEYS[1], 'n:' .. best, start + 1000 / rate * (1 + tonumber(ARGV[4])))
redis.call('PEXPIRE', KEYS[1], 3600000)
return {best, math.ceil(wait), tostring(rate), tostring(now)}
`);

/** ARGV: credential, granted at (ms). Returns 1 when the credential was cut after the grant. */
export const VOIDED = new LuaScript(`${CLOCK}
return num('k:' .. ARGV[1], '0') > tonumber(ARGV[2]) and 1 or 0
`);

/**
 * An answer that was not a refusal. ARGV: credential, rate the call was sent at, period ms, probe ms,
 * first-guess rate.
 */
export const ANSWERED = new LuaScript(`${CLOCK}
local i, sent, period, probe = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local rate = num('r:' .. i, ARGV[5])
-- Not paced yet (calls are counted as they go out), or sent at another rate than the one in force.
if rate == 0 or math.abs(sent - rate) > rate * 0.0001 then return 0 end
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
    nextRate, settled = rate * 1.5, 0
  elseif (hi - lo) / hi > 0.03 then
    nextRate, settled = (lo + hi) / 2, 0
  else
    -- Settled a little below the highest rate that worked, which sits at the limit's edge.
    nextRate = lo * 0.97
    if settled == 0 then settled = now end
    if now - settled >= probe then hi, settled, nextRate = 0, 0, lo * 1.25 end
  end
end
redis.call('HSET', KEYS[1], 'r:' .. i, nextRate, 'lo:' .. i, lo, 'hi:' .. i, hi, 'p:' .. i, settled,
  't:' .. i, now, 'c:' .. i, 0)
return 1
`);

/**
 * A refusal. ARGV: first-guess rate, credential index (-1: all), credentials, rate the refused
 * call was sent at, ms to hold the credential back at least, adaptive (1/0).
 */
export const REFUSED = new LuaScript(`${CLOCK}
local guess, adaptive = ARGV[1], ARGV[6] == '1'
local first, last = tonumber(ARGV[2]), tonumber(ARGV[2])
if first < 0 then first, last = 0, tonumber(ARGV[3]) - 1 end
for i = first, last do
  local rate, sent, hold = tonumber(guess), tonumber(ARGV[4]), tonumber(ARGV[5])
  if adaptive then rate = num('r:' .. i, guess) end
  if adaptive and now - num('k:' .. i, '0') >= ${WINDOW_MS} then
    local lo, hi = num('lo:' .. i, '0'), num('hi:' .. i, '0')
    if rate == 0 then
      -- Not paced yet: the rate that was refused is the one observed (last period, or this one).
      local t0, calls = num('t:' .. i, '0'), num('c:' .. i, '0')
      sent = math.max(num('o:' .. i, '0'), t0 > 0 and calls * 1000 / math.max(1000, now - t0) or 0, 1)
    end
    if rate == 0 or sent <= rate * 1.0001 then
      -- The rate in force is too fast (a call sent at a lower rate is refused because of the calls
      -- around it, which the rate in force spaces): back to what last worked, or half, if nothing
      -- has worked yet or the limit fell below what did.
      hi = math.max(sent, rate)
      if lo >= hi or lo == 0 then lo = hi * 0.5 end
      rate = lo
      hold = math.max(hold, ${WINDOW_MS})
      redis.call('HSET', KEYS[1], 'r:' .. i, rate, 'lo:' .. i, lo, 'hi:' .. i, hi,
        't:' .. i, 0, 'c:' .. i, 0, 'p:' .. i, 0, 'k:' .. i, now)
    else
      if hi == 0 or sent < hi then redis.call('HSET', KEYS[1], 'hi:' .. i, sent) end
      redis.call('HSET', KEYS[1], 't:' .. i, 0, 'c:' .. i, 0)
    end
  elseif adaptive then
    -- No lesson (the window after a cut), but a period with a refusal in it never counts as good.
    redis.call('HSET', KEYS[1], 't:' .. i, 0, 'c:' .. i, 0)
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
