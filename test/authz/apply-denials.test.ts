import { GraphQLError, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileAccessPlan, type AccessSubject } from '../../src/authz/analyze-access';
import { applyDenials, type ApplyDenialsOptions } from '../../src/authz/apply-denials';
import { doc, petSchema, subject } from './fixture';

type Data = Record<string, unknown>;

/** Runs `applyDenials` for `source` on `data` (what the pruned document returned, markers included). */
function apply(source: string, data: Data | null, who: AccessSubject = subject(), options?: ApplyDenialsOptions, errors?: GraphQLError[]) {
  const d = doc(source);
  const { denied } = compileAccessPlan(petSchema, d).decide({}, who, new Map());
  const input: ExecutionResult = deepFreeze({ data, ...(errors ? { errors } : {}) });
  return applyDenials(petSchema, d, undefined, input, denied, options);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const errorsOf = (r: ExecutionResult) =>
  (r.errors ?? []).map((e) => ({ code: e.extensions.code, path: e.path, status: (e.extensions.http as { status: number } | undefined)?.status }));

describe('applyDenials', () => {
  it.each<[string, string, Data, Data | null]>([
    [
      'nullable field in a list: null in every item',
      '{ owners { name phone } }',
      { owners: [{ name: 'Ann', _lg0: 'Owner' }, { name: 'Bo', _lg0: 'Owner' }] },
      { owners: [{ name: 'Ann', phone: null }, { name: 'Bo', phone: null }] },
    ],
    [
      'non-null field in [Owner!]: the nullable list becomes null',
      '{ owners { name email } }',
      { owners: [{ name: 'Ann', _lg0: 'Owner' }] },
      { owners: null },
    ],
    [
      'non-null all the way up: data becomes null',
      '{ owner(id: 1) { name email } dog(id: 1) { name } }',
      { owner: { name: 'Ann', _lg0: 'Owner' }, dog: { name: 'Rex' } },
      null,
    ],
    [
      'an empty list needs nothing',
      '{ owners { name email } }',
      { owners: [] },
      { owners: [] },
    ],
    [
      'only objects whose type selected the field get the null',
      '{ animals { name ... on Cat { lives } } }',
      { animals: [{ name: 'Rex' }, { name: 'Tom', _lg0: 'Cat' }] },
      { animals: [{ name: 'Rex' }, { name: 'Tom', lives: null }] },
    ],
    [
      'lists inside lists, null parents skipped',
      '{ owners { pets { ... on Dog { records { date diagnosis } } } } }',
      {
        owners: [
          { pets: [{ records: [{ date: 'd1', _lg0: 'VetRecord' }, { date: 'd2', _lg0: 'VetRecord' }] }, {}] },
          { pets: [{ records: null }] },
        ],
      },
      {
        owners: [
          { pets: [{ records: [{ date: 'd1', diagnosis: null }, { date: 'd2', diagnosis: null }] }, {}] },
          { pets: [{ records: null }] },
        ],
      },
    ],
    [
      'denied root field next to an allowed one',
      '{ stats { count } owner(id: 1) { name } }',
      { owner: { name: 'Ann' }, _lg0: 'Query' },
      { owner: { name: 'Ann' }, stats: null },
    ],
    ['nothing authorized left: data is null', '{ stats { count } }', { _lg0: 'Query' }, null],
    [
      'two coordinates denied at one path',
      '{ pals { ... on Dog { notes } ... on Cat { notes } } }',
      { pals: [{ _lg0: 'Dog' }, { _lg1: 'Cat' }] },
      { pals: [{ notes: null }, { notes: null }] },
    ],
  ])('%s', (_, source, data, expected) => {
    expect(apply(source, data).data).toEqual(expected);
  });

  it('adds one error per denied path, without list indices, status 200', () => {
    const result = apply('{ owners { name phone } stats { count } pals { ... on Dog { notes } ... on Cat { notes } } }', {
      owners: [{ name: 'Ann', _lg0: 'Owner' }, { name: 'Bo', _lg0: 'Owner' }],
      pals: [],
      _lg1: 'Query',
    });
    expect(errorsOf(result)).toEqual([
      { code: 'UNAUTHORIZED_FIELD_OR_TYPE', path: ['owners', 'phone'], status: 200 },
      { code: 'UNAUTHORIZED_FIELD_OR_TYPE', path: ['stats'], status: 200 },
      { code: 'UNAUTHORIZED_FIELD_OR_TYPE', path: ['pals', 'notes'], status: 200 },
    ]);
  });

  it('keeps execution errors and appends its own', () => {
    const upstream = new GraphQLError('boom', { path: ['owners'] });
    const result = apply('{ owners { name phone } }', { owners: null }, subject(), {}, [upstream]);
    expect(result.errors?.[0]).toBe(upstream);
    expect(errorsOf(result).map((e) => e.code)).toEqual([undefined, 'UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('reports introspection denials with INTROSPECTION_DISABLED', () => {
    const result = apply('{ __type(name: "Dog") { name } owner(id: 1) { name } }', { owner: { name: 'Ann' }, _lg0: 'Query' });
    expect(result.data).toEqual({ owner: { name: 'Ann' }, __type: null });
    expect(errorsOf(result)).toEqual([{ code: 'INTROSPECTION_DISABLED', path: ['__type'], status: 200 }]);
  });

  it.each<[ApplyDenialsOptions['denialsIn'], number, unknown]>([
    ['errors', 1, undefined],
    ['extensions', 0, { authorization: { denied: [{ path: ['owners', 'phone'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' }] } }],
    ['none', 0, undefined],
  ])('denialsIn %s', (denialsIn, errorCount, extensions) => {
    const result = apply('{ owners { phone } }', { owners: [{ _lg0: 'Owner' }] }, subject(), { denialsIn });
    expect(result.data).toEqual({ owners: [{ phone: null }] });
    expect(result.errors?.length ?? 0).toBe(errorCount);
    expect(result.extensions).toEqual(extensions);
  });

  it('returns the result itself when nothing is denied', () => {
    const d = doc('{ owner(id: 1) { name } }');
    const result = { data: { owner: { name: 'Ann' } } };
    expect(applyDenials(petSchema, d, undefined, result, [])).toBe(result);
  });
});
