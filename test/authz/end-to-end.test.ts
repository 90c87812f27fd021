import { execute, validate, type ExecutionResult, type GraphQLFieldResolver, type GraphQLTypeResolver } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileAccessPlan, type AccessSubject, type Variables } from '../../src/authz/analyze-access';
import { applyDenials } from '../../src/authz/apply-denials';
import { answerPolicies, denyAllPolicies, type PolicyFunction } from '../../src/authz/options';
import { pruneDocument } from '../../src/authz/prune';
import { anonymous, doc, petSchema, subject } from './fixture';

// Plain objects; `__typename` drives abstract type resolution.
const ann: Record<string, unknown> = { __typename: 'Owner', id: 'o1', name: 'Ann', email: 'ann@example.org', phone: '555', ssn: 'S-1' };
const bo: Record<string, unknown> = { __typename: 'Owner', id: 'o2', name: 'Bo', email: 'bo@example.org', phone: null, ssn: null, pets: [], reviews: [] };
const rex = {
  __typename: 'Dog', id: 'd1', name: 'Rex', notes: 'good boy', owner: ann, barkVolume: 7, chip: 'C-1', mood: 'HAPPY',
  records: [{ date: '2024-01-01', diagnosis: 'healthy' }],
};
const tom = { __typename: 'Cat', id: 'c1', name: 'Tom', notes: 'hisses', owner: ann, lives: 9 };
const review = { __typename: 'Review', id: 'r1', rating: 5, author: ann };
ann.pets = [rex, tom];
ann.reviews = [review];
const root = {
  animals: [rex, tom], animal: () => rex, dog: () => rex, owners: [ann, bo], owner: () => ann, me: ann,
  search: [rex, review], pals: [rex, tom], node: () => rex, stats: { count: 2 }, audit: 'ok', adopt: () => rex,
};

async function run(source: string, who: AccessSubject, variables: Variables = {}, policy: PolicyFunction = denyAllPolicies) {
  const calls = new Set<string>();
  const resolve: GraphQLFieldResolver<Record<string, unknown>, unknown> = (parent, args, _ctx, info) => {
    const value = parent[info.fieldName];
    return typeof value === 'function' ? value(args) : value;
  };
  const fieldResolver: GraphQLFieldResolver<Record<string, unknown>, unknown> = (parent, args, ctx, info) => {
    calls.add(`${info.parentType.name}.${info.fieldName}`);
    return resolve(parent, args, ctx, info);
  };
  const typeResolver: GraphQLTypeResolver<{ __typename: string }, unknown> = (value) => value.__typename;
  const document = doc(source);
  const plan = compileAccessPlan(petSchema, document);
  const answers = await answerPolicies(policy, who, plan.policiesNeeded(variables));
  const { denied } = plan.decide(variables, who, answers);
  const pruned = pruneDocument(petSchema, document, undefined, denied);
  expect(validate(petSchema, pruned)).toEqual([]);
  const args = { schema: petSchema, rootValue: root, variableValues: variables, fieldResolver, typeResolver };
  const raw = (await execute({ ...args, document: pruned })) as ExecutionResult;
  const result = applyDenials(petSchema, document, undefined, raw, denied);
  const unguarded = (await execute({ ...args, document, fieldResolver: resolve })) as ExecutionResult;
  return {
    data: JSON.parse(JSON.stringify(result.data ?? null)) as unknown,
    codes: (result.errors ?? []).map((e) => `${e.extensions.code} ${(e.path ?? []).join('.')}`),
    calls,
    unguarded: JSON.parse(JSON.stringify(unguarded.data ?? null)) as unknown,
  };
}

const everything: AccessSubject = {
  authenticated: true,
  introspectionAllowed: true,
  scopes: new Set(['vet', 'owner:email', 'owner:read', 'pii', 'secret', 'reviews:read', 'stats:read', 'stats:detail', 'cats:lives']),
};

describe('pruned execution + applyDenials', () => {
  it('nulls denied fields in lists and behind ... on Concrete, never calling their resolvers', async () => {
    const r = await run('{ owners { name phone pets { name ... on Dog { notes barkVolume } } } }', subject());
    expect(r.data).toEqual({
      owners: [
        { name: 'Ann', phone: null, pets: [{ name: 'Rex', notes: null, barkVolume: 7 }, { name: 'Tom' }] },
        { name: 'Bo', phone: null, pets: [] },
      ],
    });
    expect(r.codes).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE owners.phone', 'UNAUTHORIZED_FIELD_OR_TYPE owners.pets.notes']);
    expect(r.calls).not.toContain('Owner.phone');
    expect(r.calls).not.toContain('Dog.notes');
    expect(r.calls).toContain('Dog.barkVolume');
  });

  it('propagates a denied non-null field to the root', async () => {
    const r = await run('{ owner(id: 1) { name email } }', subject());
    expect(r.data).toBeNull();
    expect(r.codes).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE owner.email']);
    expect(r.calls).not.toContain('Owner.email');
  });

  it('nulls a non-null abstract list whose position a union member protects', async () => {
    const r = await run('{ search(term: "x") { ... on Dog { name } ... on Review { rating } } }', subject());
    expect(r.data).toBeNull();
    expect(r.calls.size).toBe(0);
  });

  it('calls no resolver when nothing authorized is left', async () => {
    const r = await run('{ stats { count } }', anonymous);
    expect(r.data).toBeNull();
    expect(r.codes).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE stats']);
    expect(r.calls.size).toBe(0);
  });

  it('decides per variable values on one plan', async () => {
    const source = 'query($v: Boolean!) { pals { ...P } } fragment P on Pal { ... on Cat { name lives @include(if: $v) } ... on Dog { name } }';
    const on = await run(source, subject(), { v: true });
    expect(on.data).toEqual({ pals: [{ name: 'Rex' }, { name: 'Tom', lives: null }] });
    expect(on.calls).not.toContain('Cat.lives');
    const off = await run(source, subject(), { v: false });
    expect(off.data).toEqual({ pals: [{ name: 'Rex' }, { name: 'Tom' }] });
    expect(off.codes).toEqual([]);
  });

  it('asks the policy function and denies what it does not answer', async () => {
    const source = '{ audit owner(id: 1) { name } }';
    const denied = await run(source, subject());
    expect(denied.data).toEqual({ owner: { name: 'Ann' }, audit: null });
    expect(denied.calls).not.toContain('Query.audit');
    const partial = await run(source, subject(), {}, async () => ({ staff: true }));
    expect(partial.data).toEqual({ owner: { name: 'Ann' }, audit: null });
    const granted = await run(source, subject(), {}, async (_p, policies) => ({ audit: policies.includes('audit') }));
    expect(granted.data).toEqual({ owner: { name: 'Ann' }, audit: 'ok' });
    expect(granted.codes).toEqual([]);
  });

  it('gives a fully privileged subject the same data as unguarded execution', async () => {
    const source = `query($v: Boolean = true) {
      owners { ...O reviews @include(if: $v) { rating author { name } } }
      animals { ... on Animal { notes } ... on Dog { chip mood records { diagnosis } } ... on Cat { lives } }
      stats { count } me { email } search(term: "x") { ... on Review { rating } }
    }
    fragment O on Owner { name email phone ssn pets { name } }`;
    const r = await run(source, everything);
    expect(r.codes).toEqual([]);
    expect(r.data).toEqual(r.unguarded);
  });
});
