/** Options of the Prometheus metrics; every field survives being written as JSON. */
export interface MetricsOptions {
  /** Prefix of every metric name; must match [a-zA-Z_:][a-zA-Z0-9_:]*. Default 'loopgate_'. */
  prefix?: string;
  /**
   * Clients with their own `client` label value: the heaviest ones by actual cost, tracked
   * with a bounded structure; everyone else is counted under client="other". Default 20.
   */
  topClients?: number;
  /** Clients that always get their own series (named by the operator), on top of `topClients`. Default []. */
  clients?: string[];
  /**
   * Candidates the heavy-hitter tracker keeps to find the top clients (Space-Saving); more
   * candidates = more accurate ranking, more memory. Must be >= topClients. Default 1000.
   */
  trackedClients?: number;
  /**
   * Distinct values kept per free-text label (rejection reason, feedback rule, subgraph, store
   * operation, token result); later new values are counted as "other". Default 50.
   */
  maxLabelValues?: number;
  /** Histogram buckets for estimated and actual cost, in cost points. */
  costBuckets?: number[];
  /** Histogram buckets for estimated - actual cost (negative = underestimated), in cost points. */
  costDifferenceBuckets?: number[];
  /** Histogram buckets for store and upstream latency, in seconds. */
  latencyBucketsSeconds?: number[];
  /** Also collect prom-client's process metrics (CPU, memory, event loop) into this registry. Default false. */
  collectDefaultMetrics?: boolean;
}

export const defaultMetricsOptions = {
  prefix: 'loopgate_',
  topClients: 20,
  clients: [],
  trackedClients: 1000,
  maxLabelValues: 50,
  costBuckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000],
  costDifferenceBuckets: [-1000, -100, -10, -1, 0, 1, 10, 100, 1000, 10_000],
  latencyBucketsSeconds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  collectDefaultMetrics: false,
} satisfies Required<MetricsOptions>;

export type NormalizedMetricsOptions = Readonly<Required<MetricsOptions>>;

/** Fills defaults and refuses bad values with a TypeError naming the key; run once at start-up. */
export function normalizeMetricsOptions(options: MetricsOptions = {}): NormalizedMetricsOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError('metrics options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!(key in defaultMetricsOptions)) throw new TypeError(`metrics.${key} is not a known option`);
  }
  const o = { ...defaultMetricsOptions, ...stripUndefined(options) };
  if (typeof o.prefix !== 'string' || !/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(o.prefix)) {
    throw new TypeError('metrics.prefix must match [a-zA-Z_:][a-zA-Z0-9_:]* (or be empty)');
  }
  integer(o.topClients, 'metrics.topClients', 0, 1000);
  integer(o.trackedClients, 'metrics.trackedClients', 1, 1_000_000);
  if (o.trackedClients < o.topClients) throw new TypeError('metrics.trackedClients must be >= metrics.topClients');
  integer(o.maxLabelValues, 'metrics.maxLabelValues', 1, 10_000);
  if (!Array.isArray(o.clients) || o.clients.some((c) => typeof c !== 'string' || c === '' || c === 'other')) {
    throw new TypeError('metrics.clients must be an array of non-empty client ids (not "other")');
  }
  if (o.clients.length > 10_000) throw new TypeError('metrics.clients must name at most 10000 clients');
  for (const key of ['costBuckets', 'costDifferenceBuckets', 'latencyBucketsSeconds'] as const) {
    const buckets = o[key];
    if (!Array.isArray(buckets) || buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]))) {
      throw new TypeError(`metrics.${key} must be a non-empty array of finite numbers in ascending order`);
    }
  }
  if (o.costBuckets.some((b) => b <= 0)) throw new TypeError('metrics.costBuckets must be > 0');
  if (o.latencyBucketsSeconds.some((b) => b <= 0)) throw new TypeError('metrics.latencyBucketsSeconds must be > 0');
  if (typeof o.collectDefaultMetrics !== 'boolean') throw new TypeError('metrics.collectDefaultMetrics must be a boolean');
  return Object.freeze({
    ...o,
    clients: Object.freeze([...new Set(o.clients)]) as string[],
    costBuckets: [...o.costBuckets],
    costDifferenceBuckets: [...o.costDifferenceBuckets],
    latencyBucketsSeconds: [...o.latencyBucketsSeconds],
  });
}

function integer(value: unknown, name: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
