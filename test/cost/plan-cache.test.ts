import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileCostPlan, createCostPlanCache, LruCache, registerCostModel } from '../../src/cost';
import { costSchema } from './fixtures';

describe('cost plan and cache', () => {
  it('one compiled plan prices each request with its own variables', () => {
    const plan = compileCostPlan(costSchema, parse('query($n: Int) { strict(first: $n) { friends(first: $n) { id } } }'));
    expect(plan.evaluate({ n: 2 }).cost).toBe(2 * (1 + 2));
    expect(plan.evaluate({ n: 10 }).cost).toBe(10 * (1 + 10));
    expect(plan.evaluate({ n: 10_000 }).cost).toBe(10_000 * (1 + 10_000));
    // No value: both strict and friends miss their one slicing argument.
    expect(plan.evaluate({}).errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });

  it('the cache returns the same plan for the same text and operation, and re-prices variables', () => {
    const cache = createCostPlanCache(costSchema);
    const text = 'query Q($n: Int) { users(first: $n) { name } }';
    let parses = 0;
    const document = () => {
      parses++;
      return parse(text);
    };
    const first = cache.get(text, 'Q', document);
    const second = cache.get(text, 'Q', document);
    expect(second).toBe(first);
    expect(parses).toBe(1);
    expect(second.evaluate({ n: 1 }).cost).toBe(1);
    expect(second.evaluate({ n: 500 }).cost).toBe(500);
    expect(cache.get(text, null, document)).not.toBe(first);
  });

  it('the LRU forgets the least recently used entry', () => {
    const lru = new LruCache<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.size).toBe(2);
    expect(() => new LruCache(0)).toThrow(TypeError);
  });

  it('operators can register their own model', () => {
    registerCostModel('fields', (operation) => ({ cost: operation.root.items.length, errors: [] }));
    const plan = compileCostPlan(costSchema, parse('{ tags color expensive }'), null, { model: 'fields' });
    expect(plan.evaluate({}).cost).toBe(3);
  });
});
