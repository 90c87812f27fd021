import type { BucketLimits } from './bucket';
import type { TierLimits } from './options';

/**
 * An operator's say over one client's budget. Absolute values win over tier x multiplier;
 * a pinned multiplier replaces the feedback multiplier and stops the feedback loop from
 * moving it while the override lasts.
 */
export interface BudgetOverride {
  /** Absolute capacity in cost points (not scaled by any multiplier). */
  capacity?: number;
  /** Absolute restore rate in points per second (not scaled by any multiplier). */
  restoreRatePerSecond?: number;
  /** Pinned multiplier applied to the tier values not given above. */
  multiplier?: number;
  /** The override stops applying at this epoch ms; absent = until removed. */
  expiresAtMs?: number;
  /** Who set it (operator id), for the audit trail. */
  actor?: string;
  /** Free text shown in the admin API. */
  reason?: string;
}

export interface EffectiveLimits extends BucketLimits {
  /** The multiplier that applied: the pinned one, else the feedback one. */
  multiplier: number;
  /** True when an unexpired override shaped these limits. */
  overridden: boolean;
}

/** An override that has not expired at `nowMs`, or undefined. */
export function activeOverride(override: BudgetOverride | undefined, nowMs: number): BudgetOverride | undefined {
  if (override === undefined) return undefined;
  if (override.expiresAtMs !== undefined && override.expiresAtMs <= nowMs) return undefined;
  return override;
}

/**
 * tier x multiplier, unless an override applies:
 *   multiplier = override.multiplier ?? feedbackMultiplier
 *   capacity   = override.capacity ?? tier.capacity * multiplier
 *   rate       = override.restoreRatePerSecond ?? tier.restoreRatePerSecond * multiplier
 * The Redis charge script computes exactly this; change both together.
 */
export function resolveLimits(
  tier: TierLimits,
  feedbackMultiplier: number,
  override: BudgetOverride | undefined,
  nowMs: number,
): EffectiveLimits {
  const active = activeOverride(override, nowMs);
  const multiplier = active?.multiplier ?? feedbackMultiplier;
  return {
    capacity: active?.capacity ?? tier.capacity * multiplier,
    restoreRatePerSecond: active?.restoreRatePerSecond ?? tier.restoreRatePerSecond * multiplier,
    multiplier,
    overridden: active !== undefined,
  };
}

/** Validates an override from the admin API; TypeError names the bad key. */
export function normalizeOverride(input: unknown): BudgetOverride {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('override must be an object');
  }
  const o = input as Record<string, unknown>;
  const known = new Set(['capacity', 'restoreRatePerSecond', 'multiplier', 'expiresAtMs', 'actor', 'reason']);
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new TypeError(`override.${key} is not a known key`);
  }
  const out: BudgetOverride = {};
  for (const key of ['capacity', 'restoreRatePerSecond', 'multiplier'] as const) {
    const value = o[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`override.${key} must be a finite number > 0`);
    }
    out[key] = value;
  }
  if (o.expiresAtMs !== undefined) {
    if (typeof o.expiresAtMs !== 'number' || !Number.isFinite(o.expiresAtMs)) {
      throw new TypeError('override.expiresAtMs must be epoch milliseconds');
    }
    out.expiresAtMs = o.expiresAtMs;
  }
  for (const key of ['actor', 'reason'] as const) {
    const value = o[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new TypeError(`override.${key} must be a string`);
    out[key] = value;
  }
  return out;
}
