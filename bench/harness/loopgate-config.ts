import type { LoopgateConfig } from '../../src/config';
import { defaultBudgetOptions } from '../../src/budget/options';
import { benchTier, type BenchKey } from './tokens';

export interface LoopgateBenchSetup {
  key: BenchKey;
  petstoreUrl: string;
  reviewsUrl: string;
  /** Redis URL for the shared store; omit for the in-memory store. */
  redisUrl?: string;
}

/**
 * loopgate as an operator would run it, every feature on its defaults, except: tokens are
 * required (the peer rejects missing tokens too), production mode (no GraphiQL, no
 * introspection), and a bench tier so large that no run is ever throttled.
 */
export function loopgateBenchConfig(setup: LoopgateBenchSetup): LoopgateConfig {
  return {
    server: { port: 0, host: '127.0.0.1', production: true },
    sources: { petstore: { url: setup.petstoreUrl }, reviews: { url: setup.reviewsUrl } },
    auth: {
      required: true,
      keySources: [{ kind: 'hmac', issuer: setup.key.issuer, audience: setup.key.audience, secret: setup.key.secret }],
    },
    budgets: {
      tiers: { ...defaultBudgetOptions.tiers, [benchTier]: { capacity: 1e12, restoreRatePerSecond: 1e12 } },
      defaultTier: defaultBudgetOptions.defaultTier,
    },
    store: setup.redisUrl ? { kind: 'redis', url: setup.redisUrl } : { kind: 'memory' },
  };
}
