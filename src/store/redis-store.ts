import type { Cluster, Redis } from 'ioredis';
import { chargeCost, refill } from '../budget/bucket';
import type { TierLimits } from '../budget/options';
import { activeOverride, normalizeOverride, resolveLimits, type BudgetOverride } from '../budget/resolve-limits';
import {
  chargeScript,
  recordSignalsScript,
  refundScript,
  removeOverrideScript,
  resetScript,
  setMultiplierScript,
  setOverrideScript,
  touchIndexScript,
  type LuaScript,
} from './redis-scripts';
import { checkName, pairsToHash, sumSlots } from './redis-signals';
import { checkMultiplier, compareClients, pageOf } from './shared';
import type { AuditEvent, BudgetStore, ClientBudgetState } from './types';

export interface RedisStoreOptions {
  /**
   * An ioredis client (or Cluster) the caller owns and closes. Create it with
   * `enableOfflineQueue: false` (or a `commandTimeout`) so that commands fail fast while Redis
   * is away instead of queueing without bound; the store refuses a client that does neither.
   */
  redis: Redis | Cluster;
  /** Prefix of every key; no braces (they would break the hash tags). Default 'loopgate:'. */
  prefix?: string;
  /** A client's keys expire after this long without a charge. Default 86_400 (24 h). */
  idleTtlSeconds?: number;
  /** Newest audit events kept in the shared list. Default 10_000. */
  maxAuditEvents?: number;
  /** Newest audit events kept per client. Default 100. */
  maxClientAuditEvents?: number;
}

export const defaultRedisStoreOptions = {
  prefix: 'loopgate:',
  idleTtlSeconds: 86_400,
  maxAuditEvents: 10_000,
  maxClientAuditEvents: 100,
} satisfies Required<Omit<RedisStoreOptions, 'redis'>>;

/** Seen score that keeps a client with an open-ended override in the index. */
const pinnedSeenMs = 8_640_000_000_000_000;

/**
 * Escapes braces (and '%') in a client id so the whole id is the hash tag: all keys of one
 * client land in one Cluster slot, and distinct ids never share a key.
 */
export function hashTag(clientId: string): string {
  return `{${clientId.replace(/[%{}]/g, (c) => (c === '%' ? '%25' : c === '{' ? '%7B' : '%7D'))}}`;
}

/** Key names, exported so tests and operators can find them. */
export function redisKeys(prefix: string) {
  return {
    client: (clientId: string) => `${prefix}c:${hashTag(clientId)}`,
    signalSlot: (key: string, slot: number) => `${prefix}s:${hashTag(key)}:${slot}`,
    clientAudit: (clientId: string) => `${prefix}a:${hashTag(clientId)}`,
    audit: `${prefix}audit`,
    costIndex: `${prefix}{index}:cost`,
    seenIndex: `${prefix}{index}:seen`,
  };
}

/**
 * Budgets shared by every gateway instance. Charge and refund are one Lua script each: one
 * round trip, atomic. Bucket, multiplier and override sit in one hash per client so the charge
 * script reads them together and returns everything the request needs.
 *
 * Time comes from the caller (`nowMs`), not Redis TIME: tests drive a fake clock through the
 * same code, and a script that reads TIME would be the only non-deterministic step. The scripts
 * refill only forwards (a clock behind the stored time adds nothing), so skew between instances
 * shifts refills by the skew at most and never counts time twice.
 */
