import { deref, isObject, type JsonObject, type OpenApiDocument } from './openapi-document';

/**
 * The rules, what is checked, and what is not.
 *
 * Checked, on the argument values GraphQL has already coerced (so types are GraphQL's job):
 *
 * | rule                | applies to                                  | source keyword                         |
 * | ------------------- | ------------------------------------------- | -------------------------------------- |
 * | maxLength/minLength | strings, counted in Unicode code points     | maxLength, minLength                   |
 * | pattern             | strings; ECMA-262 regex, unanchored search  | pattern                                |
 * | minimum/maximum     | numbers, bigint, numeric strings (BigInt)   | minimum, maximum                       |
 * | exclusiveMin/Max    | same                                        | 3.0 boolean form or 3.1 number form    |
 * | maxItems/minItems   | lists                                       | maxItems, minItems                     |
 * | enum                | strings, numbers, booleans (GraphQL enum    | enum                                   |
 * |                     | value names Mesh derived are accepted too)  |                                        |
 * | required            | parameters with `required: true`, required  | required (parameter, requestBody,      |
 * |                     | request bodies, `required` object properties | object `required` list); null counts   |
 * |                     |                                             | as missing unless the schema is nullable |
 * | integer             | values of `type: integer`: a whole number,  | type: integer                          |
 * |                     | a bigint or a decimal digit string only     |                                        |
 * | pathSegment         | arguments a URL path template reads         | `{args.x}` in `@httpOperation(path:)`, |
 * |                     | (`pathSegmentProblem`), with `required`      | not the document: see path-checks.ts   |
 *
 * Where: path, query, header and cookie parameters (by the argument name Mesh gave them), the
 * request body as the `input` argument, nested object properties, list items, `$ref`s
 * (cycles included: recursive input types are checked to the depth of the value) and `allOf`
 * (keywords merged, the tighter bound wins).
 *
 * Not checked: `format`, `multipleOf`, `uniqueItems`, `additionalProperties`, `minProperties` /
 * `maxProperties`, `const`, `not`, `oneOf` / `anyOf` (which branch applies is unknowable here),
 * `readOnly` / `writeOnly`, a second `pattern` from `allOf` (listed in warnings), external `$ref`s,
 * object or array `enum` members, and properties whose GraphQL name cannot be matched. Patterns:
 * compiled once with `new RegExp(p)` (no `u` flag: OpenAPI patterns are ECMA-262); a pattern that
 * does not compile, or that nests quantifiers (`(a+)+`, refusable by option), is not checked and
 * is listed in warnings. A string longer than `maxLength` is never run through the regex (the
 * maxLength violation is reported instead); without `maxLength`, strings longer than
 * `maxPatternInputLength` (default 10_000) are rejected unrun, bounding the regex's work.
 */
export type ConstraintRule =
  | 'maxLength'
  | 'minLength'
  | 'pattern'
  | 'minimum'
  | 'maximum'
  | 'exclusiveMinimum'
  | 'exclusiveMaximum'
  | 'maxItems'
  | 'minItems'
  | 'enum'
  | 'required'
  | 'integer'
  | 'pathSegment'
  | 'headerValue';

/** What the document states about one argument path; numbers are in the schema's own units. */
export interface ArgumentConstraints {
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** Normalised to the 3.1 number form: the value must be greater than this. */
  exclusiveMinimum?: number;
  /** Normalised to the 3.1 number form: the value must be less than this. */
  exclusiveMaximum?: number;
  maxItems?: number;
  minItems?: number;
  enum?: ReadonlyArray<unknown>;
  /** The parent (operation, body or object) requires this value to be present and not null. */
  required?: true;
  /** `type: integer`: the value must be a whole number (the gateway's BigInt scalar passes lists and booleans on). */
  integer?: true;
  /** The value is interpolated into the URL path and must stay one segment (from the template, not the document). */
  pathSegment?: true;
  /** The value is sent as an HTTP header and must be a valid header value (from the template, not the document). */
  headerValue?: true;
}

