import { describe, expect, it } from 'vitest';
import { createBudget } from '../../src/budget/budget';
import { defaultBudgetOptions, normalizeBudgetOptions, tierLimitsFor, type BudgetOptions } from '../../src/budget/options';
import { createMemoryStore } from '../../src/store/memory-store';

describe('budget options', () => {
  it('defaults', () => {
    expect(normalizeBudgetOptions()).toEqual(defaultBudgetOptions);
  });

  it.each<{ tier: string | undefined; name: string; capacity: number }>([
    { tier: 'pro', name: 'pro', capacity: 10_000 },
    { tier: 'free', name: 'free', capacity: 1000 },
    { tier: 'platinum', name: 'anonymous', capacity: 100 },
    { tier: undefined, name: 'anonymous', capacity: 100 },
    { tier: 'constructor', name: 'anonymous', capacity: 100 },
  ])('tier $tier -> $name', ({ tier, name, capacity }) => {
    const r = tierLimitsFor(normalizeBudgetOptions(), tier);
    expect(r.tier).toBe(name);
    expect(r.limits.capacity).toBe(capacity);
  });

  it.each<[string, BudgetOptions]>([
    ['budget.tiers.x.capacity', { tiers: { x: { capacity: 0, restoreRatePerSecond: 1 } }, defaultTier: 'x' }],
    ['budget.tiers.x.restoreRatePerSecond', { tiers: { x: { capacity: 1, restoreRatePerSecond: Number.NaN } }, defaultTier: 'x' }],
    ['budget.defaultTier', { defaultTier: 'gold' }],
    ['budget.minCost', { minCost: -1 }],
  ])('refuses a bad %s with a TypeError naming it', (key, options) => {
    expect(() => normalizeBudgetOptions(options)).toThrow(TypeError);
    expect(() => normalizeBudgetOptions(options)).toThrow(key);
  });
});

describe('createBudget', () => {
  it('charges the estimate by tier and refunds down to the actual cost', async () => {
    const store = createMemoryStore();
    const budget = createBudget(store, normalizeBudgetOptions({ minCost: 2 }));
    const charge = await budget.charge({ clientId: 'c', tier: 'unknown' }, 40, 0);
    expect(charge).toMatchObject({ tier: 'anonymous', allowed: true, charged: 40, remaining: 60, capacity: 100 });
    expect(await budget.settle('c', charge.charged, 10, 0)).toMatchObject({ remaining: 90 });
    expect(await budget.settle('c', 2, 0, 0)).toBeUndefined();
    expect((await store.getClient('c', 0))?.totalCost).toBe(10);
  });
});
