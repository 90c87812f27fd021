/**
 * Options of the static cost analysis (IBM cost directive specification).
 * Every field survives being written as JSON; defaults are documented next to each field.
 */

/** Directive values given in configuration instead of SDL, e.g. for REST-derived fields. */
export interface CostDirectiveOverride {
  /** Same meaning as `@cost(weight:)`. */
  weight?: number;
  /** Same meaning as `@listSize(...)`. */
  listSize?: ListSizeOverride;
}

export interface ListSizeOverride {
  assumedSize?: number;
  /** Argument names; dotted paths reach into input objects ("input.first"). */
  slicingArguments?: string[];
  sizedFields?: string[];
  /** Default true, as in the directive definition. */
  requireOneSlicingArgument?: boolean;
}

export type CostModelName = 'default' | 'github' | 'shopify' | (string & {});

export interface CostOptions {
  /** Weight of a selection of an object, interface or union type without `@cost`. Default 1. */
  objectWeight?: number;
  /** Weight of a scalar field without `@cost`. Default 0. */
  scalarWeight?: number;
  /** Weight of an enum field without `@cost`. Default 0. */
  enumWeight?: number;
  /** Added once to the cost of a mutation operation. Default 10. */
  mutationWeight?: number;
  /** Added once to the cost of a subscription operation. Default 0. */
  subscriptionWeight?: number;
  /**
   * Items assumed in a list when neither a slicing argument nor `assumedSize` says.
   * Default 10 (the value the IBM specification's examples and most gateways use).
   */
  defaultListSize?: number;
  /**
   * Directive values by schema coordinate: "Type", "Type.field", "Type.field(arg:)",
   * "Input.field". They win over the schema's own directives. Default {}.
   */
  overrides?: Record<string, CostDirectiveOverride>;
  /** Names read as `@cost` (a composed supergraph may rename it). Default ["cost", "federation__cost"]. */
  costDirectiveNames?: string[];
  /** Names read as `@listSize`. Default ["listSize", "federation__listSize"]. */
  listSizeDirectiveNames?: string[];
  /** Cost model by name: "default", "github", "shopify" or one registered. Default "default". */
  model?: CostModelName;
  /**
   * Deepest selection nesting the analysis walks; deeper documents get one MAX_DEPTH_LIMIT error
   * instead of a walk that could exhaust the stack. Default 200 (levels of nested fields).
   */
  maxAnalysisDepth?: number;
}

export const defaultCostOptions = {
  objectWeight: 1,
  scalarWeight: 0,
  enumWeight: 0,
  mutationWeight: 10,
  subscriptionWeight: 0,
  defaultListSize: 10,
  overrides: {},
  costDirectiveNames: ['cost', 'federation__cost'],
  listSizeDirectiveNames: ['listSize', 'federation__listSize'],
  model: 'default',
  maxAnalysisDepth: 200,
} satisfies Required<CostOptions>;

export type NormalizedCostOptions = Readonly<Required<CostOptions>> & {
  /** Fingerprint of the options the schema index depends on: equal options share one index. */
  readonly indexKey: string;
};

const EMPTY: CostOptions = Object.freeze({});

const normalized = new WeakMap<object, NormalizedCostOptions>();

function nonNegative(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`cost option "${key}" must be a finite number >= 0`);
  }
  return value;
}

function names(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string' || name === '')) {
    throw new TypeError(`cost option "${key}" must be an array of directive names`);
  }
  return [...value];
}

function checkOverride(coordinate: string, value: unknown): void {
  const where = `overrides["${coordinate}"]`;
  if (typeof value !== 'object' || value === null) throw new TypeError(`cost option "${where}" must be an object`);
  const { weight, listSize } = value as CostDirectiveOverride;
  if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight))) {
    throw new TypeError(`cost option "${where}.weight" must be a finite number`);
  }
  if (listSize === undefined) return;
  if (typeof listSize !== 'object' || listSize === null) {
    throw new TypeError(`cost option "${where}.listSize" must be an object`);
  }
  if (listSize.assumedSize !== undefined) nonNegative(listSize.assumedSize, `${where}.listSize.assumedSize`);
  for (const key of ['slicingArguments', 'sizedFields'] as const) {
    const list = listSize[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s === ''))) {
      throw new TypeError(`cost option "${where}.listSize.${key}" must be an array of names`);
    }
  }
  const require = listSize.requireOneSlicingArgument;
  if (require !== undefined && typeof require !== 'boolean') {
    throw new TypeError(`cost option "${where}.listSize.requireOneSlicingArgument" must be a boolean`);
  }
}

/** Fills defaults and refuses bad values with a TypeError naming the key. Memoised per object. */
export function normalizeCostOptions(options: CostOptions = EMPTY): NormalizedCostOptions {
  const cached = normalized.get(options);
  if (cached) return cached;
  if (typeof options !== 'object' || options === null) throw new TypeError('cost options must be an object');
  const merged = { ...defaultCostOptions, ...stripUndefined(options) };
  const fields = {
    objectWeight: nonNegative(merged.objectWeight, 'objectWeight'),
    scalarWeight: nonNegative(merged.scalarWeight, 'scalarWeight'),
    enumWeight: nonNegative(merged.enumWeight, 'enumWeight'),
    mutationWeight: nonNegative(merged.mutationWeight, 'mutationWeight'),
    subscriptionWeight: nonNegative(merged.subscriptionWeight, 'subscriptionWeight'),
    defaultListSize: nonNegative(merged.defaultListSize, 'defaultListSize'),
    overrides: checkOverrides(merged.overrides),
    costDirectiveNames: names(merged.costDirectiveNames, 'costDirectiveNames'),
    listSizeDirectiveNames: names(merged.listSizeDirectiveNames, 'listSizeDirectiveNames'),
    model: checkModel(merged.model),
    maxAnalysisDepth: checkDepth(merged.maxAnalysisDepth),
  };
  const indexKey = JSON.stringify([
    fields.objectWeight, fields.scalarWeight, fields.enumWeight, fields.overrides,
    fields.costDirectiveNames, fields.listSizeDirectiveNames,
  ]);
  const result: NormalizedCostOptions = Object.freeze({ ...fields, indexKey });
  normalized.set(options, result);
  normalized.set(result, result);
  return result;
}

function checkOverrides(value: unknown): Record<string, CostDirectiveOverride> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('cost option "overrides" must be an object keyed by schema coordinate');
  }
  for (const [coordinate, override] of Object.entries(value)) checkOverride(coordinate, override);
  return value as Record<string, CostDirectiveOverride>;
}

function checkModel(value: unknown): CostModelName {
  if (typeof value !== 'string' || value === '') throw new TypeError('cost option "model" must be a model name');
  return value;
}

function checkDepth(value: unknown): number {
  // Above a few thousand frames the walk itself could overflow the stack, which this guards against.
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 2000) {
    throw new TypeError('cost option "maxAnalysisDepth" must be an integer from 1 to 2000');
  }
  return value as number;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
