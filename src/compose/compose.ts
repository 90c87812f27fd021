import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getComposedResultFromConfig, type MeshComposeCLIConfig } from '@graphql-mesh/compose-cli';
import { DefaultLogger } from '@graphql-mesh/utils';
import { applyPolicySdl } from './apply-policy';

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

const inputsHeader = '# loopgate composition inputs: ';

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

/**
 * Composes the sources in `mesh/mesh.config.ts` with the Mesh toolchain, merges the policy SDL
 * and writes the supergraph. Throws with the failing source and reason.
 */
export async function composeSupergraph(options: ComposeOptions): Promise<string> {
  const configModule = (await import(pathToFileURL(resolve(options.meshDir, 'mesh.config.ts')).href)) as {
    composeConfig?: MeshComposeCLIConfig;
  };
  if (!configModule.composeConfig) throw new Error(`mesh/mesh.config.ts does not export "composeConfig"`);
  const logger = new DefaultLogger('compose');
  const { supergraphSdl } = await getComposedResultFromConfig(
    { ...configModule.composeConfig, cwd: dirname(options.meshDir) },
    logger,
  );
  const policyPath = resolve(options.meshDir, 'policy.graphql');
  const withPolicy = existsSync(policyPath)
    ? applyPolicySdl(supergraphSdl, readFileSync(policyPath, 'utf8'), 'mesh/policy.graphql')
    : supergraphSdl;
  const text = `${inputsHeader}${compositionInputsHash(options.meshDir)}\n${withPolicy}\n`;
  mkdirSync(dirname(options.outputPath), { recursive: true });
  writeFileSync(options.outputPath, text);
  return text;
}
