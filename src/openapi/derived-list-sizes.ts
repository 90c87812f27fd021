import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import type { ListSizeOverride } from '../cost/options';
import { deriveListSizes } from './list-sizes';
import type { OpenApiSource } from './use-argument-validation';

/**
 * List sizes the OpenAPI documents state (maxItems, a bounded `limit`-style parameter), as cost
 * overrides. A field that already carries `@listSize` in the supergraph (from the policy SDL or
 * its upstream's SDL) keeps it: the policy file overrides what the document says.
 */
export function derivedListSizeOverrides(supergraphSdl: string, sources: ReadonlyArray<OpenApiSource>): Record<string, { listSize: ListSizeOverride }> {
  if (sources.length === 0) return {};
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  const overrides: Record<string, { listSize: ListSizeOverride }> = {};
  for (const source of sources) {
    for (const [coordinate, listSize] of Object.entries(deriveListSizes(source.document, schema, source.subgraph))) {
      if (!hasListSizeDirective(schema, coordinate)) overrides[coordinate] = { listSize };
    }
  }
  return overrides;
}

function hasListSizeDirective(schema: GraphQLSchema, coordinate: string): boolean {
  const [typeName, fieldName] = coordinate.split('.');
  const type = typeName ? schema.getType(typeName) : undefined;
  if (!type || !isObjectType(type) || !fieldName) return false;
  return type.getFields()[fieldName]?.astNode?.directives?.some((d) => d.name.value === 'listSize') ?? false;
}
