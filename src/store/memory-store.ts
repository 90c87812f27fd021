import { chargeBucket, chargeCost, refill, refundBucket, type BucketState } from '../budget/bucket';
import type { TierLimits } from '../budget/options';
import { activeOverride, normalizeOverride, resolveLimits, type BudgetOverride } from '../budget/resolve-limits';
import { LruMap } from './lru';
import { createRollingWindow, readWindow, recordSample, type RollingWindow } from './rolling-window';
import { checkMultiplier, sortAndPage } from './shared';
import type {
  AuditEvent,
  BudgetStore,
  ChargeRequest,
  ChargeResult,
  ClientBudgetState,
  ListClientsRequest,
  ListClientsResult,
} from './types';

export interface MemoryStoreOptions {
  /**
   * Most clients kept; the least recently used is forgotten first (its bucket comes back
   * full, its multiplier 1). Bounds memory whatever number of client ids arrives. Default 100_000.
   */
  maxClients?: number;
  /** A client idle this long is forgotten (its bucket would be full by then). Default 86_400_000 (24 h). */
  idleTtlMs?: number;
  /** Most signal keys (clients and addresses) kept, least recently used first out. Default 100_000. */
  maxSignalKeys?: number;
  /** Most overrides kept; operators set these by hand, so hitting the bound is an error. Default 100_000. */
  maxOverrides?: number;
  /** Audit events kept, oldest dropped first. Default 10_000. */
  maxAuditEvents?: number;
}

export const defaultMemoryStoreOptions = {
  maxClients: 100_000,
  idleTtlMs: 86_400_000,
  maxSignalKeys: 100_000,
  maxOverrides: 100_000,
  maxAuditEvents: 10_000,
} satisfies Required<MemoryStoreOptions>;

interface ClientRecord {
  bucket?: BucketState;
  tier?: string;
  tierLimits?: TierLimits;
  multiplier: number;
  multiplierUpdatedAtMs: number;
  totalCost: number;
  requests: number;
  throttled: number;
  lastSeenMs: number;
}

function normalize(options: MemoryStoreOptions): Required<MemoryStoreOptions> {
  const out = { ...defaultMemoryStoreOptions, ...options };
  for (const key of Object.keys(defaultMemoryStoreOptions) as (keyof MemoryStoreOptions)[]) {
    const value = out[key];
    if (!Number.isInteger(value) || value < 1) throw new TypeError(`memoryStore.${key} must be an integer >= 1`);
  }
  return out;
}

const noTier: TierLimits = { capacity: 0, restoreRatePerSecond: 1 };

