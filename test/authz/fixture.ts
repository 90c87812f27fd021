import { buildSchema, parse, type DocumentNode } from 'graphql';
import { authzDirectivesSDL } from '../../src/authz/directives';
import type { AccessSubject } from '../../src/authz/analyze-access';

/** A pet shop: interfaces, a union, lists, non-null fields, requirements on fields and types. */
export const petSDL = /* GraphQL */ `
${authzDirectivesSDL}
scalar Secret @requiresScopes(scopes: [["secret"]])
enum Mood @authenticated { HAPPY GRUMPY }

type Query {
  animals: [Animal!]!
  animal(id: ID!): Animal
  dog(id: ID!): Dog
  owners: [Owner!]
  owner(id: ID!): Owner!
  me: Owner @authenticated
  search(term: String!): [SearchResult!]!
  pals: [Pal!]!
  node(id: ID!): Node
  stats: Stats @requiresScopes(scopes: [["stats:read"], ["admin"]])
  audit: String @policy(policies: [["audit"], ["staff", "oncall"]])
}

type Mutation {
  adopt(id: ID!): Dog
}
extend type Mutation @authenticated

interface Node { id: ID! }

interface Animal {
  id: ID!
  name: String!
  notes: String @requiresScopes(scopes: [["vet"]])
  owner: Owner
}

type Dog implements Node & Animal {
  id: ID!
  name: String!
  notes: String
  owner: Owner
  barkVolume: Int
  chip: String! @authenticated
  mood: Mood
  records: [VetRecord!]
}

type Cat implements Node & Animal {
  id: ID!
  name: String!
  notes: String
  owner: Owner
  lives: Int @requiresScopes(scopes: [["cats:lives"]])
}

type Owner implements Node {
  id: ID!
  name: String!
  email: String! @requiresScopes(scopes: [["owner:email"], ["admin"]])
  phone: String @requiresScopes(scopes: [["owner:read", "pii"]])
  ssn: Secret
  pets: [Animal!]!
  reviews: [Review!]
}

type Review implements Node @requiresScopes(scopes: [["reviews:read"]]) {
  id: ID!
  rating: Int!
  author: Owner
}

type VetRecord @authenticated {
  date: String!
  diagnosis: String @requiresScopes(scopes: [["vet"]])
}

type Stats { count: Int! }
extend type Stats @requiresScopes(scopes: [["stats:detail"]])

union SearchResult = Dog | Review
union Pal = Dog | Cat
`;

export const petSchema = buildSchema(petSDL);

/** An authenticated subject holding `scopes`. */
export function subject(...scopes: string[]): AccessSubject {
  return { authenticated: true, scopes: new Set(scopes) };
}

export const anonymous: AccessSubject = { authenticated: false, scopes: new Set() };

const parsed = new Map<string, DocumentNode>();

/** Parses once per text, like the gateway's parse cache, so plan caching is exercised too. */
export function doc(source: string): DocumentNode {
  let d = parsed.get(source);
  if (!d) parsed.set(source, (d = parse(source)));
  return d;
}
