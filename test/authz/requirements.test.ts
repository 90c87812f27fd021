import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authzDirectivesSDL } from '../../src/authz/directives';
import { andDnf, requirementIndex, simplifyDnf, type Requirement } from '../../src/authz/requirements';
import { petSchema } from './fixture';

const none: Requirement = { authenticated: false, scopes: [], policies: [] };
const req = (r: Partial<Requirement>): Requirement => ({ ...none, ...r });

describe('requirementIndex', () => {
  const index = requirementIndex(petSchema);

  it.each<[string, Requirement]>([
    // own field directive, OR of AND
    ['Owner.email', req({ scopes: [['admin'], ['owner:email']] })],
    ['Owner.phone', req({ scopes: [['owner:read', 'pii']] })],
    // type requirement (object, scalar, enum) applies to the field returning it, through lists
    ['Owner.reviews', req({ scopes: [['reviews:read']] })],
    ['Owner.ssn', req({ scopes: [['secret']] })],
    ['Dog.mood', req({ authenticated: true })],
    ['Dog.records', req({ authenticated: true })],
    ['VetRecord.diagnosis', req({ scopes: [['vet']] })],
    // field AND type, type requirement held in an extension node: (stats:read OR admin) AND stats:detail
    ['Query.stats', req({ scopes: [['admin', 'stats:detail'], ['stats:detail', 'stats:read']] })],
    ['Query.audit', req({ policies: [['audit'], ['oncall', 'staff']] })],
    ['Query.me', req({ authenticated: true })],
    // interface field requirement holds on every implementation (downwards)
    ['Dog.notes', req({ scopes: [['vet']] })],
    ['Cat.notes', req({ scopes: [['vet']] })],
    // a field on an interface carries every implementation's requirement (upwards)
    ['Animal.notes', req({ scopes: [['vet']] })],
    // abstract return types carry every possible type's requirement
    ['Query.search', req({ scopes: [['reviews:read']] })],
    ['Query.node', req({ scopes: [['reviews:read']] })],
    // a root type's own requirement (here from `extend type Mutation`) applies to its fields
    ['Mutation.adopt', req({ authenticated: true })],
  ])('%s', (coordinate, expected) => {
    expect(index.get(coordinate)).toEqual(expected);
  });

  it.each(['Query.animals', 'Query.pals', 'Animal.name', 'Dog.barkVolume', 'Owner.name', 'Query.owner', 'Review.rating'])(
    '%s has no requirement',
    (coordinate) => {
      expect(index.has(coordinate)).toBe(false);
    },
  );

  it('gives a field resolved through another field (@resolveTo) that field\'s requirement, transitively and through cycles', () => {
    const linked = buildSchema(`${authzDirectivesSDL}
      directive @resolveTo(sourceName: String, sourceTypeName: String!, sourceFieldName: String!) on FIELD_DEFINITION
      type Query {
        petById(id: ID!): Pet @requiresScopes(scopes: [["pet:read"]])
        reviewsOf(id: ID!): [Review!]! @authenticated
      }
      type Pet { name: String reviews: [Review!]! @resolveTo(sourceTypeName: "Query", sourceFieldName: "reviewsOf") }
      type Review {
        text: String
        pet: Pet @resolveTo(sourceTypeName: "Query", sourceFieldName: "petById")
        again: Review @resolveTo(sourceTypeName: "Review", sourceFieldName: "again")
      }
    `);
    const linkedIndex = requirementIndex(linked);
    expect(linkedIndex.get('Review.pet')).toEqual(req({ scopes: [['pet:read']] }));
    expect(linkedIndex.get('Pet.reviews')).toEqual(req({ authenticated: true }));
    expect(linkedIndex.has('Review.again')).toBe(false);
  });

  it('is built once per schema', () => {
    expect(requirementIndex(petSchema)).toBe(index);
  });

  it('propagates an implementation field requirement up to the interface field', () => {
    const schema = buildSchema(`${authzDirectivesSDL}
      type Query { a: A }
      interface A { x: Int }
      type B implements A { x: Int @requiresScopes(scopes: [["b"]]) }
      type C implements A { x: Int @requiresScopes(scopes: [["c1"], ["c2"]]) }`);
    expect(requirementIndex(schema).get('A.x')).toEqual(req({ scopes: [['b', 'c1'], ['b', 'c2']] }));
    expect(requirementIndex(schema).has('B.x')).toBe(true);
    expect(requirementIndex(schema).get('C.x')).toEqual(req({ scopes: [['c1'], ['c2']] }));
  });

  it('applies an interface type requirement to fields returning an implementation', () => {
    const schema = buildSchema(`${authzDirectivesSDL}
      type Query { b: B }
      interface A @authenticated { x: Int }
      type B implements A { x: Int }`);
    expect(requirementIndex(schema).get('Query.b')).toEqual(req({ authenticated: true }));
  });

  it('reads the federation-namespaced names a supergraph uses', () => {
    const schema = buildSchema(`
      directive @federation__requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
      directive @federation__authenticated on FIELD_DEFINITION | OBJECT
      type Query { a: Int @federation__requiresScopes(scopes: [["x"]]) b: Int @federation__authenticated }`);
    expect(requirementIndex(schema).get('Query.a')).toEqual(req({ scopes: [['x']] }));
    expect(requirementIndex(schema).get('Query.b')).toEqual(req({ authenticated: true }));
  });

  it('coerces single values to lists the way GraphQL input coercion does', () => {
    const schema = buildSchema(
      `${authzDirectivesSDL} type Query { a: Int @requiresScopes(scopes: "x") b: Int @requiresScopes(scopes: ["x", "y"]) }`,
    );
    expect(requirementIndex(schema).get('Query.a')).toEqual(req({ scopes: [['x']] }));
    expect(requirementIndex(schema).get('Query.b')).toEqual(req({ scopes: [['x'], ['y']] }));
  });

  it.each([
    ['an empty scope list', '@requiresScopes(scopes: [])'],
    ['a non-string scope', '@requiresScopes(scopes: [[1]])'],
    ['a missing argument', '@policy'],
  ])('refuses %s with a TypeError', (_, usage) => {
    const schema = buildSchema(`${authzDirectivesSDL} type Query { a: Int ${usage} }`, { assumeValidSDL: true });
    expect(() => requirementIndex(schema)).toThrow(TypeError);
  });
});

describe('DNF algebra', () => {
  it.each<[string[][], string[][], string[][]]>([
    [[], [['a']], [['a']]],
    [[['a'], ['b']], [['c']], [['a', 'c'], ['b', 'c']]],
    [[['a'], ['b']], [['a']], [['a']]], // (a or b) and a = a
    [[['a', 'b']], [['b', 'a']], [['a', 'b']]],
  ])('%j AND %j = %j', (a, b, expected) => {
    expect(andDnf(a, b)).toEqual(expected);
  });

  it('absorbs supersets and treats an empty clause as always true', () => {
    expect(simplifyDnf([['a', 'b'], ['a'], ['c', 'a']])).toEqual([['a']]);
    expect(simplifyDnf([['a'], []])).toEqual([]);
  });
});
