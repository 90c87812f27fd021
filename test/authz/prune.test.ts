import { parse, print, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileAccessPlan, type AccessSubject, type Variables } from '../../src/authz/analyze-access';
import { placeholderPrefix, pruneDocument } from '../../src/authz/prune';
import { doc, petSchema, subject } from './fixture';

function pruned(source: string, who: AccessSubject = subject(), variables?: Variables, operationName?: string): string {
  const d = doc(source);
  const { denied } = compileAccessPlan(petSchema, d, operationName).decide(variables, who, new Map());
  const out = pruneDocument(petSchema, d, operationName, denied);
  expect(validate(petSchema, out)).toEqual([]); // the pruned document must stay executable
  return print(out);
}

/** Compares modulo formatting. */
function expectPruned(source: string, expected: string, who?: AccessSubject, variables?: Variables, operationName?: string): void {
  expect(pruned(source, who, variables, operationName)).toBe(print(parse(expected)));
}

describe('pruneDocument', () => {
  it.each<[string, string, string]>([
    ['a denied field goes, a marker stands in its place', '{ owner(id: 1) { name email } }', '{ owner(id: 1) { name _lg0: __typename } }'],
    ['an emptied selection set keeps a __typename', '{ owner(id: 1) { email } }', '{ owner(id: 1) { _lg0: __typename } }'],
    ['an emptied root keeps a __typename', '{ stats { count } }', '{ _lg0: __typename }'],
    ['every alias goes', '{ a: owner(id: 1) { e: email x: email name } }', '{ a: owner(id: 1) { name _lg0: __typename _lg1: __typename } }'],
    [
      'every spelling of one selection goes, with one marker',
      '{ owner(id: 1) { email ... on Owner { email name } } }',
      '{ owner(id: 1) { ... on Owner { name _lg0: __typename } _lg0: __typename } }',
    ],
    [
      'a fragment that changes is copied inline; unused fragments are dropped',
      '{ a: owner(id: 1) { ...O } b: owner(id: 2) { ...O } } fragment O on Owner { name email }',
      '{ a: owner(id: 1) { ... on Owner { name _lg0: __typename } } b: owner(id: 2) { ... on Owner { name _lg1: __typename } } }',
    ],
    [
      'nested fragments are copied along the changed path only',
      `{ owners { ...A } } fragment A on Owner { name pets { ...B } }
       fragment B on Animal { ...C ...N } fragment C on Animal { notes } fragment N on Animal { name }`,
      `{ owners { ... on Owner { name pets { ... on Animal { ... on Animal { _lg0: __typename } ...N } } } } }
       fragment N on Animal { name }`,
    ],
    [
      'only the denied coordinate at a shared response key goes',
      '{ pals { ... on Cat { x: lives name } ... on Dog { x: barkVolume } } }',
      '{ pals { ... on Cat { name _lg0: __typename } ... on Dog { x: barkVolume } } }',
    ],
    [
      'an interface requirement is pruned through ... on Concrete',
      '{ animals { name ... on Dog { notes barkVolume } } }',
      '{ animals { name ... on Dog { barkVolume _lg0: __typename } } }',
    ],
    ['nothing denied: the same document', '{ owner(id: 1) { name } }', '{ owner(id: 1) { name } }'],
  ])('%s', (_, source, expected) => {
    expectPruned(source, expected);
  });

  it('does not over-prune a fragment used where nothing is denied', () => {
    const source = `query($on: Boolean!) { a: owner(id: 1) @include(if: $on) { ...O } b: owner(id: 2) { ...O } }
      fragment O on Owner { name email }`;
    expectPruned(
      source,
      `query($on: Boolean!) { a: owner(id: 1) @include(if: $on) { ...O } b: owner(id: 2) { ... on Owner { name _lg0: __typename } } }
       fragment O on Owner { name email }`,
      subject(),
      { on: false },
    );
  });

  it('keeps the spread directives on the inline copy', () => {
    expectPruned(
      'query($on: Boolean!) { owner(id: 1) { ...O @include(if: $on) } } fragment O on Owner { name email }',
      'query($on: Boolean!) { owner(id: 1) { ... on Owner @include(if: $on) { name _lg0: __typename } } }',
      subject(),
      { on: true },
    );
  });

  it('drops variable definitions only the removed selections used', () => {
    expectPruned(
      'query($on: Boolean!, $id: ID!) { owner(id: $id) { name email @include(if: $on) } }',
      'query($id: ID!) { owner(id: $id) { name _lg0: __typename } }',
      subject(),
      { on: true, id: '1' },
    );
  });

  it('keeps only the chosen operation', () => {
    expectPruned(
      'query A { owner(id: 1) { email } } query B { owner(id: 1) { name } }',
      'query A { owner(id: 1) { _lg0: __typename } }',
      subject(),
      undefined,
      'A',
    );
  });

  it('returns the very same document when nothing is denied', () => {
    const d = doc('{ owner(id: 1) { name } }');
    expect(pruneDocument(petSchema, d, undefined, [])).toBe(d);
  });

  it('chooses a marker prefix no response key of the document starts with', () => {
    expect(placeholderPrefix(doc('{ owner(id: 1) { name } }'))).toBe('_lg');
    expect(placeholderPrefix(doc('{ _lg0: owner(id: 1) { name } }'))).toBe('_lg_');
    expectPruned('{ _lg0: owner(id: 1) { email } }', '{ _lg0: owner(id: 1) { _lg_0: __typename } }');
  });
});
