import type { LoopgateConfig } from '../../src/config';
import type { RunningGateway } from '../../src/server';
import type { RequestLogEntry } from '../../mesh/backends/listen';
import { tokenFor } from '../support/gateway';

/** Every scope the demo schema mentions, so core tests exercise the runtime and not authorization. */
export const allScopes =
  'admin pet:read pet:write store:read store:write user:write user:contact review:write adoption:read adoption:write owner:contact owner:phone';

/**
 * Config for core tests: a bucket no test can drain and the feedback loop off, so that
 * budgets and adaptive limits (tested in their own folders) never decide these outcomes.
 */
export const coreConfig = {
  budgets: { tiers: { anonymous: { capacity: 1_000_000, restoreRatePerSecond: 1_000_000 } } },
  feedback: { mode: 'off' },
} satisfies LoopgateConfig;

export function broadToken(): Promise<string> {
  return tokenFor({ scope: allScopes });
}

/** The embedded backend's request log; fails loudly when the source is not embedded. */
export function backendLog(gateway: RunningGateway, source: 'petstore' | 'reviews'): RequestLogEntry[] {
  const backend = gateway.sources.embedded[source];
  if (!backend) throw new Error(`source ${source} is not embedded in this gateway`);
  return backend.requests;
}

/** "METHOD /path?query" for each log entry, from `from` on. */
export function calls(log: RequestLogEntry[], from = 0): string[] {
  return log.slice(from).map((entry) => `${entry.method} ${entry.url}`);
}

/** The GraphQL operations a GraphQL backend received (its log bodies), from `from` on. */
export function graphqlQueries(log: RequestLogEntry[], from = 0): string[] {
  return log.slice(from).map((entry) => (JSON.parse(entry.body ?? '{}') as { query?: string }).query ?? '');
}
