import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createInlineSigningKeyProvider, useJWT } from '@graphql-mesh/plugin-jwt-auth';
import useMeshRateLimit from '@graphql-mesh/plugin-rate-limit';
import { defaultUpstreamOptions } from '../../src/config';
import { defaultLimitsOptions } from '../../src/limits/options';
import { serveRuntime, type ServedRuntime } from './serve-runtime';
import type { BenchKey } from './tokens';

export interface RuntimeSetup {
  supergraph: string;
  locations: Record<string, string>;
}

/** Runtime options the bare and peer gateways share with loopgate's server. */
function commonRuntimeOptions(setup: RuntimeSetup) {
  return {
    supergraph: setup.supergraph,
    transportEntries: Object.fromEntries(Object.entries(setup.locations).map(([name, location]) => [name, { location }])),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: 'error' as const,
  };
}

/** The Hive gateway runtime with no security plugins at all: the floor every gateway starts from. */
export function startBareGateway(setup: RuntimeSetup): Promise<ServedRuntime> {
  return serveRuntime(createGatewayRuntime(commonRuntimeOptions(setup)));
}

export interface PeerOptions {
  /** Requests per second per token subject, on each root field. Default 1e9: never reached by the bench. */
  rateLimitPerSecond?: number;
}

/**
 * What a user would assemble instead of loopgate on the same runtime, configured for the same
 * protection: the Mesh JWT plugin (HS256, same key, missing or bad tokens rejected), the
 * runtime's demand control (max cost), a per-subject rate limit on every root field, and
 * graphql-armor's depth, alias, token, directive, cost and suggestion protections with
 * loopgate's default limits, and the same upstream timeout. Introspection is off, as in
 * loopgate's production mode.
 */
export function startPeerGateway(setup: RuntimeSetup, key: BenchKey, options: PeerOptions = {}): Promise<ServedRuntime> {
  const limits = defaultLimitsOptions;
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  const cache = createTtlCache();
  const runtime = createGatewayRuntime({
    ...commonRuntimeOptions(setup),
    disableIntrospection: {},
    // loopgate bounds every upstream call by upstream.timeoutMs; the peer gets the same bound.
    upstreamTimeout: defaultUpstreamOptions.timeoutMs,
    // listSize 10 is loopgate's defaultListSize, so both price unsliced lists alike.
    demandControl: { maxCost: limits.maxCost, listSize: 10 },
    // The casts bridge the plugin packages' own bundled copies of the gateway plugin type.
    plugins: () => [
      useJWT({
        signingKeyProviders: [createInlineSigningKeyProvider(key.secret)],
        tokenVerification: { algorithms: ['HS256'], issuer: key.issuer, audience: key.audience },
        reject: { missingToken: true, invalidToken: true },
      }) as unknown as GatewayPlugin,
      // A sliding one-second window: the rate limiter stores one timestamp per request in it,
      // so a longer window would make every request slower as the stored list grows.
      useMeshRateLimit({
        config: [{ type: 'Query', field: '*', max: options.rateLimitPerSecond ?? 1e9, ttl: 1_000, identifier: '{context.jwt.payload.sub}' }],
        cache,
      }) as GatewayPlugin,
      ...(armor.plugins as GatewayPlugin[]),
    ],
  });
  return serveRuntime(runtime);
}

/** The smallest key-value cache the rate-limit plugin accepts: a Map with per-entry expiry (ttl in seconds). */
function createTtlCache() {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    get: (key: string) => live(key)?.value,
    set: (key: string, value: unknown, options?: { ttl?: number | null }) => {
      const ttlSeconds = options?.ttl ?? 0;
      entries.set(key, { value, expiresAt: ttlSeconds > 0 ? Date.now() + ttlSeconds * 1000 : Number.POSITIVE_INFINITY });
    },
    delete: (key: string) => entries.delete(key),
    getKeysByPrefix: (prefix: string) => [...entries.keys()].filter((k) => k.startsWith(prefix) && live(k)),
  };
}
