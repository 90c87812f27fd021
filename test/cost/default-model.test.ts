import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileCostPlan, type CostOptions } from '../../src/cost';
import { costSchema } from './fixtures';

interface Row {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  options?: CostOptions;
  cost: number;
}

// Worked examples in the manner of the IBM cost specification: each line states the arithmetic.
const rows: Row[] = [
  { name: 'list sized by a literal slicing argument: 5 x User(1)', query: '{ users(first: 5) { name } }', cost: 5 },
  { name: 'largest of several slicing arguments', query: '{ users(first: 5, last: 8) { name } }', cost: 8 },
  { name: 'slicing argument from a variable', query: 'query($n: Int) { users(first: $n) { name } }', variables: { n: 3 }, cost: 3 },
  { name: 'slicing argument from a variable default', query: 'query($n: Int = 4) { users(first: $n) { name } }', cost: 4 },
  { name: 'slicing argument from the schema default', query: '{ usersDefault { name } }', cost: 7 },
  { name: 'dotted slicing path, literal', query: '{ search(input: { first: 6 }) { name } }', cost: 6 },
  { name: 'dotted slicing path, variable', query: 'query($i: SearchInput) { search(input: $i) { name } }', variables: { i: { first: 2 } }, cost: 2 },
  { name: 'dotted slicing path, input field default', query: '{ search(input: { term: "x" }) { name } }', cost: 5 },
  { name: 'sizedFields: conn 1 + edges 4 x (edge 1 + node 1) + pageInfo 1', query: '{ conn(first: 4) { edges { node { name } } pageInfo { hasNextPage } } }', cost: 10 },
  { name: 'slicing argument wins over assumedSize', query: '{ both(first: 2) { name } }', cost: 2 },
  { name: 'assumedSize without slicing argument', query: '{ both { name } }', cost: 3 },
  { name: 'assumedSize', query: '{ assumed { name } }', cost: 3 },
  { name: 'default list size', query: '{ unsized { name } }', cost: 10 },
  { name: 'configured default list size', query: '{ unsized { name } }', options: { defaultListSize: 20 }, cost: 20 },
  { name: 'list of scalars weighs 0', query: '{ tags }', cost: 0 },
  { name: '@cost on a field', query: '{ expensive }', cost: 5 },
  { name: '@cost on an object type', query: '{ heavyUser { id } }', cost: 4 },
  { name: '@cost on a type extension (supergraph style)', query: '{ thing { id } }', cost: 7 },
  { name: '@cost on an argument and an input field: 2 + 3', query: '{ filter(by: { term: "x" }) }', cost: 5 },
  { name: '@cost on an enum', query: '{ color }', cost: 2 },
  { name: 'nested lists multiply: 2 x (1 + 3 x 1)', query: '{ users(first: 2) { friends(first: 3) { name } } }', cost: 8 },
  { name: 'interface: 1 + max(Post: author 1, User: 0)', query: '{ node { id ... on Post { author { name } } ... on User { name } } }', cost: 2 },
  { name: 'union: 1 + max(User: 5 friends, Post: author 1)', query: '{ result { ... on User { friends(first: 5) { id } } ... on Post { author { id } } } }', cost: 6 },
  { name: 'mutation adds 10: 10 + User 1', query: 'mutation { addUser(name: "a") { id } }', cost: 11 },
  { name: 'configured mutation weight', query: 'mutation { addUser(name: "a") { id } }', options: { mutationWeight: 0 }, cost: 1 },
  { name: 'fragment priced as inline: 2 x (1 + 3)', query: '{ users(first: 2) { ...F } } fragment F on User { friends(first: 3) { id } }', cost: 8 },
  { name: 'fragment spread twice', query: '{ a: users(first: 1) { ...F } b: users(first: 1) { ...F } } fragment F on User { friends(first: 3) { id } }', cost: 8 },
  { name: 'nested fragments', query: '{ users(first: 2) { ...F } } fragment F on User { friends(first: 3) { ...G } } fragment G on User { friends(first: 2) { id } }', cost: 2 * (1 + 3 * (1 + 2)) },
  { name: 'fragment on an interface inside a union', query: '{ result { ...N } } fragment N on Node { ... on Post { author { id } } }', cost: 2 },
  { name: '@skip by variable', query: 'query($s: Boolean!) { users(first: 5) @skip(if: $s) { name } }', variables: { s: true }, cost: 0 },
  { name: '@include by variable', query: 'query($s: Boolean!) { users(first: 5) @include(if: $s) { name } }', variables: { s: true }, cost: 5 },
  { name: '__typename is free', query: '{ __typename }', cost: 0 },
  {
    name: 'overrides without SDL: unsized 2 x User 3',
    query: '{ unsized { name } }',
    options: { overrides: { 'Query.unsized': { listSize: { assumedSize: 2 } }, User: { weight: 3 } } },
    cost: 6,
  },
];

describe('default (IBM) cost model', () => {
  it.each(rows)('$name', ({ query, variables, options, cost }) => {
    const estimate = compileCostPlan(costSchema, parse(query), null, options).evaluate(variables);
    expect(estimate.errors).toEqual([]);
    expect(estimate.cost).toBe(cost);
  });

  const requireOne: Array<{ query: string; variables?: Record<string, unknown>; ok: boolean }> = [
    { query: '{ strict(first: 1) { name } }', ok: true },
    { query: '{ strict { name } }', ok: false },
    { query: '{ strict(first: 1, last: 2) { name } }', ok: false },
    { query: 'query($f: Int) { strict(first: $f) { name } }', variables: { f: 3 }, ok: true },
    { query: 'query($f: Int) { strict(first: $f) { name } }', variables: {}, ok: false },
  ];
  it.each(requireOne)('requireOneSlicingArgument: $query $variables', ({ query, variables, ok }) => {
    const { errors } = compileCostPlan(costSchema, parse(query)).evaluate(variables);
    expect(errors.map((e) => e.extensions.code)).toEqual(ok ? [] : ['BAD_USER_INPUT']);
  });

  it('reports a per-path breakdown on request', () => {
    const plan = compileCostPlan(costSchema, parse('{ users(first: 2) { friends(first: 3) { name } } }'));
    expect(plan.evaluate({}, { perPath: true }).perPath).toEqual({
      'users.friends.name': 0,
      'users.friends': 3,
      users: 8,
    });
  });

  it('refuses bad options with a TypeError', () => {
    expect(() => compileCostPlan(costSchema, parse('{ tags }'), null, { defaultListSize: -1 })).toThrow(TypeError);
    expect(() => compileCostPlan(costSchema, parse('{ tags }'), null, { model: 'nope' })).toThrow(TypeError);
    expect(() => compileCostPlan(costSchema, parse('{ tags }'), null, { overrides: { 'Query.tags': { weight: Number.NaN } } })).toThrow(TypeError);
  });

  it('an unknown operation name is an error, not a price', () => {
    const estimate = compileCostPlan(costSchema, parse('query A { tags }'), 'B').evaluate({});
    expect(estimate.errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
  });
});
