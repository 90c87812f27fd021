import { startPetstoreBackend } from '../../mesh/backends/petstore-server';
import { startReviewsBackend } from '../../mesh/backends/reviews-server';
import type { RunningBackend } from '../../mesh/backends/listen';
import type { SourceOptions } from '../config';

const embeddedStarters: Record<string, () => Promise<RunningBackend>> = {
  petstore: () => startPetstoreBackend(),
  reviews: () => startReviewsBackend(),
};

export interface ResolvedSources {
  /** Subgraph name -> upstream URL the runtime calls. */
  locations: Record<string, string>;
  /** The in-process backends started for sources without a URL. */
  embedded: Record<string, RunningBackend>;
  close(): Promise<void>;
}

/**
 * Gives every subgraph of the supergraph an upstream: the configured URL, or the embedded demo
 * backend on a free loopback port. A subgraph with neither fails start-up by name.
 */
export async function resolveSources(subgraphNames: string[], sources: Record<string, SourceOptions>): Promise<ResolvedSources> {
  const locations: Record<string, string> = {};
  const embedded: Record<string, RunningBackend> = {};
  const close = async () => {
    await Promise.all(Object.values(embedded).map((b) => b.close()));
  };
  try {
    for (const name of subgraphNames) {
      const url = sources[name]?.url;
      if (url) {
        locations[name] = url;
        continue;
      }
      const start = embeddedStarters[name];
      if (!start) throw new TypeError(`loopgate config: sources.${name}.url: the supergraph has subgraph "${name}" and no upstream URL is configured for it`);
      embedded[name] = await start();
      locations[name] = embedded[name]!.url;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { locations, embedded, close };
}
