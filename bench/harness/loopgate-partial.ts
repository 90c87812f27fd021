import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { normalizeConfig, type LoopgateConfig } from '../../src/config';
import { createPlugins } from '../../src/gateway/plugins';
import { readSupergraph } from '../../src/gateway/supergraph';
import { serveRuntime, type ServedRuntime } from './serve-runtime';

export type LoopgateFeature = 'auth' | 'limits' | 'authz' | 'cost' | 'budget' | 'feedback';

/**
 * The feature each plugin of `createPlugins` belongs to, in its order (request shape, auth,
 * limits, authz, argument validation, cost, budget, feedback, error shaping). The request-shape
 * and error-shaping plugins frame every variant; argument validation (OpenAPI constraints)
 * counts as a limit. A change in the count fails loudly instead of dropping the wrong plugin.
 */
const pluginSlots = ['frame', 'auth', 'limits', 'authz', 'limits', 'cost', 'budget', 'feedback', 'frame'] as const;

/**
 * loopgate with only some features, for the "each feature added in turn" scenarios. src has
 * no switch to turn a feature off (authz, cost and budget always run), so this builds the
 * same runtime as `startGateway` (same supergraph, transports, runtime options and header
 * propagation) from `createPlugins`' real plugins, keeping the wanted ones. Full loopgate is
 * measured through `startGateway` itself, never through this.
 */
export async function startPartialLoopgate(options: {
  config: LoopgateConfig;
  cwd: string;
  features: ReadonlySet<LoopgateFeature>;
}): Promise<ServedRuntime> {
  const config = normalizeConfig(options.config, {});
  const supergraph = readSupergraph(config.supergraphPath, options.cwd);
  const locations: Record<string, string> = {};
  for (const [name, source] of Object.entries(config.sources)) {
    if (!source.url) throw new TypeError(`bench: sources.${name}.url is required (the bench shares its own backends)`);
    locations[name] = source.url;
  }
  const created = await createPlugins(config, { cwd: options.cwd, now: Date.now, supergraphSdl: supergraph });
  if (created.plugins.length !== pluginSlots.length) {
    await created.services.close();
    throw new Error(
      `createPlugins now returns ${created.plugins.length} plugins, not ${pluginSlots.length}: ` +
        'update pluginSlots in bench/harness/loopgate-partial.ts (or give src a features switch)',
    );
  }
  const plugins = created.plugins.filter((_, i) => {
    const slot = pluginSlots[i]!;
    return slot === 'frame' || options.features.has(slot);
  });
  const runtime = createGatewayRuntime({
    supergraph,
    transportEntries: Object.fromEntries(Object.entries(locations).map(([name, location]) => [name, { location }])),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: false,
    graphiql: !config.server.production,
    upstreamTimeout: config.upstream.timeoutMs,
    batching: { limit: 1_000 },
    logging: 'error',
    plugins: () => plugins as GatewayPlugin[],
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => {
        const principal = created.services.principalOf(request);
        return principal ? Object.fromEntries(created.services.authenticator.forwardHeaders(new Headers(), principal)) : {};
      },
    },
  });
  const served = await serveRuntime(runtime);
  return {
    graphqlUrl: served.graphqlUrl,
    close: async () => {
      await served.close();
      await created.services.close();
    },
  };
}
