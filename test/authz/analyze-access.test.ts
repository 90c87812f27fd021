import { describe, expect, it } from 'vitest';
import { compileAccessPlan, type AccessSubject, type Variables } from '../../src/authz/analyze-access';
import { errorCode } from '../../src/errors';
import { anonymous, doc, petSchema, subject } from './fixture';

/** Denials as "path coordinate reason" lines, in document order. */
function denials(
  source: string,
  who: AccessSubject,
  variables?: Variables,
  answers: ReadonlyMap<string, boolean> = new Map(),
  operationName?: string,
): string[] {
  const plan = compileAccessPlan(petSchema, doc(source), operationName);
  const decision = plan.decide(variables, who, answers);
  expect(decision.allowed).toBe(decision.denied.length === 0);
  return decision.denied.map((d) => `${d.path.join('.')} ${d.coordinate} ${d.reason}`);
}

function expectValid(source: string, who: AccessSubject, variables?: Variables): void {
  expect(denials(source, who, variables)).toEqual([]);
}

function expectErrors(source: string, who: AccessSubject, expected: string[], variables?: Variables): void {
  expect(denials(source, who, variables)).toEqual(expected);
}

describe('scope matrix', () => {
  it.each<[string, string, AccessSubject, string[]]>([
    // OR of AND with a type requirement ANDed: (stats:read OR admin) AND stats:detail
    ['field + type, no scopes', '{ stats { count } }', subject(), ['stats Query.stats missing_scopes']],
    ['field + type, field scope only', '{ stats { count } }', subject('stats:read'), ['stats Query.stats missing_scopes']],
    ['field + type, admin only', '{ stats { count } }', subject('admin'), ['stats Query.stats missing_scopes']],
    ['field + type, both via first branch', '{ stats { count } }', subject('stats:read', 'stats:detail'), []],
    ['field + type, both via second branch', '{ stats { count } }', subject('admin', 'stats:detail'), []],
    ['AND inside a clause, half held', '{ owner(id: 1) { phone } }', subject('owner:read'), ['owner.phone Owner.phone missing_scopes']],
    ['AND inside a clause, all held', '{ owner(id: 1) { phone } }', subject('owner:read', 'pii'), []],
    ['OR, first branch', '{ owner(id: 1) { email } }', subject('owner:email'), []],
    ['OR, second branch', '{ owner(id: 1) { email } }', subject('admin'), []],
    ['OR, neither', '{ owner(id: 1) { email } }', subject('pii'), ['owner.email Owner.email missing_scopes']],
    ['scalar type requirement', '{ owner(id: 1) { ssn } }', subject(), ['owner.ssn Owner.ssn missing_scopes']],
    ['scalar type requirement held', '{ owner(id: 1) { ssn } }', subject('secret'), []],
    ['object type requirement through a list', '{ owners { reviews { rating } } }', subject(), ['owners.reviews Owner.reviews missing_scopes']],
    ['union member requirement on the union field', '{ search(term: "x") { ... on Dog { name } } }', subject(), ['search Query.search missing_scopes']],
    ['union member requirement held', '{ search(term: "x") { ... on Dog { name } } }', subject('reviews:read'), []],
    ['interface position: every implementation', '{ node(id: 1) { id } }', subject(), ['node Query.node missing_scopes']],
    ['type requirement nested under an allowed field', '{ dog(id: 1) { records { diagnosis } } }', subject(), ['dog.records.diagnosis VetRecord.diagnosis missing_scopes']],
    [
      'several denials, allowed siblings untouched',
      '{ stats { count } owner(id: 1) { name email phone } }',
      subject(),
      ['stats Query.stats missing_scopes', 'owner.email Owner.email missing_scopes', 'owner.phone Owner.phone missing_scopes'],
    ],
  ])('%s', (_, source, who, expected) => {
    expectErrors(source, who, expected);
  });
});

describe('@authenticated', () => {
  it.each<[string, string, string[], string[]]>([
    ['field', '{ me { name } }', ['me Query.me unauthenticated'], []],
    ['enum type', '{ dog(id: 1) { mood } }', ['dog.mood Dog.mood unauthenticated'], []],
    ['object type through a list', '{ dog(id: 1) { records { date } } }', ['dog.records Dog.records unauthenticated'], []],
    ['root type extension', 'mutation { adopt(id: 1) { name } }', ['adopt Mutation.adopt unauthenticated'], []],
    ['only the outermost denial is reported', '{ me { email } }', ['me Query.me unauthenticated'], ['me.email Owner.email missing_scopes']],
  ])('%s', (_, source, whenAnonymous, whenAuthenticated) => {
    expectErrors(source, anonymous, whenAnonymous);
    expectErrors(source, subject(), whenAuthenticated);
  });
});

