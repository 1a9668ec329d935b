/**
 * The Lua scripts of the protocol. Each runs atomically in Redis, which is what makes "exactly one leader",
 * "no lost wake-up" and "fencing tokens only grow" hold. Every script gets the same KEYS, the names of one
 * flight (see names.ts): KEYS[1] the lease (the leader's token), KEYS[2] the result (`token\nbody`), KEYS[3]
 * the fence (`<fencing token> <token>` of the latest lease), KEYS[4] the waiting processes (a sorted set of their
 * tokens, scored by when their heartbeat lapses). Results are published as `token\nbody` when the body is
 * small, as `token\n` (body in the result key) otherwise.
 *
 * The protocol also relies on the order of one flight's commands on a connection, which Redis keeps: a
 * fallback's SETTLE runs after its ACQUIRE (leader.ts), and this process's next ACQUIRE of a key after the
 * SETTLE before it. The scripts are sent by SHA1 (EVALSHA); a command that met NOSCRIPT is re-sent only when
 * that keeps this order, and otherwise fails like Redis being unavailable (script-cache.ts).
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
 * Shared by the scripts. `publish` is the one place that names the publish command (its caller passes 'SPUBLISH'
 * for sharded pub/sub on Redis Cluster). `now` reads Redis's clock, which is why scripts replicate their
 * effects rather than their text (the default since Redis 7; asked for explicitly on 5 and 6).
 */
const PRELUDE = `if redis.replicate_commands then redis.replicate_commands() end
local function publish(command, channel, message)
  return redis.call(command == 'SPUBLISH' and 'SPUBLISH' or 'PUBLISH', channel, message)
end
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function stored(token)
  local value = redis.call('GET', KEYS[2])
  if value and string.sub(value, 1, #token + 1) == token .. '\\n' then return value end
end
local function latest()
  local record = redis.call('GET', KEYS[3])
  if record then return string.match(record, '^(%d+) (.*)$') end
end
local function waiting()
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', math.floor(now_us() / 1000))
  return redis.call('ZCARD', KEYS[4])
end
`;

/**
 * Becomes leader or learns who is. ARGV: my token, leaseMs, the token I waited for ('' if none), a
 * {@link Takeover} mode, how long my heartbeat as a waiting process lasts (ms).
 * Returns {1, fence} (I lead, with this fencing token), {0, holderToken, pttl, holderFence or ''} (someone
 * leads; I am counted as a waiting process until my heartbeat lapses, and each ACQUIRE renews it), or {2,
 * stored, fence or ''} (the flight I waited for has settled, or a later flight that took its lease over has:
 * this is its stored result).
 * The fencing token is the fence key's token + 1, or Redis's clock in microseconds if that is larger: strictly
 * greater than every earlier token of the key while the fence key lives (it outlives every lease), and after
 * that as long as Redis's clock has not gone back (tokens never run ahead of it by more than 1 µs).
 */
export const ACQUIRE = `${PRELUDE}
local holder = redis.call('GET', KEYS[1])
if holder and ARGV[4] ~= '1' and not (ARGV[4] == '2' and holder == ARGV[3]) then
  local ttl = tonumber(ARGV[5])
  redis.call('ZADD', KEYS[4], math.floor(now_us() / 1000) + ttl, ARGV[1])
  if redis.call('PTTL', KEYS[4]) < ttl then redis.call('PEXPIRE', KEYS[4], ttl) end
  local fence, owner = latest()
  return {0, holder, redis.call('PTTL', KEYS[1]), owner == holder and fence or ''}
end
if not holder and ARGV[3] ~= '' then
  local fence, owner = latest()
  local result = stored(ARGV[3])
  if result then return {2, result, owner == ARGV[3] and fence or ''} end
  if owner and owner ~= ARGV[3] then
    result = stored(owner)
    if result then return {2, result, fence} end
  end
end
local fence = string.format('%.0f', math.max(tonumber(latest() or '0') + 1, now_us()))
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[3], fence .. ' ' .. ARGV[1], 'PX', 2 * tonumber(ARGV[2]))
redis.call('ZREM', KEYS[4], ARGV[1])
return {1, fence}`;

/**
 * Extends the lease if it is still mine (and the fence key with it, to twice the lease). ARGV: my token,
 * leaseMs. Returns {1, waiting processes whose heartbeat has not lapsed}, or {0, 0} when the lease is no
 * longer mine.
 */
export const RENEW = `${PRELUDE}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0, 0} end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[3], 2 * tonumber(ARGV[2]))
return {1, waiting()}`;

/**
 * Settles a flight whose fencing token is still the latest: its lease is still mine, or it lapsed and no
 * later lease was taken (the fence key still holds my token). Releases the lease, forgets the waiting
 * processes (this message answers them all), stores `token\nbody` and publishes it, in one step, so a waiter
 * either sees the lease (and then gets the message) or sees the result. A body longer than the inline limit
 * is published as `token\n` only: waiters read it from the result key, so large results never pile up in a
 * subscriber's output buffer. Otherwise (taken over, or never taken by an ACQUIRE that timed out) nothing is
 * stored and `token\n` + the refusal body is published, so waiters of this token ask again at once.
 * ARGV: my token, my fencing token ('' if unknown), body, resultTtlMs, channel, inline limit in bytes, refusal
 * body, the publish command ('PUBLISH', or 'SPUBLISH' on Redis Cluster: the channel shares the keys' hash tag,
 * so the message stays on their shard). Returns 1 if settled, 0 if refused.
 */
export const SETTLE = `${PRELUDE}
local lease = redis.call('GET', KEYS[1])
if lease ~= ARGV[1] and (lease or redis.call('GET', KEYS[3]) ~= ARGV[2] .. ' ' .. ARGV[1]) then
  publish(ARGV[8], ARGV[5], ARGV[1] .. '\\n' .. ARGV[7])
  return 0
end
if lease then redis.call('DEL', KEYS[1]) end
redis.call('DEL', KEYS[4])
redis.call('SET', KEYS[2], ARGV[1] .. '\\n' .. ARGV[3], 'PX', ARGV[4])
if #ARGV[3] <= tonumber(ARGV[6]) then publish(ARGV[8], ARGV[5], ARGV[1] .. '\\n' .. ARGV[3])
else publish(ARGV[8], ARGV[5], ARGV[1] .. '\\n') end
return 1`;

/** Reads the stored result of a flight. ARGV: its token. Returns `token\nbody`, or nil if not stored (any more). */
export const FETCH = `${PRELUDE}
return stored(ARGV[1]) or false`;

/** A waiting process all of whose callers left stops counting as waiting. ARGV: its token. Returns 0 or 1. */
export const LEAVE = `${PRELUDE}
return redis.call('ZREM', KEYS[4], ARGV[1])`;
