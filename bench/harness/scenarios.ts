import { startGateway } from '../../src/server';
import type { BackendsProcess } from './backends';
import { loopgateBenchConfig } from './loopgate-config';
import { startPartialLoopgate, type LoopgateFeature } from './loopgate-partial';
import type { ScenarioName } from './options';
import { startBareGateway, startPeerGateway } from './peer';
import type { BenchQuery } from './queries';
import type { BenchKey } from './tokens';

/** What every scenario is built from: the shared backends, key, token and query. */
export interface ScenarioContext {
  cwd: string;
  supergraph: string;
  backends: BackendsProcess;
  key: BenchKey;
  token: string;
  query: BenchQuery;
  /** Set when a Redis-backed scenario is selected. */
  redisUrl?: string;
}

export interface RunningScenario {
  name: ScenarioName;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Checks one response body; undefined when correct. */
  problemWith(body: unknown): string | undefined;
  /** The scenario must refuse a request without a token (proves authentication is live). */
  enforcesToken: boolean;
  close(): Promise<void>;
}

interface ScenarioSpec {
  /** One line for the report: what runs. */
  describe: string;
  start(ctx: ScenarioContext): Promise<{ url: string; close(): Promise<void> }>;
  /** Sends the bench token (every gateway; not the raw upstream). */
  authenticated: boolean;
  /** Refuses requests without a token. */
  enforcesToken: boolean;
}

const partial = (features: LoopgateFeature[]): ScenarioSpec => ({
  describe: `startGateway with only ${features.join(' + ')} (bench/harness/loopgate-partial.ts)`,
  authenticated: true,
  enforcesToken: true,
  start: async (ctx) => {
    const served = await startPartialLoopgate({
      config: loopgateBenchConfig({ key: ctx.key, petstoreUrl: ctx.backends.petstoreUrl, reviewsUrl: ctx.backends.reviewsUrl }),
      cwd: ctx.cwd,
      features: new Set(features),
    });
    return { url: served.graphqlUrl, close: served.close };
  },
});

const full = (store: 'memory' | 'redis'): ScenarioSpec => ({
  describe: `startGateway, every feature on defaults, ${store} store`,
  authenticated: true,
  enforcesToken: true,
  start: async (ctx) => {
    if (store === 'redis' && !ctx.redisUrl) throw new Error('loopgate-full-redis needs a redis-server');
    const gateway = await startGateway({
      config: loopgateBenchConfig({
        key: ctx.key,
        petstoreUrl: ctx.backends.petstoreUrl,
        reviewsUrl: ctx.backends.reviewsUrl,
        redisUrl: store === 'redis' ? ctx.redisUrl : undefined,
      }),
      cwd: ctx.cwd,
    });
    return { url: gateway.graphqlUrl, close: gateway.close };
  },
});

const locationsOf = (ctx: ScenarioContext) => ({ petstore: ctx.backends.petstoreUrl, reviews: ctx.backends.reviewsUrl });

export const scenarioSpecs: Record<ScenarioName, ScenarioSpec> = {
  upstream: {
    describe: 'the reviews backend called directly (no gateway)',
    authenticated: false,
    enforcesToken: false,
    start: async (ctx) => ({ url: ctx.backends.reviewsUrl, close: async () => {} }),
  },
  bare: {
    describe: 'createGatewayRuntime, same supergraph and transports, no security plugins',
    // The token is sent (and ignored) so every gateway receives byte-identical requests.
    authenticated: true,
    enforcesToken: false,
    start: async (ctx) => {
      const served = await startBareGateway({ supergraph: ctx.supergraph, locations: locationsOf(ctx) });
      return { url: served.graphqlUrl, close: served.close };
    },
  },
  'loopgate-auth': partial(['auth']),
  'loopgate-auth-limits': partial(['auth', 'limits']),
  'loopgate-auth-limits-authz': partial(['auth', 'limits', 'authz']),
  'loopgate-auth-limits-authz-cost': partial(['auth', 'limits', 'authz', 'cost']),
  'loopgate-full-memory': full('memory'),
  'loopgate-full-redis': full('redis'),
  peer: {
    describe: 'createGatewayRuntime + useJWT + demandControl + plugin-rate-limit + graphql-armor',
    authenticated: true,
    enforcesToken: true,
    start: async (ctx) => {
      const served = await startPeerGateway({ supergraph: ctx.supergraph, locations: locationsOf(ctx) }, ctx.key);
      return { url: served.graphqlUrl, close: served.close };
    },
  },
};

/** Starts one scenario's server (if it has one) and describes the request to fire at it. */
export async function startScenario(name: ScenarioName, ctx: ScenarioContext): Promise<RunningScenario> {
  const spec = scenarioSpecs[name];
  const started = await spec.start(ctx);
  const isUpstream = name === 'upstream';
  return {
    name,
    url: started.url,
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(spec.authenticated ? { authorization: `Bearer ${ctx.token}` } : {}),
    },
    body: JSON.stringify({ query: isUpstream ? ctx.query.upstream : ctx.query.gateway }),
    problemWith: isUpstream ? ctx.query.upstreamProblemWith : ctx.query.problemWith,
    enforcesToken: spec.enforcesToken,
    close: started.close,
  };
}
