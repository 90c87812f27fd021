/** A bucket's size and refill speed before the feedback multiplier and overrides. */
export interface TierLimits {
  /** Most cost points the bucket holds (and the largest single charge that can ever fit). */
  capacity: number;
  /** Cost points restored per second, up to `capacity`. */
  restoreRatePerSecond: number;
}

export interface BudgetOptions {
  /**
   * Budget per tier, keyed by the tier claim's value.
   * Default: anonymous {100, 10/s}, free {1000, 50/s}, pro {10000, 500/s}.
   */
  tiers?: Record<string, TierLimits>;
  /**
   * Tier used when the principal names no tier, or one missing from `tiers`; must be a key
   * of `tiers`. Default 'anonymous', so an unknown tier never gets more than the least trusted.
   */
  defaultTier?: string;
  /**
   * Least cost points any operation is charged, even when its estimate or actual cost is 0,
   * so that free-looking operations still pay for the request itself. Default 1.
   */
  minCost?: number;
}

export const defaultBudgetOptions = {
  tiers: {
    anonymous: { capacity: 100, restoreRatePerSecond: 10 },
    free: { capacity: 1000, restoreRatePerSecond: 50 },
    pro: { capacity: 10_000, restoreRatePerSecond: 500 },
  },
  defaultTier: 'anonymous',
  minCost: 1,
} satisfies Required<BudgetOptions>;

export type NormalizedBudgetOptions = Readonly<Required<BudgetOptions>>;

/** Fills defaults and refuses bad values with a TypeError naming the key; run once at start-up. */
export function normalizeBudgetOptions(options: BudgetOptions = {}): NormalizedBudgetOptions {
  const tiersIn = options.tiers ?? defaultBudgetOptions.tiers;
  if (typeof tiersIn !== 'object' || tiersIn === null || Array.isArray(tiersIn)) {
    throw new TypeError('budget.tiers must be an object of { capacity, restoreRatePerSecond } per tier');
  }
  const tiers: Record<string, TierLimits> = {};
  for (const [name, limits] of Object.entries(tiersIn)) {
    tiers[name] = checkTierLimits(limits, `budget.tiers.${name}`);
  }
  const defaultTier = options.defaultTier ?? defaultBudgetOptions.defaultTier;
  if (typeof defaultTier !== 'string' || !(defaultTier in tiers)) {
    throw new TypeError(`budget.defaultTier must name one of budget.tiers (${Object.keys(tiers).join(', ')})`);
  }
  const minCost = options.minCost ?? defaultBudgetOptions.minCost;
  if (typeof minCost !== 'number' || !Number.isFinite(minCost) || minCost < 0) {
    throw new TypeError('budget.minCost must be a finite number >= 0');
  }
  return Object.freeze({ tiers: Object.freeze(tiers), defaultTier, minCost });
}

/** Validates one { capacity, restoreRatePerSecond } pair; `key` names it in the error. */
export function checkTierLimits(limits: unknown, key: string): TierLimits {
  const l = limits as Partial<TierLimits> | null;
  if (typeof l !== 'object' || l === null) throw new TypeError(`${key} must be { capacity, restoreRatePerSecond }`);
  if (!isPositive(l.capacity)) throw new TypeError(`${key}.capacity must be a finite number > 0`);
  if (!isPositive(l.restoreRatePerSecond)) throw new TypeError(`${key}.restoreRatePerSecond must be a finite number > 0`);
  return Object.freeze({ capacity: l.capacity, restoreRatePerSecond: l.restoreRatePerSecond });
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** The tier limits for a principal's tier claim; unknown or missing tiers get `defaultTier`. */
export function tierLimitsFor(
  options: NormalizedBudgetOptions,
  tier: string | undefined,
): { tier: string; limits: TierLimits } {
  const name = tier !== undefined && Object.hasOwn(options.tiers, tier) ? tier : options.defaultTier;
  return { tier: name, limits: options.tiers[name] };
}

/**
 * The tier claim that picks a principal's budget: anonymous clients never pick their own, and
 * an unknown or missing tier falls to `defaultTier` (see `tierLimitsFor`).
 */
export function tierClaimOf(principal: { anonymous: boolean; tier?: string }): string | undefined {
  return principal.anonymous ? 'anonymous' : principal.tier;
}
