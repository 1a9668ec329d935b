/**
 * The Lua scripts of the protocol. Each runs atomically in Redis, which is what makes "exactly one leader"
 * and "no lost wake-up" hold. KEYS[1] is the lease, KEYS[2] the result key; results are stored and published
 * as `token\nbody`.
 */

/**
 * Becomes leader or learns who is. ARGV: my token, leaseMs, the token I waited for ('' if none), force ('1'
 * takes the lease even if held: a flight started after `forget`).
 * Returns {1} (I lead), {0, holderToken, pttl} (someone leads), or {2, stored} (the flight I waited for has
 * settled and this is its stored result).
 */
export const ACQUIRE = `
if ARGV[4] ~= '1' then
  local holder = redis.call('GET', KEYS[1])
  if holder then return {0, holder, redis.call('PTTL', KEYS[1])} end
  if ARGV[3] ~= '' then
    local stored = redis.call('GET', KEYS[2])
    if stored and string.sub(stored, 1, #ARGV[3] + 1) == ARGV[3] .. '\\n' then return {2, stored} end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1}`;

/** Extends the lease if it is still mine. ARGV: my token, leaseMs. Returns 1, or 0 when it is no longer mine. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * Settles a flight: releases the lease if still mine, stores the result and publishes it, in one step, so a
 * waiter either sees the lease (and then gets the message) or sees the result. ARGV: my token, `token\nbody`,
 * resultTtlMs, channel, the publish command ('PUBLISH', or 'SPUBLISH' on Redis Cluster: the channel shares the
 * keys' hash tag, so the message stays on their shard). Returns the number of subscribers that received it.
 */
export const SETTLE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return redis.call(ARGV[5] == 'SPUBLISH' and 'SPUBLISH' or 'PUBLISH', ARGV[4], ARGV[2])`;
