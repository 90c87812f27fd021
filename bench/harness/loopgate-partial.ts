import type { LoopgateConfig } from '../../src/config';
import type { GatewayFeature } from '../../src/gateway/plugins';
import { startGateway } from '../../src/server';
import type { ServedRuntime } from './serve-runtime';

export type LoopgateFeature = Exclude<GatewayFeature, 'metrics'>;

const allFeatures: readonly GatewayFeature[] = ['auth', 'limits', 'authz', 'cost', 'budget', 'feedback', 'metrics'];

/**
 * loopgate with only some features, for the "each feature added in turn" scenarios: the real
 * `startGateway`, with the other features switched off through its `disabled` option (metrics
 * count as part of the full gateway only).
 */
export async function startPartialLoopgate(options: {
  config: LoopgateConfig;
  cwd: string;
  features: ReadonlySet<LoopgateFeature>;
}): Promise<ServedRuntime> {
  const disabled = new Set(allFeatures.filter((f) => !options.features.has(f as LoopgateFeature)));
  const gateway = await startGateway({ config: options.config, cwd: options.cwd, disabled });
  return { graphqlUrl: gateway.graphqlUrl, close: gateway.close };
}
