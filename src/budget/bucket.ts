/**
 * Token-bucket arithmetic, pure: time comes in as `nowMs`, state goes in and comes out.
 * The Redis store runs the same steps in Lua (src/store/redis-scripts.ts); keep both in step,
 * the store contract suite checks that they agree.
 */

/** What a store keeps per client for the bucket. */
export interface BucketState {
  /** Cost points available at `updatedAtMs` (may be fractional: refill is continuous). */
  tokens: number;
  /** When `tokens` was last brought up to date, in epoch ms. */
  updatedAtMs: number;
}

/** Effective size and speed of one client's bucket (after tier, multiplier and override). */
export interface BucketLimits {
  capacity: number;
  restoreRatePerSecond: number;
}

export interface BucketCharge {
  state: BucketState;
  allowed: boolean;
  /** Points left after this charge (or unchanged when refused). */
  remaining: number;
  /** 0 when allowed; else ms until `cost` would fit, or until full when it never can. */
  retryAfterMs: number;
  /** ms until the bucket is full again. */
  resetMs: number;
  /** The cost is larger than the whole bucket: waiting will not help. */
  exceedsCapacity: boolean;
}

/** A missing bucket is a full one: new and long-idle clients start with everything. */
export function fullBucket(limits: BucketLimits, nowMs: number): BucketState {
  return { tokens: limits.capacity, updatedAtMs: nowMs };
}

/**
 * Brings the bucket up to `nowMs`. A clock that goes backwards (another instance slightly
 * behind) refills nothing and never moves `updatedAtMs` back, so no time is counted twice.
 */
export function refill(state: BucketState | undefined, limits: BucketLimits, nowMs: number): BucketState {
  if (state === undefined) return fullBucket(limits, nowMs);
  const elapsedMs = Math.max(0, nowMs - state.updatedAtMs);
  const tokens = Math.min(limits.capacity, state.tokens + (elapsedMs * limits.restoreRatePerSecond) / 1000);
  return { tokens, updatedAtMs: Math.max(nowMs, state.updatedAtMs) };
}

/** ms until `tokens` reaches `target` at the restore rate (0 when already there). */
export function msUntil(tokens: number, target: number, restoreRatePerSecond: number): number {
  if (tokens >= target) return 0;
  return Math.ceil(((target - tokens) * 1000) / restoreRatePerSecond);
}

/** Takes `cost` points if they are all there; all or nothing. */
export function chargeBucket(
  state: BucketState | undefined,
  cost: number,
  limits: BucketLimits,
  nowMs: number,
): BucketCharge {
  const current = refill(state, limits, nowMs);
  const exceedsCapacity = cost > limits.capacity;
  if (!exceedsCapacity && current.tokens >= cost) {
    const next = { tokens: current.tokens - cost, updatedAtMs: current.updatedAtMs };
    return {
      state: next,
      allowed: true,
      remaining: next.tokens,
      retryAfterMs: 0,
      resetMs: msUntil(next.tokens, limits.capacity, limits.restoreRatePerSecond),
      exceedsCapacity,
    };
  }
  const resetMs = msUntil(current.tokens, limits.capacity, limits.restoreRatePerSecond);
  return {
    state: current,
    allowed: false,
    remaining: current.tokens,
    retryAfterMs: exceedsCapacity ? resetMs : msUntil(current.tokens, cost, limits.restoreRatePerSecond),
    resetMs,
    exceedsCapacity,
  };
}

/** Gives back up to `amount` points; never negative, never above capacity. */
export function refundBucket(
  state: BucketState | undefined,
  amount: number,
  limits: BucketLimits,
  nowMs: number,
): BucketState {
  const current = refill(state, limits, nowMs);
  const give = Number.isFinite(amount) && amount > 0 ? amount : 0;
  return { tokens: Math.min(limits.capacity, current.tokens + give), updatedAtMs: current.updatedAtMs };
}

/** The cost actually charged for an estimate: never below `minCost`. */
export function chargeCost(estimate: number, minCost: number): number {
  return Number.isFinite(estimate) && estimate > minCost ? estimate : minCost;
}

/**
 * What to refund once the actual cost is known: estimate - actual, where the actual cost is
 * also floored at `minCost`; 0 when the operation cost more than it was charged.
 */
export function refundAmount(charged: number, actualCost: number, minCost: number): number {
  return Math.max(0, charged - chargeCost(actualCost, minCost));
}
