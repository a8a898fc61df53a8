/**
 * Lua scripts of an `Idempotency-Key` claim, a JSON string:
 * `{fingerprint, owner, leaseUntil}` while its request creates the job, `{fingerprint, jobId}`
 * once the job exists. Lease times are Redis's own clock (TIME), the same for every API process.
 */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: claim. ARGV: fingerprint, owner, lease ms, ttl s.
 * Returns {'new'} (claimed, or taken over from a request whose lease lapsed: no job was
 * created under it), {'replay', jobId}, {'mismatch'} or {'in_progress'}.
 */
export const CLAIM = `${NOW}
local doc = redis.call('GET', KEYS[1])
if not doc then
  redis.call('SET', KEYS[1], cjson.encode({fingerprint = ARGV[1], owner = ARGV[2],
    leaseUntil = now + tonumber(ARGV[3])}), 'EX', ARGV[4])
  return {'new'}
end
local claim = cjson.decode(doc)
if claim.fingerprint ~= ARGV[1] then return {'mismatch'} end
if claim.jobId then return {'replay', claim.jobId} end
if claim.leaseUntil and tonumber(claim.leaseUntil) > now then return {'in_progress'} end
claim.owner = ARGV[2]
claim.leaseUntil = now + tonumber(ARGV[3])
redis.call('SET', KEYS[1], cjson.encode(claim), 'KEEPTTL')
return {'new'}
`;

/** KEYS: claim. ARGV: owner, lease ms. 1 when the owner's lease was extended. */
export const RENEW = `${NOW}
local doc = redis.call('GET', KEYS[1])
if not doc then return 0 end
local claim = cjson.decode(doc)
if claim.jobId or claim.owner ~= ARGV[1] then return 0 end
claim.leaseUntil = now + tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(claim), 'KEEPTTL')
return 1
`;

/** KEYS: claim. ARGV: owner. Drops a claim its owner holds and no job was created under. */
export const RELEASE = `
local doc = redis.call('GET', KEYS[1])
if not doc then return 0 end
local claim = cjson.decode(doc)
if claim.jobId or claim.owner ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;