/**
 * The embedded store: one process, no dependencies, bounded. Every method runs synchronously
 * inside the returned promise, so a charge is atomic against every other call in the process.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): BudgetStore & { readonly size: number } {
  const config = normalize(options);
  const clients = new LruMap<string, ClientRecord>(config.maxClients);
  const overrides = new Map<string, BudgetOverride>();
  const signals = new LruMap<string, RollingWindow>(config.maxSignalKeys);
  let audit: AuditEvent[] = [];

  /** The live record, or undefined when absent or idle past the TTL. */
  function live(clientId: string, nowMs: number, touch: boolean): ClientRecord | undefined {
    const record = touch ? clients.get(clientId) : clients.peek(clientId);
    if (record !== undefined && nowMs - record.lastSeenMs > config.idleTtlMs) {
      clients.delete(clientId);
      return undefined;
    }
    return record;
  }

  /** Drops idle clients from the old end, a few per write, so memory also shrinks in quiet times. */
  function expireOldest(nowMs: number): void {
    for (let i = 0; i < 4; i++) {
      const oldest = clients.oldest();
      if (oldest === undefined || nowMs - oldest[1].lastSeenMs <= config.idleTtlMs) return;
      clients.delete(oldest[0]);
    }
  }

  function override(clientId: string, nowMs: number): BudgetOverride | undefined {
    const o = overrides.get(clientId);
    if (o !== undefined && activeOverride(o, nowMs) === undefined) overrides.delete(clientId);
    return activeOverride(o, nowMs);
  }

  function view(clientId: string, record: ClientRecord | undefined, nowMs: number): ClientBudgetState | undefined {
    const o = override(clientId, nowMs);
    if (record === undefined && o === undefined) return undefined;
    const limits = resolveLimits(record?.tierLimits ?? noTier, record?.multiplier ?? 1, o, nowMs);
    const bucket = record?.tierLimits ? refill(record.bucket, limits, nowMs) : undefined;
    return {
      clientId,
      ...(record?.tier !== undefined ? { tier: record.tier } : {}),
      ...(record?.tierLimits ? { tierLimits: record.tierLimits } : {}),
      tokens: bucket?.tokens ?? limits.capacity,
      capacity: limits.capacity,
      restoreRatePerSecond: limits.restoreRatePerSecond,
      multiplier: record?.multiplier ?? 1,
      multiplierUpdatedAtMs: record?.multiplierUpdatedAtMs ?? 0,
      ...(o ? { override: o } : {}),
      totalCost: record?.totalCost ?? 0,
      requests: record?.requests ?? 0,
      throttled: record?.throttled ?? 0,
      lastSeenMs: record?.lastSeenMs ?? 0,
    };
  }

  function ensure(clientId: string, nowMs: number): ClientRecord {
    let record = live(clientId, nowMs, true);
    if (record === undefined) {
      expireOldest(nowMs);
      record = { multiplier: 1, multiplierUpdatedAtMs: 0, totalCost: 0, requests: 0, throttled: 0, lastSeenMs: nowMs };
      clients.set(clientId, record);
    }
    return record;
  }

  return {
    get size() {
      return clients.size;
    },

    async charge(clientId: string, request: ChargeRequest): Promise<ChargeResult> {
      const { nowMs } = request;
      const record = ensure(clientId, nowMs);
      const o = override(clientId, nowMs);
      const limits = resolveLimits(request.tierLimits, record.multiplier, o, nowMs);
      const cost = chargeCost(request.cost, request.minCost ?? 1);
      const result = chargeBucket(record.bucket, cost, limits, nowMs);
      record.bucket = result.state;
      record.tier = request.tier;
      record.tierLimits = request.tierLimits;
      record.lastSeenMs = Math.max(record.lastSeenMs, nowMs);
      record.requests += 1;
      if (result.allowed) record.totalCost += cost;
      else record.throttled += 1;
      return {
        allowed: result.allowed,
        charged: cost,
        remaining: result.remaining,
        capacity: limits.capacity,
        restoreRatePerSecond: limits.restoreRatePerSecond,
        retryAfterMs: result.retryAfterMs,
        resetMs: result.resetMs,
        exceedsCapacity: result.exceedsCapacity,
        multiplier: limits.multiplier,
        ...(o ? { override: o } : {}),
      };
    },

    async refund(clientId, amount, nowMs) {
      const record = live(clientId, nowMs, false);
      // Nothing to give back to: a forgotten bucket is already full.
      if (record?.tierLimits === undefined) return undefined;
      const limits = resolveLimits(record.tierLimits, record.multiplier, override(clientId, nowMs), nowMs);
      const give = Number.isFinite(amount) && amount > 0 ? amount : 0;
      record.bucket = refundBucket(record.bucket, give, limits, nowMs);
      record.totalCost = Math.max(0, record.totalCost - give);
      return { remaining: record.bucket.tokens, capacity: limits.capacity, restoreRatePerSecond: limits.restoreRatePerSecond };
    },

    async getClient(clientId, nowMs) {
      return view(clientId, live(clientId, nowMs, false), nowMs);
    },

    async listClients(request: ListClientsRequest): Promise<ListClientsResult> {
      const all: ClientBudgetState[] = [];
      const seen = new Set<string>();
      for (const [clientId, record] of clients.entries()) {
        if (request.nowMs - record.lastSeenMs > config.idleTtlMs) continue;
        const state = view(clientId, record, request.nowMs);
        if (state) all.push(state);
        seen.add(clientId);
      }
      for (const clientId of overrides.keys()) {
        if (seen.has(clientId)) continue;
        const state = view(clientId, undefined, request.nowMs);
        if (state) all.push(state);
      }
      return sortAndPage(all, request);
    },

    async setOverride(clientId, input) {
      const o = normalizeOverride(input);
      if (!overrides.has(clientId) && overrides.size >= config.maxOverrides) {
        throw new RangeError(`memoryStore.maxOverrides (${config.maxOverrides}) reached`);
      }
      overrides.set(clientId, o);
    },

    async removeOverride(clientId) {
      overrides.delete(clientId);
    },

    async setMultiplier(clientId, multiplier, nowMs, expected) {
      checkMultiplier(multiplier);
      const record = ensure(clientId, nowMs);
      if (expected !== undefined && record.multiplier !== expected) return false;
      record.multiplier = multiplier;
      record.multiplierUpdatedAtMs = nowMs;
      return true;
    },

    async resetClient(clientId, nowMs) {
      const record = live(clientId, nowMs, false);
      if (record === undefined) return;
      record.bucket = undefined;
      record.multiplier = 1;
      record.multiplierUpdatedAtMs = nowMs;
    },

    async appendAudit(event) {
      audit.push({ ...event });
      // Trim in batches so appends stay O(1) amortised.
      if (audit.length > config.maxAuditEvents + Math.ceil(config.maxAuditEvents / 4)) {
        audit = audit.slice(audit.length - config.maxAuditEvents);
      }
    },

    async listAudit(clientId, limit) {
      const out: AuditEvent[] = [];
      const floor = Math.max(0, audit.length - config.maxAuditEvents);
      for (let i = audit.length - 1; i >= floor && out.length < limit; i--) {
        if (clientId === undefined || audit[i].clientId === clientId) out.push({ ...audit[i] });
      }
      return out;
    },

    async recordSignals(key, sample, window, nowMs) {
      let rolling = signals.get(key);
      if (rolling === undefined) signals.set(key, (rolling = createRollingWindow()));
      recordSample(rolling, sample, window, nowMs);
      return readWindow(rolling, window, nowMs);
    },

    async readSignals(key, window, nowMs) {
      const rolling = signals.peek(key);
      return rolling ? readWindow(rolling, window, nowMs) : { counts: {}, distinct: {} };
    },

    async close() {
      clients.clear();
      overrides.clear();
      signals.clear();
      audit = [];
    },
  };
}
