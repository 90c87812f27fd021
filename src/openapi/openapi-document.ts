/**
 * Just enough of an OpenAPI 3 (and Swagger 2) document to read constraints: every field is
 * optional and loosely typed, because real documents are loose. Only local `$ref`s
 * (`#/components/...`, `#/definitions/...`) are followed.
 */
export type JsonObject = { readonly [key: string]: unknown };

/** An OpenAPI document as parsed from JSON or YAML. */
export type OpenApiDocument = JsonObject;

export interface OpenApiParameter {
  name: string;
  in: string;
  required: boolean;
  /** The parameter's schema, resolved; Swagger 2 keeps keywords on the parameter itself. */
  schema: JsonObject | undefined;
}

export interface OpenApiOperation {
  method: string;
  /** The path template as written in the document, e.g. `/pet/{petId}`. */
  path: string;
  operation: JsonObject;
  parameters: ReadonlyArray<OpenApiParameter>;
}

/** Longest chain of `$ref` to `$ref` followed before giving up. */
const MAX_REF_HOPS = 32;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Follows `$ref` until a real object; undefined for external, missing or circular chains (a
 * schema pointing at itself through refs alone has no content to read).
 */
export function deref(doc: OpenApiDocument, value: unknown): JsonObject | undefined {
  let node = value;
  const seen = new Set<string>();
  for (let hops = 0; hops <= MAX_REF_HOPS; hops++) {
    if (!isObject(node)) return undefined;
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    if (seen.has(ref)) return undefined;
    seen.add(ref);
    node = pointer(doc, ref);
  }
  return undefined;
}

/** `/pet/{petId}` and `/pet/{args.petId}` both become `/pet/{}`; a query string is dropped. */
export function pathShape(path: string): string {
  const q = path.indexOf('?');
  return (q >= 0 ? path.slice(0, q) : path).replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '') || '/';
}

/** Placeholder names of a path template, in order. */
export function placeholders(path: string): string[] {
  return [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
}

function readParameters(doc: OpenApiDocument, list: unknown, into: Map<string, OpenApiParameter>): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    const param = deref(doc, item);
    if (!param || typeof param.name !== 'string' || typeof param.in !== 'string') continue;
    let schema = deref(doc, param.schema);
    if (!schema && isObject(param.content)) {
      // The `content` form: one media type, its schema.
      const media = deref(doc, Object.values(param.content)[0]);
      schema = deref(doc, media?.schema);
    }
    // Swagger 2 non-body parameters carry type and keywords on the parameter object.
    if (!schema && param.in !== 'body') schema = param;
    into.set(`${param.in}:${param.name}`, { name: param.name, in: param.in, required: param.required === true, schema });
  }
}

const operationTables = new WeakMap<OpenApiDocument, Map<string, OpenApiOperation>>();

/** Operations keyed by `METHOD shape`, built once per document. */
export function operationTable(doc: OpenApiDocument): Map<string, OpenApiOperation> {
  let table = operationTables.get(doc);
  if (table) return table;
  table = new Map();
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(doc, rawItem);
    if (!item) continue;
    for (const [method, rawOp] of Object.entries(item)) {
      if (!METHODS.has(method.toLowerCase())) continue;
      const operation = deref(doc, rawOp);
      if (!operation) continue;
      // Operation-level parameters override path-level ones with the same name and location.
      const params = new Map<string, OpenApiParameter>();
      readParameters(doc, item.parameters, params);
      readParameters(doc, operation.parameters, params);
      const entry: OpenApiOperation = { method: method.toUpperCase(), path, operation, parameters: [...params.values()] };
      table.set(`${entry.method} ${pathShape(path)}`, entry);
    }
  }
  operationTables.set(doc, table);
  return table;
}

function mime(type: string): string {
  return type.split(';')[0]!.trim().toLowerCase();
}

/**
 * The request body schema Mesh turned into the `input` argument: the media type named by the
 * field's Content-Type header when there is one, else Mesh's own preference (form before JSON
 * when listed first, else the first JSON type, else the first). Swagger 2: the `in: body` param.
 */
export function requestBodyOf(
  doc: OpenApiDocument,
  op: OpenApiOperation,
  contentType: string | undefined,
): { schema: JsonObject | undefined; required: boolean } | undefined {
  const body = deref(doc, op.operation.requestBody);
  if (body && isObject(body.content)) {
    const keys = Object.keys(body.content);
    const wanted = contentType ? mime(contentType) : undefined;
    const form = keys.find((k) => mime(k) === 'application/x-www-form-urlencoded');
    const json = keys.find((k) => mime(k).includes('json'));
    const key =
      keys.find((k) => mime(k) === wanted) ??
      (form !== undefined && (json === undefined || keys.indexOf(form) < keys.indexOf(json)) ? form : (json ?? keys[0]));
    if (key === undefined) return undefined;
    const media = deref(doc, body.content[key]);
    return { schema: deref(doc, media?.schema), required: body.required === true };
  }
  const bodyParam = deref(
    doc,
    (Array.isArray(op.operation.parameters) ? op.operation.parameters : []).find((p) => deref(doc, p)?.in === 'body'),
  );
  return bodyParam ? { schema: deref(doc, bodyParam.schema), required: bodyParam.required === true } : undefined;
}

/** The schema of the first successful JSON response (2xx in order, then `default`). */
export function successResponseSchema(doc: OpenApiDocument, op: OpenApiOperation): JsonObject | undefined {
  const responses = deref(doc, op.operation.responses);
  if (!responses) return undefined;
  const codes = Object.keys(responses).filter((c) => /^2(\d\d|XX)$/i.test(c)).sort();
  if ('default' in responses) codes.push('default');
  for (const code of codes) {
    const response = deref(doc, responses[code]);
    if (!response) continue;
    if (isObject(response.content)) {
      const keys = Object.keys(response.content);
      const key = keys.find((k) => mime(k).includes('json')) ?? keys[0];
      if (key !== undefined) return deref(doc, deref(doc, response.content[key])?.schema);
    } else if (response.schema !== undefined) {
      return deref(doc, response.schema);
    }
  }
  return undefined;
}
