import { Redis } from 'ioredis';
import { createMemoryStore } from './memory-store';
import { createRedisStore } from './redis-store';
import { createResilientStore, type StoreErrorEvent, type StoreFailureMode } from './resilient-store';
import type { BudgetStore } from './types';

/** Where budgets, multipliers, overrides, signals and audit events live. */
export interface StoreOptions {
  /** 'memory' (one process, the default) or 'redis' (shared by every instance). Env LOOPGATE_REDIS_URL selects redis. */
  kind?: 'memory' | 'redis';
  /** Redis URL (redis:// or rediss://). Required for kind 'redis'. */
  url?: string;
  /** Key prefix in Redis. Default 'loopgate:'. */
  prefix?: string;
  /** When Redis is down or slow: 'fail-open' (local budgets) or 'fail-closed' (503 STORE_UNAVAILABLE). Default 'fail-open'. */
  failureMode?: StoreFailureMode;
  /** A store call slower than this counts as a failure, in ms. Default 250. */
  timeoutMs?: number;
  /** Most clients kept by the memory store (and the fail-open fallback); idle ones are evicted first. Default 100_000. */
  maxClients?: number;
}

const storeKeys = ['kind', 'url', 'prefix', 'failureMode', 'timeoutMs', 'maxClients'];

export interface OpenedStore {
  store: BudgetStore;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

export function normalizeStoreOptions(input: unknown, env: NodeJS.ProcessEnv): Required<Omit<StoreOptions, 'url'>> & { url?: string } {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) throw new TypeError('loopgate config: store: must be an object');
  const options = { ...(input as StoreOptions | undefined) };
  for (const key of Object.keys(options)) if (!storeKeys.includes(key)) throw new TypeError(`loopgate config: store.${key}: unknown option`);
  if (env.LOOPGATE_REDIS_URL) Object.assign(options, { kind: 'redis', url: env.LOOPGATE_REDIS_URL });
  const kind = options.kind ?? 'memory';
  if (kind !== 'memory' && kind !== 'redis') throw new TypeError(`loopgate config: store.kind: must be 'memory' or 'redis'`);
  if (kind === 'redis' && !/^rediss?:\/\/[^\s]+$/.test(options.url ?? '')) {
    throw new TypeError('loopgate config: store.url: kind redis needs a redis:// or rediss:// URL');
  }
  const failureMode = options.failureMode ?? 'fail-open';
  if (failureMode !== 'fail-open' && failureMode !== 'fail-closed') throw new TypeError(`loopgate config: store.failureMode: must be 'fail-open' or 'fail-closed'`);
  const timeoutMs = options.timeoutMs ?? 250;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError('loopgate config: store.timeoutMs: must be a positive integer');
  const maxClients = options.maxClients ?? 100_000;
  if (!Number.isInteger(maxClients) || maxClients < 1) throw new TypeError('loopgate config: store.maxClients: must be a positive integer');
  return { kind, url: options.url, prefix: options.prefix ?? 'loopgate:', failureMode, timeoutMs, maxClients };
}

/**
 * Opens the configured store. With Redis, every call goes through the resilient wrapper: on a
 * failure it falls back to local memory budgets (fail-open) or refuses (fail-closed), and it
 * returns to Redis by itself once Redis answers again.
 */
export async function openStore(
  options: ReturnType<typeof normalizeStoreOptions>,
  hooks: { onStoreError?: (event: StoreErrorEvent) => void } = {},
): Promise<OpenedStore> {
  const memory = createMemoryStore({ maxClients: options.maxClients });
  if (options.kind === 'memory') return { store: memory, kind: 'memory', close: () => memory.close() };
  // No offline queue: a command while Redis is away fails at once, so a request never waits on it.
  const redis = new Redis(options.url!, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: true,
  });
  redis.on('error', () => {}); // failures are counted through onStoreError, not thrown as events
  await redis.connect().catch(() => {}); // down at start-up: serve per failureMode until it comes back
  const primary = createRedisStore({ redis, prefix: options.prefix });
  const store = createResilientStore(primary, memory, { mode: options.failureMode, timeoutMs: options.timeoutMs, onStoreError: hooks.onStoreError });
  return {
    store,
    kind: 'redis',
    close: async () => {
      await store.close();
      redis.disconnect();
    },
  };
}
