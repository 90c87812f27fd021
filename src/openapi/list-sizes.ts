import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { argumentNameOf, directiveArgs, httpOperationOf, simpleSanitize } from './http-operation';
import { operationTable, pathShape, successResponseSchema, type OpenApiDocument, type OpenApiParameter } from './openapi-document';
import { normalizeOpenApiConstraintOptions, type OpenApiConstraintOptions } from './options';
import { SchemaFolder, type FlatSchema } from './rules';

/** `@listSize` arguments the OpenAPI document justifies for one field. */
export interface DerivedListSize {
  /** Upper bound from `maxItems` on the array, or the slicing parameter's `maximum` (the smaller). */
  assumedSize?: number;
  /** The query parameter that sizes the list, when it states a `maximum` or a `default`. */
  slicingArguments?: string[];
  /** For an object response wrapping one array: the field the slicing argument sizes. */
  sizedFields?: string[];
  /** False unless the slicing parameter is required: a REST page size is normally optional. */
  requireOneSlicingArgument?: boolean;
}

const squash = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

function outputFieldFor(type: GraphQLObjectType, property: string): GraphQLField<unknown, unknown> | undefined {
  const fields = type.getFields();
  if (fields[property]) return fields[property];
  for (const field of Object.values(fields)) {
    if (directiveArgs(field, 'resolveRootField').some((a) => a.field === property)) return field;
  }
  return fields[simpleSanitize(property)];
}

/**
 * `@listSize` values read from the OpenAPI document for REST-derived fields and for list fields
 * of the object types they return (`Pet.tags` from `maxItems`). Fields the document says nothing
 * about are absent: the cost analysis falls back to its default list size.
 */
export function deriveListSizes(
  openapiDoc: OpenApiDocument,
  schema: GraphQLSchema,
  subgraphName: string,
  options: OpenApiConstraintOptions = {},
): Record<string, DerivedListSize> {
  const slicingNames = new Set(normalizeOpenApiConstraintOptions(options).slicingParameterNames.map(squash));
  const operations = operationTable(openapiDoc);
  const folder = new SchemaFolder(openapiDoc);
  const result: Record<string, DerivedListSize> = {};
  const walked = new Map<FlatSchema, Set<string>>();

  // Nested list fields: the largest maxItems seen for a coordinate keeps it an upper bound.
  const walk = (flat: FlatSchema | undefined, type: GraphQLObjectType): void => {
    if (!flat) return;
    let types = walked.get(flat);
    if (!types) walked.set(flat, (types = new Set()));
    if (types.has(type.name)) return;
    types.add(type.name);
    for (const [property, child] of flat.properties) {
      const field = child && outputFieldFor(type, property);
      if (!field || !child) continue;
      const maxItems = child.constraints.maxItems;
      if (child.isArray && maxItems !== undefined && isListType(getNullableType(field.type))) {
        const entry = (result[`${type.name}.${field.name}`] ??= {});
        entry.assumedSize = Math.max(entry.assumedSize ?? 0, maxItems);
      }
      const named = getNamedType(field.type);
      if (isObjectType(named)) walk(child.isArray ? child.items : child, named);
    }
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const http = httpOperationOf(field, subgraphName);
      const op = http && operations.get(`${http.httpMethod} ${pathShape(http.path)}`);
      if (!http || !op) continue;
      const response = folder.fold(successResponseSchema(openapiDoc, op));
      const returned = getNullableType(field.type);
      const named = getNamedType(field.type);
      const entry: DerivedListSize = {};
      const argNames = new Set(field.args.map((a) => a.name));
      let slicing: { arg: string; param: OpenApiParameter; maximum?: number } | undefined;
      for (const param of op.parameters) {
        if (param.in !== 'query' || !slicingNames.has(squash(param.name))) continue;
        const maximum = folder.fold(param.schema)?.constraints.maximum;
        const hasDefault = typeof param.schema?.default === 'number';
        const arg = argumentNameOf(param, op, http, argNames);
        if (arg !== undefined && (maximum !== undefined || hasDefault)) {
          slicing = { arg, param, ...(maximum !== undefined ? { maximum } : {}) };
          break;
        }
      }
      if (isListType(returned)) {
        const bounds = [response?.isArray ? response.constraints.maxItems : undefined, slicing?.maximum];
        const known = bounds.filter((b): b is number => b !== undefined);
        if (known.length > 0) entry.assumedSize = Math.min(...known);
        if (slicing) {
          entry.slicingArguments = [slicing.arg];
          entry.requireOneSlicingArgument = slicing.param.required;
        }
      } else if (slicing && response && isObjectType(named)) {
        const lists = [...response.properties].filter(([, child]) => child?.isArray);
        const field0 = lists.length === 1 ? outputFieldFor(named, lists[0]![0]) : undefined;
        if (field0 && isListType(getNullableType(field0.type))) {
          entry.slicingArguments = [slicing.arg];
          entry.sizedFields = [field0.name];
          entry.requireOneSlicingArgument = slicing.param.required;
        }
      }
      if (Object.keys(entry).length > 0) result[`${type.name}.${field.name}`] = entry;
      if (isObjectType(named) && response) walk(response.isArray ? response.items : response, named);
    }
  }
  return result;
}
