import { Cluster, Redis, type ClusterNode } from 'ioredis';
import { createMemoryStore } from './memory-store';
import { createRedisStore } from './redis-store';
import { createResilientStore, type StoreErrorEvent, type StoreFailureMode } from './resilient-store';
import type { BudgetStore } from './types';

/** Where budgets, multipliers, overrides, signals and audit events live. */
export interface StoreOptions {
  /**
   * 'memory' (one process, the default), 'redis' (one Redis shared by every instance) or
   * 'redis-cluster' (a Redis Cluster; every key of one client shares a hash tag, so one slot).
   * Env LOOPGATE_REDIS_URL selects redis; env LOOPGATE_REDIS_CLUSTER_NODES (comma-separated) selects redis-cluster.
   */
  kind?: 'memory' | 'redis' | 'redis-cluster';
  /** Redis URL (redis:// or rediss://). Required for kind 'redis'. */
  url?: string;
  /**
   * Seed nodes of the cluster, as 'host:port' or redis(s):// URLs (credentials and TLS are taken
   * from the first URL); the other nodes are discovered. Required for kind 'redis-cluster'.
   */
  nodes?: string[];
  /** Key prefix in Redis. Default 'loopgate:'. */
  prefix?: string;
  /** When Redis is down or slow: 'fail-open' (local budgets) or 'fail-closed' (503 STORE_UNAVAILABLE). Default 'fail-open'. */
  failureMode?: StoreFailureMode;
  /** A store call slower than this counts as a failure, in ms. Default 250. */
  timeoutMs?: number;
  /** Most clients kept by the memory store (and the fail-open fallback); idle ones are evicted first. Default 100_000. */
  maxClients?: number;
}

const storeKeys = ['kind', 'url', 'nodes', 'prefix', 'failureMode', 'timeoutMs', 'maxClients'];

export interface OpenedStore {
  store: BudgetStore;
  kind: 'memory' | 'redis' | 'redis-cluster';
  close(): Promise<void>;
}

export type NormalizedStoreOptions = Required<Omit<StoreOptions, 'url' | 'nodes'>> & { url?: string; nodes: string[] };

export function normalizeStoreOptions(input: unknown, env: NodeJS.ProcessEnv): NormalizedStoreOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) throw new TypeError('loopgate config: store: must be an object');
  const options = { ...(input as StoreOptions | undefined) };
  for (const key of Object.keys(options)) if (!storeKeys.includes(key)) throw new TypeError(`loopgate config: store.${key}: unknown option`);
  if (env.LOOPGATE_REDIS_URL) Object.assign(options, { kind: 'redis', url: env.LOOPGATE_REDIS_URL });
  if (env.LOOPGATE_REDIS_CLUSTER_NODES) {
    Object.assign(options, { kind: 'redis-cluster', nodes: env.LOOPGATE_REDIS_CLUSTER_NODES.split(',').map((n) => n.trim()).filter(Boolean) });
  }
  const kind = options.kind ?? 'memory';
  if (kind !== 'memory' && kind !== 'redis' && kind !== 'redis-cluster') {
    throw new TypeError(`loopgate config: store.kind: must be 'memory', 'redis' or 'redis-cluster'`);
  }
  if (kind === 'redis' && !/^rediss?:\/\/[^\s]+$/.test(options.url ?? '')) {
    throw new TypeError('loopgate config: store.url: kind redis needs a redis:// or rediss:// URL');
  }
  const nodes = options.nodes ?? [];
  if (!Array.isArray(nodes) || !nodes.every((n) => typeof n === 'string' && clusterNodePattern.test(n))) {
    throw new TypeError("loopgate config: store.nodes: must be an array of 'host:port' or redis(s)://host:port strings");
  }
  if (kind === 'redis-cluster' && nodes.length === 0) throw new TypeError('loopgate config: store.nodes: kind redis-cluster needs at least one seed node');
  const failureMode = options.failureMode ?? 'fail-open';
  if (failureMode !== 'fail-open' && failureMode !== 'fail-closed') throw new TypeError(`loopgate config: store.failureMode: must be 'fail-open' or 'fail-closed'`);
  const timeoutMs = options.timeoutMs ?? 250;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError('loopgate config: store.timeoutMs: must be a positive integer');
  const maxClients = options.maxClients ?? 100_000;
  if (!Number.isInteger(maxClients) || maxClients < 1) throw new TypeError('loopgate config: store.maxClients: must be a positive integer');
  return { kind, url: options.url, nodes: [...nodes], prefix: options.prefix ?? 'loopgate:', failureMode, timeoutMs, maxClients };
}

const clusterNodePattern = /^(?:rediss?:\/\/[^\s/]+|[^\s:/]+:\d{1,5})\/?$/;

/** Cluster seed nodes, and the credentials and TLS choice carried by the first URL-shaped one. */
function clusterSeeds(nodes: string[]): { seeds: ClusterNode[]; username?: string; password?: string; tls: boolean } {
  const urls = nodes.map((n) => new URL(/^rediss?:\/\//.test(n) ? n : `redis://${n}`));
  const first = urls[0]!;
  return {
    seeds: urls.map((u) => ({ host: u.hostname, port: Number(u.port || 6379) })),
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    tls: first.protocol === 'rediss:',
  };
}

/**
 * Opens the configured store. With Redis, every call goes through the resilient wrapper: on a
 * failure it falls back to local memory budgets (fail-open) or refuses (fail-closed), and it
 * returns to Redis by itself once Redis answers again.
 */
export async function openStore(
  options: NormalizedStoreOptions,
  hooks: { onStoreError?: (event: StoreErrorEvent) => void } = {},
): Promise<OpenedStore> {
  const memory = createMemoryStore({ maxClients: options.maxClients });
  if (options.kind === 'memory') return { store: memory, kind: 'memory', close: () => memory.close() };
  // No offline queue: a command while Redis is away fails at once, so a request never waits on it.
  const retry = (attempt: number) => Math.min(attempt * 200, 2_000);
  let redis: Redis | Cluster;
  if (options.kind === 'redis-cluster') {
    const { seeds, tls, ...credentials } = clusterSeeds(options.nodes);
    redis = new Cluster(seeds, {
      enableOfflineQueue: false,
      lazyConnect: true,
      clusterRetryStrategy: retry,
      redisOptions: { maxRetriesPerRequest: 0, connectTimeout: 2_000, ...credentials, ...(tls ? { tls: {} } : {}) },
    });
  } else {
    redis = new Redis(options.url!, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: retry, lazyConnect: true });
  }
  redis.on('error', () => {}); // failures are counted through onStoreError, not thrown as events
  await redis.connect().catch(() => {}); // down at start-up: serve per failureMode until it comes back
  const primary = createRedisStore({ redis, prefix: options.prefix });
  // Only a defined hook is passed: an explicit undefined would replace the wrapper's default
  // (the options are spread over the defaults) and turn every Redis failure into a TypeError.
  const store = createResilientStore(primary, memory, {
    mode: options.failureMode,
    timeoutMs: options.timeoutMs,
    ...(hooks.onStoreError ? { onStoreError: hooks.onStoreError } : {}),
  });
  return {
    store,
    kind: options.kind,
    close: async () => {
      await store.close();
      redis.disconnect();
    },
  };
}
