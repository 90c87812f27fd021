import { describe, expect, it } from 'vitest';
import { createCostSeriesStore } from '../../src/admin/cost-series';
import { HeavyHitters } from '../../src/metrics';

describe('createCostSeriesStore', () => {
  const make = () => createCostSeriesStore({ slotMs: 1000, slots: 4, maxClients: 2 });

  it.each([
    ['sums samples per slot', [[0, 1], [500, 2], [1500, 4]], 1999, { startMs: -2000, costs: [0, 0, 3, 4] }],
    ['drops samples older than the window', [[10_000, 1], [5000, 9]], 10_000, { startMs: 7000, costs: [0, 0, 0, 1] }],
    ['clears slots skipped by a long gap', [[0, 5], [1000, 5], [9000, 2]], 9000, { startMs: 6000, costs: [0, 0, 0, 2] }],
    ['slides the window to now when quiet', [[0, 5]], 2000, { startMs: -1000, costs: [0, 5, 0, 0] }],
    ['ignores zero, negative and non-finite costs', [[0, 0], [0, -1], [0, Number.NaN], [0, 2]], 0, { startMs: -3000, costs: [0, 0, 0, 2] }],
  ] as const)('%s', (_name, samples, nowMs, expected) => {
    const series = make();
    for (const [atMs, cost] of samples) series.record('a', cost, atMs);
    expect(series.read('a', nowMs)).toEqual({ slotMs: 1000, ...expected });
  });

  it('forgets the least recently sampled client beyond maxClients', () => {
    const series = make();
    series.record('a', 1, 0);
    series.record('b', 1, 0);
    series.record('c', 1, 0);
    expect(series.read('a', 0)).toBeUndefined();
    expect(series.read('c', 0)?.costs).toEqual([0, 0, 0, 1]);
  });
});

describe('HeavyHitters', () => {
  it('keeps a key heavier than total / capacity in a fixed number of slots', () => {
    const hitters = new HeavyHitters(3);
    for (let i = 0; i < 500; i++) hitters.add(`light-${i}`, 1);
    hitters.add('heavy', 600);
    for (let i = 500; i < 1000; i++) hitters.add(`light-${i}`, 1);
    expect(hitters.size).toBe(3);
    expect(hitters.estimate('heavy')).toBeGreaterThanOrEqual(600);
  });

  it('reports the displaced key', () => {
    const hitters = new HeavyHitters(2);
    expect(hitters.add('a', 5)).toBeUndefined();
    expect(hitters.add('b', 1)).toBeUndefined();
    expect(hitters.add('c', 1)).toBe('b');
    expect(hitters.estimate('c')).toBe(2);
    expect(hitters.estimate('a')).toBe(5);
  });
});
