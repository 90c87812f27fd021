import { valueFromASTUntyped, type GraphQLField, type GraphQLInputField } from 'graphql';
import { isObject, placeholders, type OpenApiOperation, type OpenApiParameter } from './openapi-document';

/** What loopgate needs from a field's `@httpOperation(...)` (written by @omnigraph/openapi). */
export interface HttpOperation {
  subgraph: string | undefined;
  path: string;
  httpMethod: string;
  /** OpenAPI query parameter name -> GraphQL argument name. */
  queryParamArgMap: Record<string, string>;
  /** Header name (as written) -> value template, e.g. `{args.api_key}`. */
  headers: ReadonlyArray<readonly [string, string]>;
}

type AnyField = GraphQLField<unknown, unknown> | GraphQLInputField;

function objMap(value: unknown): Record<string, string> {
  // ObjMap arrives as a JSON string from SDL, as an object from in-memory schemas.
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  const out: Record<string, string> = {};
  if (isObject(parsed)) for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

function toOperation(args: Record<string, unknown>): HttpOperation | undefined {
  if (typeof args.path !== 'string' || typeof args.httpMethod !== 'string') return undefined;
  const headers: Array<readonly [string, string]> = [];
  if (Array.isArray(args.operationSpecificHeaders)) {
    for (const pair of args.operationSpecificHeaders) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') headers.push([pair[0], pair[1]]);
    }
  }
  return {
    subgraph: typeof args.subgraph === 'string' ? args.subgraph : undefined,
    path: args.path,
    httpMethod: args.httpMethod.toUpperCase(),
    queryParamArgMap: objMap(args.queryParamArgMap),
    headers,
  };
}

/** Raw argument objects of one directive on a field, from its AST or from `extensions.directives`. */
export function directiveArgs(field: AnyField, name: string): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  for (const node of field.astNode?.directives ?? []) {
    if (node.name.value !== name) continue;
    const args: Record<string, unknown> = {};
    for (const arg of node.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
    found.push(args);
  }
  if (found.length > 0) return found;
  // graphql-tools keeps directives of in-memory schemas here, as one object or a list per name.
  const fromExtensions = (field.extensions as { directives?: Record<string, unknown> } | undefined)?.directives?.[name];
  for (const item of Array.isArray(fromExtensions) ? fromExtensions : [fromExtensions]) {
    if (isObject(item)) found.push({ ...item });
  }
  return found;
}

/** The field's `@httpOperation` for this subgraph (a directive without `subgraph` matches any). */
export function httpOperationOf(field: GraphQLField<unknown, unknown>, subgraphName: string): HttpOperation | undefined {
  for (const args of directiveArgs(field, 'httpOperation')) {
    const op = toOperation(args);
    if (op && (op.subgraph === undefined || op.subgraph === subgraphName)) return op;
  }
  return undefined;
}

/** Mesh's name rewriting for the common cases (`page-size` -> `page_size`, `1st` -> `_1st`). */
export function simpleSanitize(name: string): string {
  const s = name.trim().replace(/[ \-./:]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function argFromTemplate(template: string): string | undefined {
  // `{args.name}` or `{args.name:default}`
  return /\{args\.([_A-Za-z][_0-9A-Za-z]*)(?::[^}]*)?\}/.exec(template)?.[1];
}

/**
 * GraphQL argument name of each OpenAPI parameter, read from what Mesh wrote in the directive
 * (path template, queryParamArgMap, header templates), so renamed parameters still match.
 */
export function argumentNameOf(
  param: OpenApiParameter,
  op: OpenApiOperation,
  http: HttpOperation,
  argNames: ReadonlySet<string>,
): string | undefined {
  let name: string | undefined;
  if (param.in === 'path') {
    const index = placeholders(op.path).indexOf(param.name);
    const arg = placeholders(http.path)[index];
    name = arg?.startsWith('args.') ? arg.slice(5).split(':')[0] : undefined;
  } else if (param.in === 'query') {
    name = http.queryParamArgMap[param.name];
  } else if (param.in === 'header') {
    const header = http.headers.find(([h]) => h.toLowerCase() === param.name.toLowerCase());
    name = header ? argFromTemplate(header[1]) : undefined;
  } else if (param.in === 'cookie') {
    const cookie = http.headers.find(([h]) => h.toLowerCase() === 'cookie')?.[1] ?? '';
    const escaped = param.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const part = new RegExp(`(?:^|[;\\s])${escaped}=(\\{[^}]*\\})`).exec(cookie)?.[1];
    name = part ? argFromTemplate(part) : undefined;
  }
  if (name !== undefined && argNames.has(name)) return name;
  if (argNames.has(param.name)) return param.name;
  const sanitized = simpleSanitize(param.name);
  return argNames.has(sanitized) ? sanitized : undefined;
}
