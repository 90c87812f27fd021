import {
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from 'graphql';
import { readDirectives, type DeclaredRequirement, type Dnf } from './directives';

/** Everything a principal must satisfy to read one schema coordinate. */
export interface Requirement {
  /** The principal must be authenticated. */
  readonly authenticated: boolean;
  /** OR of AND: every scope of at least one inner list must be held; [] = no scope needed. */
  readonly scopes: Dnf;
  /** OR of AND over policy names, answered by the policy function; [] = no policy needed. */
  readonly policies: Dnf;
}

/** Coordinate "Type.field" -> combined requirement. Coordinates without any requirement are absent. */
export type RequirementIndex = ReadonlyMap<string, Requirement>;

export const noRequirement: Requirement = Object.freeze({ authenticated: false, scopes: [], policies: [] });

export function isEmptyRequirement(r: Requirement): boolean {
  return !r.authenticated && r.scopes.length === 0 && r.policies.length === 0;
}

/** Both requirements must hold. */
export function andRequirements(a: Requirement, b: Requirement): Requirement {
  if (isEmptyRequirement(a)) return b;
  if (isEmptyRequirement(b)) return a;
  return {
    authenticated: a.authenticated || b.authenticated,
    scopes: andDnf(a.scopes, b.scopes),
    policies: andDnf(a.policies, b.policies),
  };
}

/** (A1 or A2) and (B1 or B2) = A1B1 or A1B2 or A2B1 or A2B2, then simplified. */
export function andDnf(a: Dnf, b: Dnf): Dnf {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const product: string[][] = [];
  for (const x of a) for (const y of b) product.push([...x, ...y]);
  return simplifyDnf(product);
}

/**
 * Sorted, deduplicated clauses with supersets absorbed (a OR (a AND b) = a), so repeated ANDs
 * along interfaces and return types stay small. A clause with no member always holds: [] results.
 */
export function simplifyDnf(dnf: ReadonlyArray<ReadonlyArray<string>>): Dnf {
  const clauses = dnf.map((c) => [...new Set(c)].sort());
  if (clauses.some((c) => c.length === 0)) return [];
  clauses.sort((x, y) => x.length - y.length || x.join('\u0000').localeCompare(y.join('\u0000')));
  const kept: string[][] = [];
  for (const clause of clauses) {
    const absorbed = kept.some((k) => k.every((s) => clause.includes(s)));
    if (!absorbed) kept.push(clause);
  }
  return kept;
}

function fromDeclared(d: DeclaredRequirement): Requirement {
  let scopes: Dnf = [];
  for (const s of d.scopes) scopes = scopes.length === 0 ? simplifyDnf(s) : andDnf(scopes, s);
  let policies: Dnf = [];
  for (const p of d.policies) policies = policies.length === 0 ? simplifyDnf(p) : andDnf(policies, p);
  return { authenticated: d.authenticated, scopes, policies };
}

const indexCache = new WeakMap<GraphQLSchema, RequirementIndex>();

/**
 * The combined requirement of every field coordinate, built once per schema: the field's own
 * directives AND those of the same field on each interface its type implements AND the
 * requirement of the type it returns. For an abstract return type the requirement of every
 * possible type is included; for a field asked on an interface, the same field of every
 * implementation. Fields of a root operation type also carry the root type's own requirement,
 * since no field returns a root type. A field resolved through another one (`@resolveTo`) also
 * carries that field's requirement.
 */
export function requirementIndex(schema: GraphQLSchema): RequirementIndex {
  let index = indexCache.get(schema);
  if (!index) {
    index = buildIndex(schema);
    indexCache.set(schema, index);
  }
  return index;
}

function buildIndex(schema: GraphQLSchema): RequirementIndex {
  const ownTypeMemo = new Map<string, Requirement>();
  const typeMemo = new Map<string, Requirement>();

  const ownType = (t: GraphQLNamedType): Requirement => {
    let r = ownTypeMemo.get(t.name);
    if (!r) {
      const lists = [t.astNode?.directives, ...t.extensionASTNodes.map((e) => e.directives)];
      r = fromDeclared(readDirectives(lists, t.name));
      ownTypeMemo.set(t.name, r);
    }
    return r;
  };

  // A type's requirement includes its interfaces' (downwards) and, for abstract types, every
  // possible type's (upwards), so no spelling of the position can avoid either.
  const typeRequirement = (t: GraphQLNamedType): Requirement => {
    let r = typeMemo.get(t.name);
    if (r) return r;
    r = ownType(t);
    if (isObjectType(t)) for (const i of t.getInterfaces()) r = andRequirements(r, ownType(i));
    else if (isInterfaceType(t)) for (const o of schema.getPossibleTypes(t)) r = andRequirements(r, typeRequirement(o));
    else if (isUnionType(t)) for (const o of t.getTypes()) r = andRequirements(r, typeRequirement(o));
    typeMemo.set(t.name, r);
    return r;
  };

  const ownField = (t: GraphQLObjectType | GraphQLInterfaceType, name: string): Requirement => {
    const field = t.getFields()[name];
    if (!field) return noRequirement;
    return fromDeclared(readDirectives([field.astNode?.directives], `${t.name}.${name}`));
  };

  // The field as declared on the type and on every interface the type implements.
  const fieldDownwards = (t: GraphQLObjectType | GraphQLInterfaceType, name: string): Requirement => {
    let r = ownField(t, name);
    for (const i of t.getInterfaces()) r = andRequirements(r, ownField(i, name));
    return r;
  };

  const rootTypes = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null),
  );

  // A field resolved through another field (a link added at composition, `@resolveTo`) reads
  // that field's data, so it needs what that field needs: otherwise `Review.pet` would hand out
  // what `Query.getPetById` refuses. Followed transitively; a cycle of links adds nothing more.
  const delegatedMemo = new Map<string, Requirement>();
  const delegated = (t: GraphQLObjectType | GraphQLInterfaceType, name: string, seen: ReadonlySet<string> = new Set()): Requirement => {
    const coordinate = `${t.name}.${name}`;
    const memo = delegatedMemo.get(coordinate);
    if (memo) return memo;
    const target = resolveToTarget(t.getFields()[name]?.astNode?.directives);
    const targetType = target ? schema.getType(target.typeName) : undefined;
    let r = noRequirement;
    if (target && targetType && (isObjectType(targetType) || isInterfaceType(targetType)) && !seen.has(coordinate)) {
      const next = new Set(seen).add(coordinate);
      r = andRequirements(fieldDownwards(targetType, target.fieldName), delegated(targetType, target.fieldName, next));
      if (isObjectType(targetType) && rootTypes.has(targetType)) r = andRequirements(r, typeRequirement(targetType));
    }
    if (seen.size === 0) delegatedMemo.set(coordinate, r);
    return r;
  };
  const index = new Map<string, Requirement>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      let r = andRequirements(fieldDownwards(type, field.name), delegated(type, field.name));
      if (isInterfaceType(type)) {
        for (const o of schema.getPossibleTypes(type)) r = andRequirements(r, fieldDownwards(o, field.name));
      }
      r = andRequirements(r, typeRequirement(getNamedType(field.type)));
      if (isObjectType(type) && rootTypes.has(type)) r = andRequirements(r, typeRequirement(type));
      if (!isEmptyRequirement(r)) index.set(`${type.name}.${field.name}`, r);
    }
  }
  return index;
}

/** `@resolveTo(sourceTypeName: "Query", sourceFieldName: "getPetById")` -> where the field's data comes from. */
function resolveToTarget(directives: ReadonlyArray<ConstDirectiveNode> | undefined): { typeName: string; fieldName: string } | undefined {
  const directive = directives?.find((d) => d.name.value === 'resolveTo');
  if (!directive) return undefined;
  const arg = (name: string) => {
    const value = directive.arguments?.find((a) => a.name.value === name)?.value;
    return value?.kind === Kind.STRING ? value.value : undefined;
  };
  const typeName = arg('sourceTypeName');
  const fieldName = arg('sourceFieldName');
  return typeName && fieldName ? { typeName, fieldName } : undefined;
}