export function createRedisStore(options: RedisStoreOptions): BudgetStore {
  const { redis } = options;
  const prefix = options.prefix ?? defaultRedisStoreOptions.prefix;
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) throw new TypeError('redisStore.prefix must be a string without braces');
  const idleTtlMs = positiveInt(options.idleTtlSeconds ?? defaultRedisStoreOptions.idleTtlSeconds, 'idleTtlSeconds') * 1000;
  const maxAudit = positiveInt(options.maxAuditEvents ?? defaultRedisStoreOptions.maxAuditEvents, 'maxAuditEvents');
  const maxClientAudit = positiveInt(
    options.maxClientAuditEvents ?? defaultRedisStoreOptions.maxClientAuditEvents,
    'maxClientAuditEvents',
  );
  const clientOptions = redis.options as { enableOfflineQueue?: boolean; commandTimeout?: number };
  if (clientOptions.enableOfflineQueue !== false && !clientOptions.commandTimeout) {
    throw new TypeError('redisStore.redis must be created with enableOfflineQueue: false or a commandTimeout');
  }
  const keys = redisKeys(prefix);

  async function run(s: LuaScript, keyList: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(s.sha, keyList.length, ...keyList, ...args);
    } catch (error) {
      // After a Redis restart the script cache is empty: load it once with EVAL.
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return await redis.eval(s.source, keyList.length, ...keyList, ...args);
    }
  }

  /** Keeps the admin index in step. Not awaited on the request path: it is bookkeeping only. */
  function touchIndex(clientId: string, costDelta: number, seenMs: number, nowMs: number, force = false): Promise<void> {
    return run(
      touchIndexScript,
      [keys.costIndex, keys.seenIndex],
      [clientId, costDelta, seenMs, nowMs - idleTtlMs, idleTtlMs, force ? '1' : ''],
    ).then(
      () => undefined,
      () => undefined,
    );
  }

  function stateFromHash(clientId: string, h: Record<string, string>, nowMs: number): ClientBudgetState | undefined {
    if (Object.keys(h).length === 0) return undefined;
    const override = activeOverride(h.ov ? (JSON.parse(h.ov) as BudgetOverride) : undefined, nowMs);
    const tierLimits: TierLimits | undefined =
      h.tc !== undefined && h.tr !== undefined ? { capacity: Number(h.tc), restoreRatePerSecond: Number(h.tr) } : undefined;
    const multiplier = h.m !== undefined ? Number(h.m) : 1;
    const limits = resolveLimits(tierLimits ?? { capacity: 0, restoreRatePerSecond: 1 }, multiplier, override, nowMs);
    const bucket =
      tierLimits && h.t !== undefined && h.u !== undefined
        ? refill({ tokens: Number(h.t), updatedAtMs: Number(h.u) }, limits, nowMs)
        : undefined;
    return {
      clientId,
      ...(h.tier ? { tier: h.tier } : {}),
      ...(tierLimits ? { tierLimits } : {}),
      tokens: bucket?.tokens ?? limits.capacity,
      capacity: limits.capacity,
      restoreRatePerSecond: limits.restoreRatePerSecond,
      multiplier,
      multiplierUpdatedAtMs: Number(h.mu ?? 0),
      ...(override ? { override } : {}),
      totalCost: Number(h.cost ?? 0),
      requests: Number(h.req ?? 0),
      throttled: Number(h.thr ?? 0),
      lastSeenMs: Number(h.seen ?? 0),
    };
  }

  async function readClients(ids: string[], nowMs: number): Promise<ClientBudgetState[]> {
    if (ids.length === 0) return [];
    const hashes = await Promise.all(ids.map((id) => redis.hgetall(keys.client(id))));
    const out: ClientBudgetState[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const state = stateFromHash(id, hashes[i], nowMs);
      if (state) out.push(state);
      else gone.push(id);
    });
    // Expired clients leave the index when a listing meets them.
    if (gone.length > 0) void redis.multi().zrem(keys.costIndex, ...gone).zrem(keys.seenIndex, ...gone).exec().catch(() => undefined);
    return out;
  }

  return {
    async charge(clientId, request) {
      const cost = chargeCost(request.cost, request.minCost ?? 1);
      const reply = (await run(
        chargeScript,
        [keys.client(clientId)],
        [cost, request.tierLimits.capacity, request.tierLimits.restoreRatePerSecond, request.nowMs, idleTtlMs, request.tier ?? ''],
      )) as [number, string, string, string, number, number, number, string, string];
      const allowed = reply[0] === 1;
      void touchIndex(clientId, allowed ? cost : 0, request.nowMs, request.nowMs);
      return {
        allowed,
        charged: cost,
        remaining: Number(reply[1]),
        capacity: Number(reply[2]),
        restoreRatePerSecond: Number(reply[3]),
        retryAfterMs: Number(reply[4]),
        resetMs: Number(reply[5]),
        exceedsCapacity: reply[6] === 1,
        multiplier: Number(reply[7]),
        ...(reply[8] ? { override: JSON.parse(reply[8]) as BudgetOverride } : {}),
      };
    },

    async refund(clientId, amount, nowMs) {
      const give = Number.isFinite(amount) && amount > 0 ? amount : 0;
      const reply = (await run(refundScript, [keys.client(clientId)], [give, nowMs, idleTtlMs])) as [string, string, string] | null;
      if (reply === null) return undefined;
      if (give > 0) void touchIndex(clientId, -give, nowMs, nowMs);
      return { remaining: Number(reply[0]), capacity: Number(reply[1]), restoreRatePerSecond: Number(reply[2]) };
    },

    async getClient(clientId, nowMs) {
      return stateFromHash(clientId, await redis.hgetall(keys.client(clientId)), nowMs);
    },

    async listClients(request) {
      const { offset, limit } = pageOf(request);
      const total = await redis.zcard(keys.costIndex);
      let ids: string[];
      if (request.sortBy === 'clientId') {
        // Sorted sets order by score; ids in byte order need a full read, fine for an admin call.
        const all = await redis.zrange(keys.costIndex, 0, -1);
        ids = all.sort().slice(offset, offset + limit);
      } else {
        ids = await redis.zrevrange(keys.costIndex, offset, offset + limit - 1);
      }
      const clients = await readClients(ids, request.nowMs);
      clients.sort(compareClients(request.sortBy));
      return { total, clients };
    },

    async setOverride(clientId, input, nowMs) {
      const override = normalizeOverride(input);
      await run(setOverrideScript, [keys.client(clientId)], [JSON.stringify(override), nowMs, idleTtlMs]);
      await touchIndex(clientId, 0, override.expiresAtMs ?? pinnedSeenMs, nowMs);
    },

    async removeOverride(clientId, nowMs) {
      await run(removeOverrideScript, [keys.client(clientId)], [nowMs, idleTtlMs]);
      await touchIndex(clientId, 0, nowMs, nowMs, true);
    },

    async setMultiplier(clientId, multiplier, nowMs, expected) {
      checkMultiplier(multiplier);
      const written = await run(
        setMultiplierScript,
        [keys.client(clientId)],
        [String(multiplier), nowMs, idleTtlMs, expected === undefined ? '' : String(expected)],
      );
      if (written === 1) await touchIndex(clientId, 0, nowMs, nowMs);
      return written === 1;
    },

    async resetClient(clientId, nowMs) {
      await run(resetScript, [keys.client(clientId)], [nowMs]);
    },

    async appendAudit(event: AuditEvent) {
      const json = JSON.stringify(event);
      const perClient = keys.clientAudit(event.clientId);
      // Two keys in two Cluster slots: two transactions, sent together.
      await Promise.all([
        redis.multi().lpush(keys.audit, json).ltrim(keys.audit, 0, maxAudit - 1).exec(),
        redis
          .multi()
          .lpush(perClient, json)
          .ltrim(perClient, 0, maxClientAudit - 1)
          .pexpire(perClient, idleTtlMs)
          .exec(),
      ]);
    },

    async listAudit(clientId, limit) {
      const n = Math.max(0, Math.floor(limit));
      if (n === 0) return [];
      const key = clientId === undefined ? keys.audit : keys.clientAudit(clientId);
      const rows = await redis.lrange(key, 0, n - 1);
      return rows.map((row) => JSON.parse(row) as AuditEvent);
    },

    async recordSignals(key, sample, window, nowMs) {
      const args: (string | number)[] = [];
      const counts = Object.entries(sample.counts).filter(([, v]) => Number.isFinite(v) && v !== 0);
      args.push(window.slotMs * (window.slots + 1), window.distinctCap, counts.length);
      for (const [name, amount] of counts) args.push(checkName(name), amount);
      for (const [name, member] of Object.entries(sample.distinct ?? {})) args.push(checkName(name), member);
      const last = Math.floor(nowMs / window.slotMs);
      const slotKeys = [keys.signalSlot(key, last)];
      for (let slot = last - window.slots + 1; slot < last; slot++) slotKeys.push(keys.signalSlot(key, slot));
      const reply = (await run(recordSignalsScript, slotKeys, args)) as string[][];
      return sumSlots(reply.map(pairsToHash), window);
    },

    async readSignals(key, window, nowMs) {
      const last = Math.floor(nowMs / window.slotMs);
      const pipeline = redis.pipeline();
      for (let slot = last - window.slots + 1; slot <= last; slot++) pipeline.hgetall(keys.signalSlot(key, slot));
      const replies = (await pipeline.exec()) ?? [];
      const hashes = replies.map(([error, hash]) => {
        if (error) throw error;
        return hash as Record<string, string>;
      });
      return sumSlots(hashes, window);
    },

    async close() {
      // The caller owns the client (it may be shared); nothing of ours to release.
    },
  };
}

function positiveInt(value: number, key: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`redisStore.${key} must be an integer >= 1`);
  return value;
}