describe('every spelling leads to the same answer', () => {
  it.each<[string, string, string[]]>([
    ['flat', '{ owner(id: 1) { name email } }', ['owner.email Owner.email missing_scopes']],
    ['fragment defined after use', '{ owner(id: 1) { ...O } } fragment O on Owner { name email }', ['owner.email Owner.email missing_scopes']],
    ['fragment defined before use', 'fragment O on Owner { name email } { owner(id: 1) { ...O } }', ['owner.email Owner.email missing_scopes']],
    [
      'nested fragments',
      '{ owners { ...A } } fragment A on Owner { pets { ...B } } fragment B on Animal { ...C } fragment C on Animal { notes }',
      ['owners.pets.notes Animal.notes missing_scopes'],
    ],
    ['inline fragment on the interface', '{ animals { ... on Animal { notes } } }', ['animals.notes Animal.notes missing_scopes']],
    ['interface field through ... on Concrete', '{ animals { ... on Dog { notes } } }', ['animals.notes Dog.notes missing_scopes']],
    ['interface field through a named fragment on the concrete type', '{ animal(id: 1) { ...D } } fragment D on Dog { notes }', ['animal.notes Dog.notes missing_scopes']],
    ['interface field through a union member', '{ pals { ... on Cat { notes } } }', ['pals.notes Cat.notes missing_scopes']],
    ['union member field', '{ pals { ... on Cat { lives } ... on Dog { barkVolume } } }', ['pals.lives Cat.lives missing_scopes']],
    ['one response key, two coordinates', '{ pals { ... on Cat { x: lives } ... on Dog { x: barkVolume } } }', ['pals.x Cat.lives missing_scopes']],
    [
      'each alias of a denied field',
      '{ a: owner(id: 1) { e: email } b: owner(id: 2) { email } c: owner(id: 3) { name } }',
      ['a.e Owner.email missing_scopes', 'b.email Owner.email missing_scopes'],
    ],
    ['one field spelled twice is one denial', '{ owner(id: 1) { email ... on Owner { email } } }', ['owner.email Owner.email missing_scopes']],
    ['literal @include(if: false) is never selected', '{ owner(id: 1) { email @include(if: false) name } }', []],
    ['literal @skip(if: true) on a fragment spread', '{ owner(id: 1) { ...O @skip(if: true) } } fragment O on Owner { email }', []],
  ])('%s', (_, source, expected) => {
    expectErrors(source, subject(), expected);
  });
});

describe('@include / @skip with variables', () => {
  const source = `query Q($withEmail: Boolean!, $noPhone: Boolean = true) {
    owner(id: 1) { name email @include(if: $withEmail) phone @skip(if: $noPhone) }
  }`;

  it.each<[string, Variables, string[]]>([
    ['both off (default skips phone)', { withEmail: false }, []],
    ['email on', { withEmail: true }, ['owner.email Owner.email missing_scopes']],
    ['both on', { withEmail: true, noPhone: false }, ['owner.email Owner.email missing_scopes', 'owner.phone Owner.phone missing_scopes']],
    ['non-boolean value counts as selected', { withEmail: 'yes' }, ['owner.email Owner.email missing_scopes']],
  ])('%s', (_, variables, expected) => {
    expectErrors(source, subject(), expected, variables);
  });

  it('uses one plan for every variable set', () => {
    const d = doc(source);
    expect(compileAccessPlan(petSchema, d, undefined)).toBe(compileAccessPlan(petSchema, d, undefined));
  });

  it('keeps conditions per occurrence when occurrences merge', () => {
    const merged = 'query($a: Boolean!) { owner(id: 1) @include(if: $a) { email } owner(id: 1) { name } }';
    expectErrors(merged, subject(), [], { a: false });
    expectErrors(merged, subject(), ['owner.email Owner.email missing_scopes'], { a: true });
  });

  it('combines conditions through fragments and inline fragments', () => {
    const nested = `query($a: Boolean!, $b: Boolean!) { owner(id: 1) { ... @include(if: $a) { ...O @skip(if: $b) } } }
      fragment O on Owner { email }`;
    expectErrors(nested, subject(), [], { a: false, b: false });
    expectErrors(nested, subject(), [], { a: true, b: true });
    expectErrors(nested, subject(), ['owner.email Owner.email missing_scopes'], { a: true, b: false });
  });

  it('treats @include(if: $a) @skip(if: $a) as never selected', () => {
    expectValid('query($a: Boolean!) { owner(id: 1) { email @include(if: $a) @skip(if: $a) } }', subject(), { a: true });
  });
});

