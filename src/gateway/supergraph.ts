import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Reads the composed supergraph, failing start-up with a clear reason when it is missing. */
export function readSupergraph(path: string, cwd: string): string {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw new TypeError(`loopgate: no supergraph at ${file}: run "npm run compose" (npm start does it for you)`);
  }
  return readFileSync(file, 'utf8');
}

/** The subgraph names the supergraph routes to, from its `join__Graph` enum. */
export function subgraphNamesOf(supergraphSdl: string): string[] {
  const names = new Set<string>();
  for (const match of supergraphSdl.matchAll(/@join__graph\(name:\s*"([^"]+)"/g)) names.add(match[1]!);
  return [...names];
}
