import type { GatewayErrorCode } from '../errors';

/** enforce: reject over the limit; measure: compute and report only; off: skip. */
export type LimitMode = 'enforce' | 'measure' | 'off';

export type LimitName = 'depth' | 'aliases' | 'rootFields' | 'directives' | 'tokens' | 'documentBytes' | 'batch' | 'cost';

export interface LimitsOptions {
  /** Deepest field nesting, counted as graphql-depth-limit counts ({ a { b } } is 1). Default 10. */
  maxDepth?: number;
  /** Aliased fields in the operation, fragments expanded. Default 30. */
  maxAliases?: number;
  /** Fields at the operation's root, fragments expanded. Default 20. */
  maxRootFields?: number;
  /** Directive usages in the operation, fragments expanded. Default 50. */
  maxDirectives?: number;
  /** Lexical tokens in the document, checked while parsing. Default 2000. */
  maxTokens?: number;
  /** Size of the document text in UTF-8 bytes. Default 100_000. */
  maxDocumentBytes?: number;
  /** Operations in one batched HTTP request. Default 10. */
  maxBatch?: number;
  /** Largest estimated cost of one operation (units of the cost model). Default 5000. */
  maxCost?: number;
  /** Mode of every limit without its own entry in `modes`. Default 'enforce'. */
  mode?: LimitMode;
  /** Mode per limit, e.g. { cost: 'measure' } while tuning. Default {}. */
  modes?: Partial<Record<LimitName, LimitMode>>;
  /** Put limit and actual values in error extensions. Default false: clients learn only the code. */
  exposeLimits?: boolean;
}

export const defaultLimitsOptions = {
  maxDepth: 10,
  maxAliases: 30,
  maxRootFields: 20,
  maxDirectives: 50,
  maxTokens: 2000,
  maxDocumentBytes: 100_000,
  maxBatch: 10,
  maxCost: 5000,
  mode: 'enforce',
  modes: {},
  exposeLimits: false,
} satisfies Required<LimitsOptions>;

export type NormalizedLimitsOptions = Readonly<Required<LimitsOptions>>;

/** Error code and option key per limit. */
export const limitTable: Readonly<Record<LimitName, { code: GatewayErrorCode; key: keyof LimitsOptions; what: string }>> = {
  depth: { code: 'MAX_DEPTH_LIMIT', key: 'maxDepth', what: 'Query depth' },
  aliases: { code: 'MAX_ALIASES_LIMIT', key: 'maxAliases', what: 'Aliases' },
  rootFields: { code: 'MAX_ROOT_FIELDS_LIMIT', key: 'maxRootFields', what: 'Root fields' },
  directives: { code: 'MAX_DIRECTIVES_LIMIT', key: 'maxDirectives', what: 'Directives' },
  tokens: { code: 'MAX_TOKENS_LIMIT', key: 'maxTokens', what: 'Tokens' },
  documentBytes: { code: 'REQUEST_TOO_LARGE', key: 'maxDocumentBytes', what: 'Document size' },
  batch: { code: 'MAX_BATCH_LIMIT', key: 'maxBatch', what: 'Batch size' },
  cost: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', key: 'maxCost', what: 'Estimated cost' },
};

const MODES: ReadonlyArray<LimitMode> = ['enforce', 'measure', 'off'];
const normalized = new WeakMap<object, NormalizedLimitsOptions>();

/** Fills defaults and refuses bad values with a TypeError naming the key. Memoised per object. */
export function normalizeLimitsOptions(options: LimitsOptions = {}): NormalizedLimitsOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('limits options must be an object');
  const cached = normalized.get(options);
  if (cached) return cached;
  const merged: Record<string, unknown> = { ...defaultLimitsOptions };
  for (const [key, value] of Object.entries(options)) {
    if (!(key in defaultLimitsOptions)) throw new TypeError(`limits option "${key}" is unknown`);
    if (value !== undefined) merged[key] = value;
  }
  for (const { key } of Object.values(limitTable)) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new TypeError(`limits option "${key}" must be an integer >= 0`);
    }
  }
  if (!MODES.includes(merged.mode as LimitMode)) throw new TypeError('limits option "mode" must be enforce, measure or off');
  const modes = merged.modes;
  if (typeof modes !== 'object' || modes === null || Array.isArray(modes)) throw new TypeError('limits option "modes" must be an object');
  for (const [name, mode] of Object.entries(modes)) {
    if (!(name in limitTable)) throw new TypeError(`limits option "modes.${name}" names no limit`);
    if (!MODES.includes(mode as LimitMode)) throw new TypeError(`limits option "modes.${name}" must be enforce, measure or off`);
  }
  if (typeof merged.exposeLimits !== 'boolean') throw new TypeError('limits option "exposeLimits" must be a boolean');
  const result = Object.freeze(merged) as unknown as NormalizedLimitsOptions;
  normalized.set(options, result);
  normalized.set(result, result);
  return result;
}

export function modeOf(options: NormalizedLimitsOptions, name: LimitName): LimitMode {
  return options.modes[name] ?? options.mode;
}