/** A schema with `$ref` and `allOf` folded in: the view the compiler and list sizing read. */
export interface FlatSchema {
  readonly constraints: ArgumentConstraints;
  readonly properties: ReadonlyMap<string, FlatSchema | undefined>;
  readonly required: ReadonlySet<string>;
  /** Schema of list items when the schema is an array. */
  readonly items: FlatSchema | undefined;
  readonly isArray: boolean;
  readonly nullable: boolean;
  /** Problems met while folding, e.g. a second pattern from allOf. */
  readonly notes: ReadonlyArray<string>;
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const tighterMax = (a: number | undefined, b: number) => (a === undefined ? b : Math.min(a, b));
const tighterMin = (a: number | undefined, b: number) => (a === undefined ? b : Math.max(a, b));

function mergeKeywords(c: ArgumentConstraints, s: JsonObject, notes: string[]): void {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('integer') && !types.some((t) => t === 'string' || t === 'number' || t === 'array')) c.integer = true;
  if (num(s.maxLength)) c.maxLength = tighterMax(c.maxLength, s.maxLength);
  if (num(s.minLength)) c.minLength = tighterMin(c.minLength, s.minLength);
  if (num(s.maxItems)) c.maxItems = tighterMax(c.maxItems, s.maxItems);
  if (num(s.minItems)) c.minItems = tighterMin(c.minItems, s.minItems);
  // 3.0: exclusiveX is a boolean turning minimum/maximum strict; 3.1: it is the bound itself.
  if (num(s.minimum)) {
    if (s.exclusiveMinimum === true) c.exclusiveMinimum = tighterMin(c.exclusiveMinimum, s.minimum);
    else c.minimum = tighterMin(c.minimum, s.minimum);
  }
  if (num(s.maximum)) {
    if (s.exclusiveMaximum === true) c.exclusiveMaximum = tighterMax(c.exclusiveMaximum, s.maximum);
    else c.maximum = tighterMax(c.maximum, s.maximum);
  }
  if (num(s.exclusiveMinimum)) c.exclusiveMinimum = tighterMin(c.exclusiveMinimum, s.exclusiveMinimum);
  if (num(s.exclusiveMaximum)) c.exclusiveMaximum = tighterMax(c.exclusiveMaximum, s.exclusiveMaximum);
  if (typeof s.pattern === 'string') {
    if (c.pattern === undefined) c.pattern = s.pattern;
    else if (c.pattern !== s.pattern) notes.push(`second pattern ${JSON.stringify(s.pattern)} from allOf is not checked`);
  }
  if (Array.isArray(s.enum)) {
    const members = s.enum.filter((v) => v === null || typeof v !== 'object');
    c.enum = c.enum === undefined ? members : c.enum.filter((v) => members.includes(v));
  }
}

/** Folds a schema once per document; shared sub-schemas fold to the same object. */
export class SchemaFolder {
  private readonly folded = new Map<JsonObject, FlatSchema>();

  constructor(private readonly doc: OpenApiDocument) {}

  fold(raw: unknown): FlatSchema | undefined {
    const schema = deref(this.doc, raw);
    if (!schema) return undefined;
    const cached = this.folded.get(schema);
    if (cached) return cached;
    const constraints: ArgumentConstraints = {};
    const properties = new Map<string, FlatSchema | undefined>();
    const rawProperties = new Map<string, unknown>();
    const required = new Set<string>();
    const notes: string[] = [];
    let itemsRaw: unknown;
    let isArray = false;
    let nullable = false;
    // The flat view is registered before its properties fold, so a $ref cycle finds it here.
    const flat: FlatSchema = { constraints, properties, required, items: undefined, isArray, nullable, notes };
    this.folded.set(schema, flat);
    const seen = new Set<JsonObject>();
    const visit = (s: JsonObject | undefined): void => {
      if (!s || seen.has(s)) return;
      seen.add(s);
      mergeKeywords(constraints, s, notes);
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (types.includes('array') || s.items !== undefined) isArray = true;
      if (s.nullable === true || types.includes('null')) nullable = true;
      if (s.items !== undefined && itemsRaw === undefined) itemsRaw = s.items;
      if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') required.add(r);
      if (isObject(s.properties)) {
        for (const [k, v] of Object.entries(s.properties)) if (!rawProperties.has(k)) rawProperties.set(k, v);
      }
      if (Array.isArray(s.allOf)) for (const part of s.allOf) visit(deref(this.doc, part));
    };
    visit(schema);
    for (const [k, v] of rawProperties) properties.set(k, this.fold(v));
    const done: FlatSchema = { ...flat, items: this.fold(itemsRaw), isArray, nullable };
    Object.assign(flat, done);
    return flat;
  }
}

/** True when the constraints object states nothing. */
export function isEmpty(c: ArgumentConstraints): boolean {
  for (const _ in c) return false;
  return true;
}
