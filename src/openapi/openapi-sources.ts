import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OpenApiSource } from './use-argument-validation';

/** The OpenAPI document of each REST subgraph, for argument checks and derived list sizes. */
export function loadOpenApiSources(paths: Record<string, string>, cwd: string): OpenApiSource[] {
  return Object.entries(paths).map(([subgraph, path]) => {
    const file = resolve(cwd, path);
    if (!existsSync(file)) throw new TypeError(`loopgate config: sources.${subgraph}.openapi: no file at ${file}`);
    try {
      return { subgraph, document: JSON.parse(readFileSync(file, 'utf8')) };
    } catch (error) {
      throw new TypeError(`loopgate config: sources.${subgraph}.openapi: ${file} is not JSON (${(error as Error).message})`);
    }
  });
}
