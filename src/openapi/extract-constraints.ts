import { isObjectType, type GraphQLSchema } from 'graphql';
import { ConstraintGraphBuilder, emptyNode, pruneGraph, requireKey, type ConstraintNode } from './constraint-graph';
import { argumentNameOf, httpOperationOf } from './http-operation';
import { operationTable, pathShape, requestBodyOf, type OpenApiDocument } from './openapi-document';
import { normalizeOpenApiConstraintOptions, type OpenApiConstraintOptions } from './options';
import { isEmpty, SchemaFolder, type ArgumentConstraints } from './rules';

export interface ConstraintWarning {
  /** Field coordinate, e.g. `Query.getOrderById`. */
  coordinate: string;
  /** Argument path, when the warning is about one. */
  path?: string;
  message: string;
}

/** Constraints of every REST-derived field of one subgraph, read once per schema and document. */
export interface ArgumentConstraintIndex {
  readonly subgraph: string;
  /**
   * coordinate -> argument path -> what the document states. Paths are dotted into input
   * objects, `[]` marks list items (`input.tags[].name`); a recursive type is listed once.
   */
  readonly constraints: Readonly<Record<string, Readonly<Record<string, ArgumentConstraints>>>>;
  /** Coordinates that have something to check: test membership before reading argument values. */
  readonly coordinates: ReadonlySet<string>;
  /** What could not be read or will not be checked (refused patterns, unmatched operations). */
  readonly warnings: ReadonlyArray<ConstraintWarning>;
  /** Violations reported per call at most. */
  readonly maxViolations: number;
  /** Compiled checks per coordinate (internal to validateArguments). */
  readonly roots: ReadonlyMap<string, ConstraintNode>;
}

const INTROSPECTION = /^__/;
const cache = new WeakMap<GraphQLSchema, WeakMap<OpenApiDocument, Map<string, ArgumentConstraintIndex>>>();

/** Lists the constraint table of one field from its node graph, stopping at cycles. */
function tabulate(root: ConstraintNode): Record<string, ArgumentConstraints> {
  const table: Record<string, ArgumentConstraints> = {};
  const onPath = new Set<ConstraintNode>();
  const walk = (node: ConstraintNode, path: string | undefined, required: boolean): void => {
    if (path !== undefined) {
      const entry: ArgumentConstraints = { ...node.constraints, ...(required ? { required: true as const } : {}) };
      if (!isEmpty(entry)) table[path] = entry;
    }
    if (onPath.has(node)) return;
    onPath.add(node);
    const requiredKeys = new Set(node.declaredRequired);
    const prefix = path === undefined ? '' : `${path}.`;
    for (const [key, child] of node.props) walk(child, prefix + key, requiredKeys.has(key));
    for (const key of requiredKeys) if (!node.props.some(([k]) => k === key)) table[prefix + key] = { required: true };
    if (node.items) walk(node.items, `${path ?? ''}[]`, false);
    onPath.delete(node);
  };
  walk(root, undefined, false);
  return table;
}

/**
 * For each field carrying `@httpOperation` of `subgraphName`, the constraints the OpenAPI
 * document states on its parameters and request body, compiled into checks. Cached per schema,
 * document and subgraph (and built anew for other options objects only when those differ).
 */
export function extractArgumentConstraints(
  openapiDoc: OpenApiDocument,
  schema: GraphQLSchema,
  subgraphName: string,
  options: OpenApiConstraintOptions = {},
): ArgumentConstraintIndex {
  const normalized = normalizeOpenApiConstraintOptions(options);
  let byDoc = cache.get(schema);
  if (!byDoc) cache.set(schema, (byDoc = new WeakMap()));
  let bySubgraph = byDoc.get(openapiDoc);
  if (!bySubgraph) byDoc.set(openapiDoc, (bySubgraph = new Map()));
  const cacheKey = `${subgraphName}\u0000${JSON.stringify(normalized)}`;
  const cached = bySubgraph.get(cacheKey);
  if (cached) return cached;

  const operations = operationTable(openapiDoc);
  const folder = new SchemaFolder(openapiDoc);
  const warnings: ConstraintWarning[] = [];
  const constraints: Record<string, Record<string, ArgumentConstraints>> = {};
  const roots = new Map<string, ConstraintNode>();
  const allNodes: ConstraintNode[] = [];

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || INTROSPECTION.test(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const http = httpOperationOf(field, subgraphName);
      if (!http) continue;
      const coordinate = `${type.name}.${field.name}`;
      const warn = (path: string | undefined, message: string) => warnings.push({ coordinate, ...(path ? { path } : {}), message });
      const op = operations.get(`${http.httpMethod} ${pathShape(http.path)}`);
      if (!op) {
        warn(undefined, `no ${http.httpMethod} ${http.path} operation in the OpenAPI document`);
        continue;
      }
      const builder = new ConstraintGraphBuilder(normalized, warn);
      const argTypes = new Map(field.args.map((a) => [a.name, a.type]));
      const argNames = new Set(argTypes.keys());
      const root = emptyNode();
      for (const param of op.parameters) {
        if (param.in === 'body') continue;
        const argName = argumentNameOf(param, op, http, argNames);
        if (argName === undefined) {
          warn(param.name, `${param.in} parameter has no GraphQL argument: not checked`);
          continue;
        }
        root.props.push([argName, builder.node(folder.fold(param.schema), argTypes.get(argName), argName)]);
        if (param.required) requireKey(root, argName, argTypes.get(argName), param.schema?.nullable === true);
      }
      const contentType = http.headers.find(([h]) => h.toLowerCase() === 'content-type')?.[1];
      const body = requestBodyOf(openapiDoc, op, contentType);
      if (body && argTypes.has('input')) {
        root.props.push(['input', builder.node(folder.fold(body.schema), argTypes.get('input'), 'input')]);
        if (body.required) requireKey(root, 'input', argTypes.get('input'), false);
      }
      const table = tabulate(root);
      if (!isEmpty(table)) constraints[coordinate] = table;
      allNodes.push(root, ...builder.all);
      roots.set(coordinate, root);
    }
  }
  const live = pruneGraph(allNodes);
  for (const [coordinate, root] of roots) if (!live.has(root)) roots.delete(coordinate);
  const index: ArgumentConstraintIndex = {
    subgraph: subgraphName,
    constraints,
    coordinates: new Set(roots.keys()),
    warnings,
    maxViolations: normalized.maxViolations,
    roots,
  };
  bySubgraph.set(cacheKey, index);
  return index;
}
