import type { Observation } from './observation-log';

/**
 * Proposals for list sizes, a maximum cost and tier capacities, from what was observed. Pure:
 * it reads observations and returns numbers with their evidence; nothing is applied.
 */

export interface RecommendOptions {
  /** Headroom over the observed p99: recommended = ceil(p99 x margin). Default 1.25. */
  margin?: number;
  /** Window per-client cost is summed over for tier capacities, in ms. Default 60_000. */
  windowMs?: number;
  /** Samples below which a recommendation is marked `enoughEvidence: false`. Default 20. */
  minSamples?: number;
}

export const defaultRecommendOptions = {
  margin: 1.25,
  windowMs: 60_000,
  minSamples: 20,
} satisfies Required<RecommendOptions>;

/** Distribution of the values a recommendation rests on. */
export interface Evidence {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ListSizeRecommendation {
  /** Schema coordinate, "Type.field". */
  coordinate: string;
  assumedSize: number;
  evidence: Evidence;
  enoughEvidence: boolean;
}

export interface MaxCostRecommendation {
  maxCost: number;
  evidence: Evidence;
  enoughEvidence: boolean;
}

export interface TierRecommendation {
  tier: string;
  /** p99 of a client's actual cost per window x margin, in cost points. */
  capacity: number;
  /** capacity restored over one window, in points per second. */
  restoreRatePerSecond: number;
  /** Distinct clients behind the evidence. */
  clients: number;
  /** Evidence over (client, window) sums with any cost. */
  evidence: Evidence;
  enoughEvidence: boolean;
}

export interface Recommendations {
  margin: number;
  windowMs: number;
  observations: number;
  listSizes: ListSizeRecommendation[];
  maxCost: MaxCostRecommendation | null;
  tiers: TierRecommendation[];
}

export function normalizeRecommendOptions(options: RecommendOptions = {}): Readonly<Required<RecommendOptions>> {
  const o = { ...defaultRecommendOptions, ...options };
  if (typeof o.margin !== 'number' || !Number.isFinite(o.margin) || o.margin < 1 || o.margin > 100) {
    throw new TypeError('recommend.margin must be a number from 1 to 100');
  }
  if (!Number.isInteger(o.windowMs) || o.windowMs < 1000) throw new TypeError('recommend.windowMs must be an integer >= 1000');
  if (!Number.isInteger(o.minSamples) || o.minSamples < 1) throw new TypeError('recommend.minSamples must be an integer >= 1');
  return Object.freeze(o);
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100); 0 for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function evidenceOf(values: readonly number[]): Evidence {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
  };
}

const withMargin = (value: number, margin: number): number => Math.max(1, Math.ceil(value * margin - 1e-9));

export function recommend(observations: readonly Observation[], options: RecommendOptions = {}): Recommendations {
  const { margin, windowMs, minSamples } = normalizeRecommendOptions(options);

  const sizes = new Map<string, number[]>();
  for (const o of observations) {
    for (const [coordinate, size] of Object.entries(o.listSizes)) {
      let list = sizes.get(coordinate);
      if (list === undefined) sizes.set(coordinate, (list = []));
      list.push(size);
    }
  }
  const listSizes = [...sizes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([coordinate, values]): ListSizeRecommendation => {
      const evidence = evidenceOf(values);
      return { coordinate, assumedSize: withMargin(evidence.p99, margin), evidence, enoughEvidence: evidence.samples >= minSamples };
    });

  let maxCost: MaxCostRecommendation | null = null;
  if (observations.length > 0) {
    const evidence = evidenceOf(observations.map((o) => o.actualCost));
    maxCost = { maxCost: withMargin(evidence.p99, margin), evidence, enoughEvidence: evidence.samples >= minSamples };
  }

  // Sum each client's cost per window, then look at the spread of those sums per tier.
  const perWindow = new Map<string, Map<string, number>>();
  const clientsPerTier = new Map<string, Set<string>>();
  for (const o of observations) {
    const tier = o.tier ?? 'default';
    let sums = perWindow.get(tier);
    if (sums === undefined) perWindow.set(tier, (sums = new Map()));
    const key = `${Math.floor(o.atMs / windowMs)}\u0000${o.clientId}`;
    sums.set(key, (sums.get(key) ?? 0) + o.actualCost);
    let clients = clientsPerTier.get(tier);
    if (clients === undefined) clientsPerTier.set(tier, (clients = new Set()));
    clients.add(o.clientId);
  }
  const tiers = [...perWindow.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tier, sums]): TierRecommendation => {
      const evidence = evidenceOf([...sums.values()]);
      const capacity = withMargin(evidence.p99, margin);
      return {
        tier,
        capacity,
        restoreRatePerSecond: Math.max(0.001, Math.round((capacity / (windowMs / 1000)) * 1000) / 1000),
        clients: clientsPerTier.get(tier)?.size ?? 0,
        evidence,
        enoughEvidence: evidence.samples >= minSamples,
      };
    });

  return { margin, windowMs, observations: observations.length, listSizes, maxCost, tiers };
}
