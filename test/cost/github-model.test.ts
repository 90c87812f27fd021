import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileCostPlan } from '../../src/cost';
import { githubSchema } from './github-schema';

const price = (query: string, variables: Record<string, unknown> = {}) =>
  compileCostPlan(githubSchema(), parse(query), null, { model: 'github' }).evaluate(variables);

// Examples from GitHub's "Rate limits and node limits for the GraphQL API".
const simple = `query { viewer { repositories(first: 50) { edges { repository:node { name
  issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }`;
const complex = `query { viewer { repositories(first: 50) { edges { repository:node { name
  pullRequests(first: 20) { edges { pullRequest:node { title comments(first: 10) { edges { comment:node { bodyHTML } } } } } }
  issues(first: 20) { totalCount edges { issue:node { title bodyHTML comments(first: 10) { edges { comment:node { bodyHTML } } } } } } } } }
  followers(first: 10) { edges { follower:node { login } } } } }`;
const points = `query { viewer { login repositories(first: 100) { edges { node { id
  issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`;

describe('github model on the real schema', () => {
  it('simple example: 50 + 50 x 10 = 550 nodes', () => {
    const estimate = price(simple);
    expect(estimate.errors).toEqual([]);
    expect(estimate.details?.nodes).toBe(550);
    expect(estimate.cost).toBe(1); // 51 requests / 100, rounded, at least 1
  });

  it('complex example: 22,060 nodes', () => {
    expect(price(complex).details?.nodes).toBe(22_060);
  });

  it('points example: 1 + 100 + 5,000 = 5,101 requests = 51 points', () => {
    const estimate = price(points);
    expect(estimate.details?.requests).toBe(5101);
    expect(estimate.cost).toBe(51);
  });

  it('first/last from variables', () => {
    const plan = compileCostPlan(githubSchema(), parse('query($n: Int) { viewer { repositories(first: $n) { nodes { name } } } }'), null, { model: 'github' });
    expect(plan.evaluate({ n: 7 }).details?.nodes).toBe(7);
    expect(plan.evaluate({ n: 70 }).details?.nodes).toBe(70);
    expect(plan.evaluate({}).errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['missing first/last', '{ viewer { repositories { nodes { name } } } }'],
    ['first over 100', '{ viewer { repositories(first: 101) { nodes { name } } } }'],
    ['first under 1', '{ viewer { repositories(first: 0) { nodes { name } } } }'],
  ])('%s is rejected', (_, query) => {
    expect(price(query).errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('over 500,000 nodes is rejected', () => {
    const query = `{ viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { comments(first: 100) { nodes { id } } } } } } } }`;
    const estimate = price(query);
    expect(estimate.details?.nodes).toBe(100 + 100 * 100 + 100 * 100 * 100);
    expect(estimate.errors.map((e) => e.extensions.code)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
  });

  it('fragments count as inline', () => {
    const withFragment = `{ viewer { repositories(first: 50) { edges { repository:node { ...R } } } } }
      fragment R on Repository { name issues(first: 10) { totalCount edges { node { title bodyHTML } } } }`;
    expect(price(withFragment).details).toEqual(price(simple).details);
  });
});