describe('one plan, several subjects in a row', () => {
  const source = '{ me { name email } stats { count } }';
  it.each<[AccessSubject, string[]]>([
    [anonymous, ['me Query.me unauthenticated', 'stats Query.stats missing_scopes']],
    [subject('admin', 'stats:detail'), []],
    [subject(), ['me.email Owner.email missing_scopes', 'stats Query.stats missing_scopes']],
    [subject('owner:email'), ['stats Query.stats missing_scopes']],
    [anonymous, ['me Query.me unauthenticated', 'stats Query.stats missing_scopes']],
  ])('%#', (who, expected) => {
    expectErrors(source, who, expected);
  });
});

describe('@policy', () => {
  const plan = compileAccessPlan(petSchema, doc('query($on: Boolean!) { audit @include(if: $on) owner(id: 1) { name } }'));

  it('lists the policies the selected fields need, once each', () => {
    expect(plan.policiesNeeded({ on: true })).toEqual(['audit', 'oncall', 'staff']);
    expect(plan.policiesNeeded({ on: false })).toEqual([]);
  });

  it.each<[string, Record<string, boolean>, string[]]>([
    ['unanswered', {}, ['audit Query.audit policy_denied']],
    ['first clause', { audit: true }, []],
    ['half of the second clause', { staff: true }, ['audit Query.audit policy_denied']],
    ['second clause', { staff: true, oncall: true }, []],
    ['answered false', { audit: false, staff: true, oncall: false }, ['audit Query.audit policy_denied']],
  ])('%s', (_, answers, expected) => {
    const decision = plan.decide({ on: true }, subject(), new Map(Object.entries(answers)));
    expect(decision.denied.map((d) => `${d.path.join('.')} ${d.coordinate} ${d.reason}`)).toEqual(expected);
  });
});

describe('introspection', () => {
  it.each<[string, string[]]>([
    ['{ __schema { queryType { name } } }', ['__schema Query.__schema introspection_disabled']],
    ['{ __type(name: "Dog") { name } owner(id: 1) { name } }', ['__type Query.__type introspection_disabled']],
    ['{ __typename owner(id: 1) { __typename name } }', []],
  ])('%s', (source, expected) => {
    expectErrors(source, subject(), expected);
    expectErrors(source, { ...subject(), introspectionAllowed: true }, []);
  });
});

describe('operations', () => {
  const batch = 'query A { owner(id: 1) { email } } query B { owner(id: 1) { name } }';

  it('decides each operation of a document on its own', () => {
    expect(denials(batch, subject(), undefined, new Map(), 'A')).toEqual(['owner.email Owner.email missing_scopes']);
    expect(denials(batch, subject(), undefined, new Map(), 'B')).toEqual([]);
  });

  it('refuses an ambiguous operation with BAD_REQUEST', () => {
    expect(() => compileAccessPlan(petSchema, doc(batch))).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) }));
  });

  it('refuses a fragment explosion with REQUEST_TOO_LARGE instead of expanding it', () => {
    // 2^12 owners.name once expanded, from a document of a few hundred bytes.
    let source = '{ owners { ...F0 } } fragment F12 on Owner { name }';
    for (let i = 0; i < 12; i++) source += ` fragment F${i} on Owner { a: pets { owner { ...F${i + 1} } } b: pets { owner { ...F${i + 1} } } }`;
    let caught: unknown;
    try {
      compileAccessPlan(petSchema, doc(source), undefined, { maxExpandedFields: 1_000 });
    } catch (error) {
      caught = error;
    }
    expect(errorCode(caught)).toBe('REQUEST_TOO_LARGE');
  });
});
