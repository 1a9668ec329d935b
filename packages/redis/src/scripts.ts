/**
 * The Lua scripts of the protocol. Each runs atomically in Redis, which is what makes "exactly one leader"
 * and "no lost wake-up" hold. KEYS[1] is the lease, KEYS[2] the result key; results are stored as
 * `token\nbody`, and published as `token\nbody` when the body is small, as `token\n` (body in the result key)
 * otherwise.
 */

/** How ACQUIRE treats a lease held by someone else (its ARGV[4]). */
export const Takeover = {
  /** Take the lease only if it is free. */
  never: '0',
  /** Take it whoever holds it: the first flight after `forget`. */
  always: '1',
  /** Take it if it is free or still held by the awaited token: a holder that stopped renewing. */
  ifAwaited: '2',
} as const;
export type Takeover = (typeof Takeover)[keyof typeof Takeover];

/**
 * Publishes on a flight's channel. The one place that names the publish command (sharded pub/sub on Redis
 * Cluster publishes with SPUBLISH instead).
 */
const PUBLISH = `local function publish(channel, message) return redis.call('PUBLISH', channel, message) end
`;

/** `token\nbody` stored in `key` if it is `token`'s result, else nil. */
const STORED = `local function stored(key, token)
  local value = redis.call('GET', key)
  if value and string.sub(value, 1, #token + 1) == token .. '\\n' then return value end
end
`;

/**
 * Becomes leader or learns who is. ARGV: my token, leaseMs, the token I waited for ('' if none), a
 * {@link Takeover} mode.
 * Returns {1} (I lead), {0, holderToken, pttl} (someone leads), or {2, stored} (the flight I waited for has
 * settled and this is its stored result).
 */
export const ACQUIRE = `${STORED}
local holder = redis.call('GET', KEYS[1])
if holder and ARGV[4] ~= '1' and not (ARGV[4] == '2' and holder == ARGV[3]) then
  return {0, holder, redis.call('PTTL', KEYS[1])}
end
if not holder and ARGV[3] ~= '' then
  local result = stored(KEYS[2], ARGV[3])
  if result then return {2, result} end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1}`;

/** Extends the lease if it is still mine. ARGV: my token, leaseMs. Returns 1, or 0 when it is no longer mine. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * Settles a flight whose lease is still mine: releases the lease, stores `token\nbody` and publishes it, in
 * one step, so a waiter either sees the lease (and then gets the message) or sees the result. A body longer
 * than the inline limit is published as `token\n` only: waiters read it from the result key, so large results
 * never pile up in a subscriber's output buffer. If the lease is not mine (taken over, or never taken by an
 * ACQUIRE that timed out), nothing is stored and `token\n` + the refusal body is published, so waiters of this
 * token ask again at once. ARGV: my token, body, resultTtlMs, channel, inline limit in bytes, refusal body.
 * Returns 1 if settled, 0 if refused.
 */
export const SETTLE = `${PUBLISH}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  publish(ARGV[4], ARGV[1] .. '\\n' .. ARGV[6])
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1] .. '\\n' .. ARGV[2], 'PX', ARGV[3])
if #ARGV[2] <= tonumber(ARGV[5]) then publish(ARGV[4], ARGV[1] .. '\\n' .. ARGV[2]) else publish(ARGV[4], ARGV[1] .. '\\n') end
return 1`;

/** Reads the stored result of a flight. ARGV: its token. Returns `token\nbody`, or nil if not stored (any more). */
export const FETCH = `${STORED}
return stored(KEYS[2], ARGV[1]) or false`;
