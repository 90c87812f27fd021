import { describe, expect, it } from 'vitest';
import { requirementIndex } from '../../src/authz';
import { httpOperationOf } from '../../src/openapi';
import { petstore } from './fixtures';

// The composed supergraph (composed by the test run's global setup when an input changed),
// read with the same requirement index the gateway enforces: a mutation of any source, added
// to a document or a config later, that anyone may call fails here before it ships.
const { schema } = petstore();
const requirements = requirementIndex(schema);
const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});

describe('mutations of the composed supergraph', () => {
  it('has the REST and GraphQL mutations to check', () => {
    expect(mutations.some((f) => httpOperationOf(f, 'petstore'))).toBe(true);
    expect(mutations.some((f) => !httpOperationOf(f, 'petstore'))).toBe(true);
  });

  it('every one has a requirement (@authenticated, @requiresScopes or @policy, on the field or its type)', () => {
    const open = mutations
      .map((f) => `Mutation.${f.name}`)
      .filter((coordinate) => {
        const r = requirements.get(coordinate);
        return !r || (!r.authenticated && r.scopes.length === 0 && r.policies.length === 0);
      });
    expect(open).toEqual([]);
  });

  it('every REST write of the demo needs the write scope of the resource its path names', () => {
    const wrong = mutations.flatMap((f) => {
      const http = httpOperationOf(f, 'petstore');
      if (!http) return [];
      const wanted = `${http.path.split('/')[1]}:write`;
      const scopes = requirements.get(`Mutation.${f.name}`)?.scopes ?? [];
      const ok = scopes.length > 0 && scopes.every((clause) => clause.includes(wanted));
      return ok ? [] : [`Mutation.${f.name} needs ${wanted}, has ${JSON.stringify(scopes)}`];
    });
    expect(wrong).toEqual([]);
  });
});
