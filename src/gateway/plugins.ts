import type { NormalizedConfig } from '../config';
import { useErrorShaping } from './use-error-shaping';
import { useRequestShape } from './use-request-shape';

export interface GatewayServices {
  close(): Promise<void>;
}

export interface CreatedPlugins {
  plugins: unknown[];
  services: GatewayServices;
}

/** Builds loopgate's plugins, in the order a request meets them, and the services behind them. */
export async function createPlugins(config: NormalizedConfig, _context: { cwd: string }): Promise<CreatedPlugins> {
  void config;
  return { plugins: [useRequestShape(), useErrorShaping()], services: { close: async () => {} } };
}
