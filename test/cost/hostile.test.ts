import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileCostPlan, computeActualCost } from '../../src/cost';
import { costSchema } from './fixtures';
import { aliasBomb, deepDocument, fanOutDocument } from './hostile';

// Each case must come back with a result or a clean error; the bench, not the test, measures speed.
describe('hostile documents against the cost analysis', () => {
  it('10,000-deep nesting gets MAX_DEPTH_LIMIT, not a stack overflow', () => {
    const document = deepDocument(10_000, 'friends', 'id');
    const wrapped = { ...document, definitions: [{ ...document.definitions[0] }] };
    const estimate = compileCostPlan(costSchema, wrapped).evaluate({});
    expect(estimate.errors.map((e) => e.extensions.code)).toEqual(['MAX_DEPTH_LIMIT']);
    expect(computeActualCost(compileCostPlan(costSchema, wrapped), {}, {})).toBe(0);
  });

  it('1,000 aliases of a fragment spread are priced once per alias', () => {
    const text = aliasBomb(1000, 'users(first: 2)', 'fragment X on User { friends(first: 3) { id } }');
    const estimate = compileCostPlan(costSchema, parse(text)).evaluate({});
    expect(estimate.errors).toEqual([]);
    expect(estimate.cost).toBe(1000 * 2 * (1 + 3));
  });

  it('a fragment cycle is an error', () => {
    const document = parse('{ users(first: 1) { ...A } } fragment A on User { friends(first: 1) { ...B } } fragment B on User { ...A }');
    const estimate = compileCostPlan(costSchema, document).evaluate({});
    expect(estimate.errors.map((e) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(Number.isFinite(estimate.cost)).toBe(false);
  });

  it('5,000 fragments each spreading the previous twice price to an unbounded cost', () => {
    const document = fanOutDocument(5000, 'User', 'users(first: 1)', 'friends(first: 2) { id }');
    const plan = compileCostPlan(costSchema, document);
    const estimate = plan.evaluate({});
    expect(estimate.errors).toEqual([]);
    expect(estimate.cost).toBe(Number.POSITIVE_INFINITY);
    // The response merges every spread into one field: the actual cost stays small.
    expect(computeActualCost(plan, {}, { users: [{ friends: [{ id: '1' }] }] })).toBe(2);
  });

  it('a small fan-out is exact', () => {
    const document = fanOutDocument(10, 'User', 'users(first: 1)', 'friends(first: 2) { id }');
    expect(compileCostPlan(costSchema, document).evaluate({}).cost).toBe(1 * (1 + 2 ** 9 * 2));
  });
});
