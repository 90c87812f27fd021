import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ComposeOptions {
  /** Folder holding the composition inputs. Default: `<cwd>/mesh`. */
  meshDir: string;
  /** Where the supergraph is written. Default: `<meshDir>/supergraph.graphql`. */
  outputPath: string;
}

export function defaultComposeOptions(cwd = process.cwd()): ComposeOptions {
  const meshDir = resolve(cwd, 'mesh');
  return { meshDir, outputPath: resolve(meshDir, 'supergraph.graphql') };
}

export const inputsHeader = '# loopgate composition inputs: ';

/** Files whose change makes the supergraph stale, plus env overrides that change the sources. */
function compositionInputs(meshDir: string): string[] {
  return ['mesh.config.ts', 'policy.graphql', 'petstore/openapi.json', 'reviews/schema.graphql']
    .map((f) => resolve(meshDir, f))
    .concat([process.env.LOOPGATE_PETSTORE_OPENAPI, process.env.LOOPGATE_REVIEWS_SDL].filter((f): f is string => !!f).map((f) => resolve(f)));
}

export function compositionInputsHash(meshDir: string): string {
  const hash = createHash('sha256');
  for (const file of compositionInputs(meshDir)) {
    hash.update(file);
    hash.update(existsSync(file) ? readFileSync(file) : 'missing');
  }
  return hash.digest('hex').slice(0, 16);
}

/** True when the supergraph exists and was composed from the current inputs. */
export function isSupergraphFresh(options: ComposeOptions): boolean {
  if (!existsSync(options.outputPath)) return false;
  const firstLine = readFileSync(options.outputPath, 'utf8').split('\n', 1)[0] ?? '';
  return firstLine === inputsHeader + compositionInputsHash(options.meshDir);
}

