import { describe, expect, it } from 'vitest';
import { normalizeOverride, resolveLimits, type BudgetOverride } from '../../src/budget/resolve-limits';

const tier = { capacity: 1000, restoreRatePerSecond: 50 };

describe('resolveLimits', () => {
  it.each<{ name: string; m: number; o?: BudgetOverride; cap: number; rate: number; mult: number; overridden: boolean }>([
    { name: 'tier alone', m: 1, cap: 1000, rate: 50, mult: 1, overridden: false },
    { name: 'tier x feedback multiplier', m: 0.5, cap: 500, rate: 25, mult: 0.5, overridden: false },
    { name: 'absolute capacity, rate still scaled', m: 0.5, o: { capacity: 300 }, cap: 300, rate: 25, mult: 0.5, overridden: true },
    { name: 'absolute rate', m: 0.5, o: { restoreRatePerSecond: 7 }, cap: 500, rate: 7, mult: 0.5, overridden: true },
    { name: 'pinned multiplier replaces feedback', m: 0.05, o: { multiplier: 2 }, cap: 2000, rate: 100, mult: 2, overridden: true },
    { name: 'absolute values beat the pin', m: 0.05, o: { multiplier: 2, capacity: 10, restoreRatePerSecond: 1 }, cap: 10, rate: 1, mult: 2, overridden: true },
    { name: 'expired override ignored', m: 0.5, o: { capacity: 9, expiresAtMs: 100 }, cap: 500, rate: 25, mult: 0.5, overridden: false },
    { name: 'override before expiry', m: 0.5, o: { capacity: 9, expiresAtMs: 101 }, cap: 9, rate: 25, mult: 0.5, overridden: true },
  ])('$name', ({ m, o, cap, rate, mult, overridden }) => {
    expect(resolveLimits(tier, m, o, 100)).toEqual({ capacity: cap, restoreRatePerSecond: rate, multiplier: mult, overridden });
  });
});

describe('normalizeOverride', () => {
  it('keeps known keys', () => {
    expect(normalizeOverride({ capacity: 5, multiplier: 0.1, expiresAtMs: 9, actor: 'ops', reason: 'incident' })).toEqual({
      capacity: 5,
      multiplier: 0.1,
      expiresAtMs: 9,
      actor: 'ops',
      reason: 'incident',
    });
  });
  it.each([null, [], { capacity: 0 }, { restoreRatePerSecond: -1 }, { multiplier: Number.POSITIVE_INFINITY }, { expiresAtMs: '1' }, { actor: 3 }, { cap: 1 }])(
    'refuses %j',
    (input) => {
      expect(() => normalizeOverride(input)).toThrow(TypeError);
    },
  );
});
