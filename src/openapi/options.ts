export interface OpenApiConstraintOptions {
  /**
   * Longest string, in UTF-16 code units, ever run through a `pattern` regex when the schema
   * gives no `maxLength`. Longer strings are rejected (rule `pattern`) without running the
   * regex, so a hostile input cannot buy unbounded backtracking time. Default 10_000.
   */
  maxPatternInputLength?: number;
  /**
   * Refuse to compile patterns with a quantified group that itself holds a quantifier
   * (`(a+)+`, `(\w*)*`, `(x{2,})+`): the shape behind most catastrophic backtracking. A refused
   * pattern is listed in `index.warnings` and not checked (the upstream still is). Default true.
   */
  refuseNestedQuantifiers?: boolean;
  /** Violations reported per field call at most; a huge list of bad items stops early. Default 20. */
  maxViolations?: number;
  /**
   * Query parameter names (compared lower-case, without `_` and `-`) that slice a list response,
   * for `deriveListSizes`. Default: limit, per_page, page_size, first, count, size.
   */
  slicingParameterNames?: ReadonlyArray<string>;
}

export const defaultOpenApiConstraintOptions = {
  maxPatternInputLength: 10_000,
  refuseNestedQuantifiers: true,
  maxViolations: 20,
  slicingParameterNames: ['limit', 'per_page', 'page_size', 'first', 'count', 'size'],
} satisfies Required<OpenApiConstraintOptions>;

export type NormalizedOpenApiConstraintOptions = Readonly<Required<OpenApiConstraintOptions>>;

const normalized = new WeakMap<object, NormalizedOpenApiConstraintOptions>();

function positiveInteger(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`openapi option "${key}" must be an integer >= 1`);
  }
  return value;
}

/** Fills defaults and refuses bad values with a TypeError naming the key. Memoised per object. */
export function normalizeOpenApiConstraintOptions(
  options: OpenApiConstraintOptions = {},
): NormalizedOpenApiConstraintOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('openapi options must be an object');
  const cached = normalized.get(options);
  if (cached) return cached;
  for (const key of Object.keys(options)) {
    if (!(key in defaultOpenApiConstraintOptions)) throw new TypeError(`openapi option "${key}" is unknown`);
  }
  const d = defaultOpenApiConstraintOptions;
  const names = options.slicingParameterNames ?? d.slicingParameterNames;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.length === 0)) {
    throw new TypeError('openapi option "slicingParameterNames" must be an array of non-empty strings');
  }
  const refuse = options.refuseNestedQuantifiers ?? d.refuseNestedQuantifiers;
  if (typeof refuse !== 'boolean') throw new TypeError('openapi option "refuseNestedQuantifiers" must be a boolean');
  const result: NormalizedOpenApiConstraintOptions = Object.freeze({
    maxPatternInputLength: positiveInteger('maxPatternInputLength', options.maxPatternInputLength ?? d.maxPatternInputLength),
    refuseNestedQuantifiers: refuse,
    maxViolations: positiveInteger('maxViolations', options.maxViolations ?? d.maxViolations),
    slicingParameterNames: Object.freeze([...names]),
  });
  normalized.set(options, result);
  return result;
}
