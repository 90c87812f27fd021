import { createHash } from 'node:crypto';

/**
 * Lua run inside Redis so that read-modify-write of one client is atomic across every gateway
 * instance. Each script touches keys of ONE client only (they share the `{clientId}` hash tag),
 * so the scripts also run on Redis Cluster. Numbers go back as strings ("%.17g") because Redis
 * truncates Lua numbers to integers in replies.
 *
 * The limit and bucket arithmetic mirrors src/budget/resolve-limits.ts and src/budget/bucket.ts
 * step for step; the store contract suite runs both and expects the same answers.
 */

export interface LuaScript {
  source: string;
  sha: string;
}

function script(body: string): LuaScript {
  const source = prelude + body;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Shared helpers: number formatting, override expiry, effective limits, refill, TTL. */
const prelude = `
local function fmt(x) return string.format('%.17g', x) end

-- The active override (decoded) and its raw JSON, dropping an expired one.
local function readOverride(key, raw, now)
  if not raw then return false, '' end
  local o = cjson.decode(raw)
  if o.expiresAtMs ~= nil and o.expiresAtMs <= now then
    redis.call('HDEL', key, 'ov')
    return false, ''
  end
  return o, raw
end

-- resolveLimits(): multiplier = pinned or feedback; absolute override values win.
local function resolve(tcap, trate, m, ov)
  local em = m
  if ov and ov.multiplier then em = ov.multiplier end
  local cap = tcap * em
  local rate = trate * em
  if ov and ov.capacity then cap = ov.capacity end
  if ov and ov.restoreRatePerSecond then rate = ov.restoreRatePerSecond end
  return cap, rate, em
end

-- refill(): a missing bucket is full; a clock behind the stored one refills nothing.
local function refill(tokens, updated, cap, rate, now)
  if tokens == nil or updated == nil then return cap, now end
  local elapsed = now - updated
  if elapsed < 0 then elapsed = 0 end
  tokens = math.min(cap, tokens + (elapsed * rate) / 1000)
  if now > updated then updated = now end
  return tokens, updated
end

local function msUntil(from, target, rate)
  if from >= target then return 0 end
  return math.ceil(((target - from) * 1000) / rate)
end

-- Idle clients expire; an override keeps its client at least until it ends (forever if open-ended).
local function applyTtl(key, ov, now, ttl)
  if ov and ov.expiresAtMs == nil then
    redis.call('PERSIST', key)
  elseif ov and ov.expiresAtMs - now > ttl then
    redis.call('PEXPIRE', key, math.ceil(ov.expiresAtMs - now))
  else
    redis.call('PEXPIRE', key, ttl)
  end
end
`;

/**
 * KEYS[1] client hash. ARGV: cost (already floored at minCost), tier capacity, tier rate,
 * nowMs, idle TTL ms, tier name.
 * Returns { allowed, remaining, capacity, rate, retryAfterMs, resetMs, exceeds, multiplier, overrideJson }.
 */
export const chargeScript = script(`
local key = KEYS[1]
local cost = tonumber(ARGV[1])
local now = tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
local f = redis.call('HMGET', key, 't', 'u', 'm', 'ov', 'seen')
local ov, raw = readOverride(key, f[4], now)
local cap, rate, em = resolve(tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(f[3]) or 1, ov)
local tokens, updated = refill(tonumber(f[1]), tonumber(f[2]), cap, rate, now)
local exceeds = cost > cap
local allowed = (not exceeds) and tokens >= cost
local retry = 0
if allowed then
  tokens = tokens - cost
  redis.call('HINCRBYFLOAT', key, 'cost', cost)
else
  redis.call('HINCRBY', key, 'thr', 1)
end
local reset = msUntil(tokens, cap, rate)
if not allowed then
  if exceeds then retry = reset else retry = msUntil(tokens, cost, rate) end
end
local seen = tonumber(f[5]) or now
if now > seen then seen = now end
redis.call('HINCRBY', key, 'req', 1)
redis.call('HSET', key, 't', fmt(tokens), 'u', fmt(updated), 'seen', fmt(seen), 'tier', ARGV[6], 'tc', ARGV[2], 'tr', ARGV[3])
applyTtl(key, ov, now, ttl)
return { allowed and 1 or 0, fmt(tokens), fmt(cap), fmt(rate), retry, reset, exceeds and 1 or 0, fmt(em), raw }
`);

/**
 * KEYS[1] client hash. ARGV: amount, nowMs, idle TTL ms.
 * Returns nil when the client has no bucket (never charged, or expired: then it is full anyway),
 * else { remaining, capacity, rate }.
 */
export const refundScript = script(`
local key = KEYS[1]
local amount = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local f = redis.call('HMGET', key, 't', 'u', 'm', 'ov', 'tc', 'tr', 'cost')
if not f[5] or not f[6] then return false end
local ov = readOverride(key, f[4], now)
local cap, rate = resolve(tonumber(f[5]), tonumber(f[6]), tonumber(f[3]) or 1, ov)
local tokens, updated = refill(tonumber(f[1]), tonumber(f[2]), cap, rate, now)
if amount < 0 then amount = 0 end
tokens = math.min(cap, tokens + amount)
local total = (tonumber(f[7]) or 0) - amount
if total < 0 then total = 0 end
redis.call('HSET', key, 't', fmt(tokens), 'u', fmt(updated), 'cost', fmt(total))
applyTtl(key, ov, now, tonumber(ARGV[3]))
return { fmt(tokens), fmt(cap), fmt(rate) }
`);

/** KEYS[1] client hash. ARGV: override JSON, nowMs, idle TTL ms. */
export const setOverrideScript = script(`
local key = KEYS[1]
local now = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'ov', ARGV[1])
applyTtl(key, cjson.decode(ARGV[1]), now, tonumber(ARGV[3]))
return 1
`);

/** KEYS[1] client hash. ARGV: nowMs, idle TTL ms. */
export const removeOverrideScript = script(`
local key = KEYS[1]
redis.call('HDEL', key, 'ov')
if redis.call('EXISTS', key) == 1 then redis.call('PEXPIRE', key, tonumber(ARGV[2])) end
return 1
`);

/**
 * KEYS[1] client hash. ARGV: multiplier, nowMs, idle TTL ms, expected ('' = unconditional).
 * Returns 1 when written, 0 when the stored multiplier was not the expected one.
 */
export const setMultiplierScript = script(`
local key = KEYS[1]
local now = tonumber(ARGV[2])
local f = redis.call('HMGET', key, 'm', 'ov')
if ARGV[4] ~= '' and (tonumber(f[1]) or 1) ~= tonumber(ARGV[4]) then return 0 end
local ov = readOverride(key, f[2], now)
redis.call('HSET', key, 'm', ARGV[1], 'mu', ARGV[2])
applyTtl(key, ov, now, tonumber(ARGV[3]))
return 1
`);

/** KEYS[1] client hash. ARGV: nowMs. Full bucket, multiplier 1, override kept. */
export const resetScript = script(`
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then return 0 end
redis.call('HDEL', key, 't', 'u')
redis.call('HSET', key, 'm', '1', 'mu', ARGV[1])
return 1
`);

/**
 * KEYS[1] the hash of the current signal slot, KEYS[2..] the other slots of the window (all one
 * hash tag). ARGV: ttl ms, distinct cap, number of counters n, then n (name, amount) pairs,
 * then (name, member) pairs for distinct sets. Counters live in fields "c:<name>", distinct
 * members in "d:<name>:<member>" with their number in "n:<name>", capped per slot so one key
 * stays small. Returns every slot's fields, so the caller gets the window's sums in the same
 * round trip that recorded the sample.
 */
export const recordSignalsScript = script(`
local key = KEYS[1]
local cap = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local i = 4
for _ = 1, n do
  redis.call('HINCRBYFLOAT', key, 'c:' .. ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i < #ARGV do
  local name = ARGV[i]
  if (tonumber(redis.call('HGET', key, 'n:' .. name)) or 0) < cap then
    if redis.call('HSETNX', key, 'd:' .. name .. ':' .. ARGV[i + 1], '1') == 1 then
      redis.call('HINCRBY', key, 'n:' .. name, 1)
    end
  end
  i = i + 2
end
if redis.call('EXISTS', key) == 1 then redis.call('PEXPIRE', key, tonumber(ARGV[1])) end
local out = {}
for k = 1, #KEYS do out[k] = redis.call('HGETALL', KEYS[k]) end
return out
`);

/**
 * KEYS[1] cost index (sorted set), KEYS[2] last-seen index; both share one hash tag.
 * ARGV: clientId, cost delta, seen score, stale cutoff ms, index TTL ms, force ('1' = set the
 * seen score even when lower; otherwise it only moves forward, whatever the instances' clocks).
 * Drops up to 64 members unseen since the cutoff on each call, so the index shrinks with the clients.
 */
export const touchIndexScript = script(`
redis.call('ZINCRBY', KEYS[1], ARGV[2], ARGV[1])
local seen = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1])) or 0
if ARGV[6] == '1' or tonumber(ARGV[3]) > seen then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1]) end
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', 0, 64)
for _, member in ipairs(stale) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZREM', KEYS[2], member)
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
`);
