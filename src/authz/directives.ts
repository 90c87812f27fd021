import { Kind, type ConstDirectiveNode, type ConstValueNode } from 'graphql';

/**
 * The authorization directives as federation defines them. Add this to a subgraph or policy SDL
 * so that `buildSchema` accepts the usages; the analysis itself reads the AST and does not need
 * the definitions to be present in the composed schema.
 */
export const authzDirectivesSDL = /* GraphQL */ `
directive @authenticated on OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[String!]!]!) on OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM
directive @policy(policies: [[String!]!]!) on OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM
`;

/** A requirement in disjunctive normal form: OR over the outer list, AND inside each inner list. */
export type Dnf = ReadonlyArray<ReadonlyArray<string>>;

/** What the directives on one definition (all its AST nodes together) ask for. */
export interface DeclaredRequirement {
  authenticated: boolean;
  /** Each entry is one directive usage; several usages combine with AND. */
  scopes: Dnf[];
  policies: Dnf[];
}

// A composed supergraph may carry the directives under the federation namespace.
const AUTHENTICATED = new Set(['authenticated', 'federation__authenticated']);
const REQUIRES_SCOPES = new Set(['requiresScopes', 'federation__requiresScopes']);
const POLICY = new Set(['policy', 'federation__policy']);

/**
 * Reads the authorization directives of one definition. `where` names the definition in the
 * TypeError thrown for a usage that cannot be read, because a misread requirement would fail open.
 */
export function readDirectives(
  directiveLists: ReadonlyArray<ReadonlyArray<ConstDirectiveNode> | undefined>,
  where: string,
): DeclaredRequirement {
  const declared: DeclaredRequirement = { authenticated: false, scopes: [], policies: [] };
  for (const list of directiveLists) {
    for (const directive of list ?? []) {
      const name = directive.name.value;
      if (AUTHENTICATED.has(name)) declared.authenticated = true;
      else if (REQUIRES_SCOPES.has(name)) declared.scopes.push(readDnf(directive, 'scopes', where));
      else if (POLICY.has(name)) declared.policies.push(readDnf(directive, 'policies', where));
    }
  }
  return declared;
}

function readDnf(directive: ConstDirectiveNode, argName: string, where: string): Dnf {
  const arg = directive.arguments?.find((a) => a.name.value === argName);
  if (!arg) throw new TypeError(`@${directive.name.value} on ${where} lacks the "${argName}" argument`);
  // Input coercion rules of GraphQL: a single value where a list is expected becomes a list of one.
  const outer = arg.value.kind === Kind.LIST ? arg.value.values : [arg.value];
  if (outer.length === 0) {
    // OR over nothing can never hold; refusing it beats guessing whether "nobody" was meant.
    throw new TypeError(`@${directive.name.value}(${argName}: []) on ${where} can never be satisfied`);
  }
  return outer.map((inner) => (inner.kind === Kind.LIST ? inner.values : [inner]).map((v) => readString(v, directive, where)));
}

function readString(value: ConstValueNode, directive: ConstDirectiveNode, where: string): string {
  if (value.kind !== Kind.STRING) {
    throw new TypeError(`@${directive.name.value} on ${where} holds a ${value.kind} where a string is expected`);
  }
  return value.value;
}
