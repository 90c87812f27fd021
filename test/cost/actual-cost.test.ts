import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileCostPlan, computeActualCost } from '../../src/cost';
import { costSchema } from './fixtures';

describe('actual cost from the response', () => {
  it('counts the real list lengths', () => {
    const plan = compileCostPlan(costSchema, parse('{ users(first: 10) { name friends(first: 10) { id } } }'));
    expect(plan.evaluate({}).cost).toBe(10 * (1 + 10));
    const data = { users: [{ name: 'a', friends: [{ id: '1' }, { id: '2' }] }, { name: 'b', friends: [] }] };
    expect(computeActualCost(plan, {}, data)).toBe(2 + 2);
  });

  it('null objects cost nothing; mutations add their weight', () => {
    const plan = compileCostPlan(costSchema, parse('mutation { addUser(name: "a") { id } }'));
    expect(computeActualCost(plan, {}, { addUser: null })).toBe(10);
    expect(computeActualCost(plan, {}, { addUser: { id: '1' } })).toBe(11);
  });

  it('prices an abstract object by its __typename', () => {
    const document = parse('{ node { __typename ... on Post { author { id } } ... on User { friends(first: 5) { id } } } }');
    const plan = compileCostPlan(costSchema, document);
    expect(computeActualCost(plan, {}, { node: { __typename: 'Post', author: { id: '1' } } })).toBe(2);
    expect(computeActualCost({ schema: costSchema, document }, {}, { node: { __typename: 'User', friends: [{ id: '1' }] } })).toBe(2);
  });

  it('merges a fragment spread many times into one set of fields', () => {
    const spreads = Array.from({ length: 100 }, () => '...F').join(' ');
    const plan = compileCostPlan(costSchema, parse(`{ users(first: 3) { ${spreads} } } fragment F on User { friends(first: 2) { id } }`));
    expect(computeActualCost(plan, {}, { users: [{ friends: [{ id: '1' }] }] })).toBe(1 + 1);
  });

  it('counts aliases as the separate fields they are', () => {
    const plan = compileCostPlan(costSchema, parse('{ a: heavyUser { id } b: heavyUser { id } }'));
    expect(computeActualCost(plan, {}, { a: { id: '1' }, b: { id: '2' } })).toBe(8);
  });
});
