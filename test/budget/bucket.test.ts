import { describe, expect, it } from 'vitest';
import { chargeBucket, chargeCost, refill, refundAmount, refundBucket, type BucketState } from '../../src/budget/bucket';

const limits = { capacity: 100, restoreRatePerSecond: 10 };
const at = (tokens: number, updatedAtMs = 0): BucketState => ({ tokens, updatedAtMs });

describe('refill', () => {
  it.each([
    { name: 'missing bucket is full', state: undefined, nowMs: 5, expected: at(100, 5) },
    { name: '1 s adds the rate', state: at(0), nowMs: 1000, expected: at(10, 1000) },
    { name: 'fractional refill', state: at(0), nowMs: 150, expected: at(1.5, 150) },
    { name: 'never above capacity', state: at(95), nowMs: 10_000, expected: at(100, 10_000) },
    { name: 'clock behind: nothing added, time kept', state: at(20, 5000), nowMs: 4000, expected: at(20, 5000) },
  ])('$name', ({ state, nowMs, expected }) => {
    expect(refill(state, limits, nowMs)).toEqual(expected);
  });
});

describe('chargeBucket', () => {
  it.each([
    { name: 'fits', state: at(50), cost: 20, allowed: true, remaining: 30, retryAfterMs: 0, resetMs: 7000, exceeds: false },
    { name: 'exactly fits', state: at(20), cost: 20, allowed: true, remaining: 0, retryAfterMs: 0, resetMs: 10_000, exceeds: false },
    { name: 'short by 5 at 10/s', state: at(15), cost: 20, allowed: false, remaining: 15, retryAfterMs: 500, resetMs: 8500, exceeds: false },
    { name: 'retry rounds up', state: at(19.9999), cost: 20, allowed: false, remaining: 19.9999, retryAfterMs: 1, resetMs: 8001, exceeds: false },
    { name: 'larger than capacity', state: at(40), cost: 101, allowed: false, remaining: 40, retryAfterMs: 6000, resetMs: 6000, exceeds: true },
    { name: 'new client', state: undefined, cost: 100, allowed: true, remaining: 0, retryAfterMs: 0, resetMs: 10_000, exceeds: false },
  ])('$name', ({ state, cost, allowed, remaining, retryAfterMs, resetMs, exceeds }) => {
    const r = chargeBucket(state, cost, limits, 0);
    expect(r).toMatchObject({ allowed, remaining, retryAfterMs, resetMs, exceedsCapacity: exceeds });
    expect(r.state.tokens).toBe(remaining);
  });
});

describe('refunds', () => {
  it.each([
    { name: 'adds back', state: at(30), amount: 20, tokens: 50 },
    { name: 'capped at capacity', state: at(90), amount: 50, tokens: 100 },
    { name: 'negative ignored', state: at(30), amount: -10, tokens: 30 },
    { name: 'NaN ignored', state: at(30), amount: Number.NaN, tokens: 30 },
  ])('refundBucket: $name', ({ state, amount, tokens }) => {
    expect(refundBucket(state, amount, limits, 0).tokens).toBe(tokens);
  });

  it.each([
    { charged: 50, actual: 20, minCost: 1, refund: 30 },
    { charged: 50, actual: 80, minCost: 1, refund: 0 },
    { charged: 50, actual: 0, minCost: 1, refund: 49 },
    { charged: 5, actual: 0, minCost: 5, refund: 0 },
  ])('refundAmount($charged, $actual, min $minCost) = $refund', ({ charged, actual, minCost, refund }) => {
    expect(refundAmount(charged, actual, minCost)).toBe(refund);
  });

  it.each([
    { estimate: 0, minCost: 1, cost: 1 },
    { estimate: 7, minCost: 1, cost: 7 },
    { estimate: -3, minCost: 2, cost: 2 },
    { estimate: Number.NaN, minCost: 1, cost: 1 },
  ])('chargeCost($estimate, min $minCost) = $cost', ({ estimate, minCost, cost }) => {
    expect(chargeCost(estimate, minCost)).toBe(cost);
  });
});
