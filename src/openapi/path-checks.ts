import { getArgumentValues, isObjectType, type GraphQLError, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { compileChecks } from './compile-checks';
import { emptyNode, requireKey, type ConstraintNode } from './constraint-graph';
import type { ArgumentConstraintIndex } from './extract-constraints';
import { directiveArgs } from './http-operation';
import { defaultOpenApiConstraintOptions } from './options';
import { violationError } from './operation-arguments';
import { templateArgumentPaths } from './path-segment';
import type { ArgumentConstraints } from './rules';
import { validateArguments } from './validate-arguments';

const INTROSPECTION = /^__/;
const cache = new WeakMap<GraphQLSchema, ArgumentConstraintIndex>();

const segmentRule: ArgumentConstraints = { pathSegment: true };
const headerRule: ArgumentConstraints = { headerValue: true };
const ruleChecks = new Map([segmentRule, headerRule].map((rule) => [rule, compileChecks(rule, defaultOpenApiConstraintOptions, () => {})]));

/** Places `rule` at `path` under `root`, sharing the object nodes on the way. */
function attach(root: ConstraintNode, path: ReadonlyArray<string>, rule: ArgumentConstraints): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    let child = node.props.find(([k]) => k === key)?.[1];
    if (!child) node.props.push([key, (child = emptyNode())]);
    node = child;
  }
  node.props.push([path[path.length - 1]!, { ...emptyNode(), constraints: rule, checks: ruleChecks.get(rule)! }]);
}

/** Header value templates of `operationSpecificHeaders: [["api_key", "{args.api_key}"]]`. */
function headerTemplates(headers: unknown): string[] {
  if (!Array.isArray(headers)) return [];
  return headers.flatMap((pair) => (Array.isArray(pair) && typeof pair[1] === 'string' ? [pair[1]] : []));
}

/**
 * Every argument a REST field's URL path template reads (`{args.x}` in any `@httpOperation`
 * path, any subgraph) must stay one path segment (`pathSegmentProblem`), and a top-level one
 * must be present; every argument a header template reads (`operationSpecificHeaders`) must be
 * a valid header value (`headerValueProblem`). Read from the directives alone, so a REST source without an OpenAPI document
 * configured is covered too; the result has the index shape the argument checks run on, for
 * the supergraph (before execution) and for a subgraph schema (at fetch time). Cached per schema.
 */
export function extractPathArgumentChecks(schema: GraphQLSchema): ArgumentConstraintIndex {
  const cached = cache.get(schema);
  if (cached) return cached;
  const constraints: Record<string, Record<string, ArgumentConstraints>> = {};
  const roots = new Map<string, ConstraintNode>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || INTROSPECTION.test(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const operations = directiveArgs(field, 'httpOperation');
      const argTypes = new Map(field.args.map((a) => [a.name, a.type]));
      const argumentPaths = (templates: string[]) => templateArgumentPaths(templates.join(' ')).filter((p) => argTypes.has(p[0]!));
      const paths = argumentPaths(operations.flatMap((a) => (typeof a.path === 'string' ? [a.path] : [])));
      const headerPaths = argumentPaths(operations.flatMap((a) => headerTemplates(a.operationSpecificHeaders)));
      if (paths.length === 0 && headerPaths.length === 0) continue;
      const coordinate = `${type.name}.${field.name}`;
      const root = emptyNode();
      const table: Record<string, ArgumentConstraints> = {};
      for (const path of paths) {
        attach(root, path, segmentRule);
        // A missing value would leave an empty segment (or the text "null") in the URL.
        if (path.length === 1) requireKey(root, path[0]!, argTypes.get(path[0]!), false);
        table[path.join('.')] = path.length === 1 ? { ...segmentRule, required: true } : segmentRule;
      }
      for (const path of headerPaths) {
        attach(root, path, headerRule);
        table[path.join('.')] = { ...table[path.join('.')], ...headerRule };
      }
      constraints[coordinate] = table;
      roots.set(coordinate, root);
    }
  }
  const index: ArgumentConstraintIndex = {
    subgraph: '*',
    constraints,
    coordinates: new Set(roots.keys()),
    warnings: [],
    maxViolations: defaultOpenApiConstraintOptions.maxViolations,
    roots,
  };
  cache.set(schema, index);
  return index;
}

/**
 * The path rule once more on the field a REST call is being made for (the subgraph field, with
 * the values the transport will interpolate). It also covers values the gateway passes itself,
 * such as entity keys or link arguments taken from another subgraph's data, which no check of
 * the client's arguments sees. The BAD_USER_INPUT error for the first violation, if any.
 */
export function unsafePathAtFetch(info: GraphQLResolveInfo | undefined): GraphQLError | undefined {
  if (!info?.schema) return undefined; // a fetch outside any resolver (JWKS, supergraph)
  const index = extractPathArgumentChecks(info.schema);
  const coordinate = `${info.parentType.name}.${info.fieldName}`;
  const field = index.coordinates.has(coordinate) ? info.parentType.getFields()[info.fieldName] : undefined;
  const node = info.fieldNodes[0];
  if (!field || !node) return undefined;
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, info.variableValues);
  } catch {
    return undefined; // the transport's own coercion fails the same way, before any URL exists
  }
  const violation = validateArguments(index, coordinate, args)[0];
  return violation ? violationError(coordinate, violation) : undefined;
}
