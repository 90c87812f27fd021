import { describe, expect, it } from 'vitest';
import {
  answerPolicies,
  defaultAuthzOptions,
  denyAllPolicies,
  isIntrospectionAllowed,
  normalizeAuthzOptions,
  type AuthzOptions,
} from '../../src/authz/options';
import { subject } from './fixture';

describe('normalizeAuthzOptions', () => {
  it('fills the documented defaults', () => {
    expect(normalizeAuthzOptions({}, false)).toEqual({
      ...defaultAuthzOptions,
      introspection: { allowed: false, allowedScopes: [] },
    });
  });

  it('allows introspection by default in development only', () => {
    expect(normalizeAuthzOptions({}, true).introspection.allowed).toBe(true);
    expect(normalizeAuthzOptions({}, false).introspection.allowed).toBe(false);
    expect(normalizeAuthzOptions({ introspection: { allowed: false } }, true).introspection.allowed).toBe(false);
  });

  it.each<[string, unknown]>([
    ['mode', { mode: 'block' }],
    ['denialsIn', { denialsIn: 'log' }],
    ['introspection.allowed', { introspection: { allowed: 'yes' } }],
    ['introspection.allowedScopes', { introspection: { allowedScopes: 'admin' } }],
    ['introspection.enabled', { introspection: { enabled: true } }],
    ['policy', { policy: { admin: true } }],
    ['maxExpandedFields', { maxExpandedFields: 0 }],
    ['scopes', { scopes: [] }],
  ])('refuses a bad %s with a TypeError naming it', (key, input) => {
    expect(() => normalizeAuthzOptions(input as AuthzOptions, false)).toThrow(new RegExp(`"${key.replace('.', '\\.')}"`));
    expect(() => normalizeAuthzOptions(input as AuthzOptions, false)).toThrow(TypeError);
  });
});

describe('isIntrospectionAllowed', () => {
  const scoped = normalizeAuthzOptions({ introspection: { allowedScopes: ['schema:read'] } }, false);
  it.each<[string, boolean, boolean]>([
    ['everyone when allowed', true, true],
    ['nobody by default outside development', false, false],
  ])('%s', (_, allowed, expected) => {
    expect(isIntrospectionAllowed(subject(), normalizeAuthzOptions({ introspection: { allowed } }, false))).toBe(expected);
  });

  it('holders of an allowed scope', () => {
    expect(isIntrospectionAllowed(subject('schema:read'), scoped)).toBe(true);
    expect(isIntrospectionAllowed(subject('other'), scoped)).toBe(false);
  });
});

describe('answerPolicies', () => {
  it('asks once and denies what is missing or not exactly true', async () => {
    const asked: string[][] = [];
    const answers = await answerPolicies(
      async (_p, policies) => {
        asked.push(policies);
        return { a: true, b: 'yes' as unknown as boolean, toString: true };
      },
      'principal',
      ['a', 'b', 'c'],
    );
    expect(asked).toEqual([['a', 'b', 'c']]);
    expect([...answers]).toEqual([['a', true], ['b', false], ['c', false]]);
  });

  it('the default policy function denies everything', async () => {
    expect([...(await answerPolicies(denyAllPolicies, null, ['x']))]).toEqual([['x', false]]);
  });

  it('does not call the function when no policy is needed', async () => {
    let called = false;
    await answerPolicies(async () => ((called = true), {}), null, []);
    expect(called).toBe(false);
  });
});
