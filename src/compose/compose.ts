import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { compositionInputsHash, inputsHeader, type ComposeOptions } from './freshness';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getComposedResultFromConfig, type MeshComposeCLIConfig } from '@graphql-mesh/compose-cli';
import { DefaultLogger } from '@graphql-mesh/utils';
import { applyPolicySdl } from './apply-policy';

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
