import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLEnumType,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
} from 'graphql';
import { compileChecks, type Check } from './compile-checks';
import { directiveArgs, simpleSanitize } from './http-operation';
import type { NormalizedOpenApiConstraintOptions } from './options';
import type { ArgumentConstraints, FlatSchema } from './rules';

/**
 * The compiled form of one value position: the checks on the value itself, the keys an object
 * must hold, the properties and list items below it. Recursive input types give a cyclic graph,
 * which validation walks only as deep as the value goes.
 */
export interface ConstraintNode {
  readonly constraints: ArgumentConstraints;
  readonly checks: ReadonlyArray<Check>;
  /** Keys checked for presence: required by the document and nullable in GraphQL. */
  required: Array<{ readonly key: string; readonly nullable: boolean }>;
  /** Every key the document requires, for the constraint table (GraphQL enforces the non-null ones). */
  declaredRequired: string[];
  props: Array<readonly [string, ConstraintNode]>;
  items: ConstraintNode | undefined;
}

export const emptyNode = (): ConstraintNode => ({
  constraints: {},
  checks: [],
  required: [],
  declaredRequired: [],
  props: [],
  items: undefined,
});

/** Records a required key; a non-null GraphQL type already guarantees it, so no check is kept. */
export function requireKey(node: ConstraintNode, key: string, type: GraphQLInputType | undefined, nullable: boolean): void {
  node.declaredRequired.push(key);
  if (!type || !isNonNullType(type)) node.required.push({ key, nullable });
}

/** Accepted stand-ins for OpenAPI enum members: the GraphQL value names (and values) Mesh made. */
function enumAliases(type: GraphQLEnumType, members: ReadonlyArray<unknown>): unknown[] {
  const wanted = new Set(members.map(String));
  const aliases: unknown[] = [];
  for (const value of type.getValues()) {
    // Mesh writes the original member as JSON in @enum(value:) when it had to rename it.
    let original: unknown = value.name;
    const raw = directiveArgs(value as unknown as GraphQLInputField, 'enum')[0]?.value;
    if (typeof raw === 'string') {
      try {
        original = JSON.parse(raw);
      } catch {
        original = raw;
      }
    }
    if (wanted.has(String(original))) aliases.push(value.name, value.value);
  }
  return aliases;
}

/** GraphQL input field for an OpenAPI property: same name, @resolveRootField, or Mesh's rename. */
function inputFieldFor(type: GraphQLInputObjectType, property: string): string | undefined {
  const fields = type.getFields();
  if (fields[property]) return property;
  for (const field of Object.values(fields)) {
    if (directiveArgs(field, 'resolveRootField').some((a) => a.field === property)) return field.name;
  }
  const sanitized = simpleSanitize(property);
  return fields[sanitized] ? sanitized : undefined;
}

/** Builds constraint nodes for schema/type pairs, sharing one node per pair so cycles close. */
export class ConstraintGraphBuilder {
  private readonly objects = new Map<FlatSchema, Map<string, ConstraintNode>>();
  readonly all: ConstraintNode[] = [];

  constructor(
    private readonly options: NormalizedOpenApiConstraintOptions,
    private readonly warn: (path: string, message: string) => void,
  ) {}

  /** `type` undefined means an untyped position (a JSON scalar): properties match by name. */
  node(flat: FlatSchema | undefined, type: GraphQLInputType | undefined, path: string): ConstraintNode {
    if (!flat) return emptyNode();
    const inner = type ? getNullableType(type) : undefined;
    if (inner && isListType(inner) && !flat.isArray) {
      // A GraphQL list over a non-array schema: the constraints are the items'.
      const list = this.track(emptyNode());
      list.items = this.node(flat, inner.ofType, `${path}[]`);
      return list;
    }
    if (flat.isArray) {
      const list = this.track(this.leaf(flat, undefined, path));
      list.items = this.node(flat.items, inner && isListType(inner) ? inner.ofType : undefined, `${path}[]`);
      return list;
    }
    if (flat.properties.size === 0 && flat.required.size === 0) return this.track(this.leaf(flat, inner, path));
    const objectType = inner && isInputObjectType(inner) ? inner : undefined;
    const key = objectType?.name ?? '#untyped';
    let byType = this.objects.get(flat);
    if (!byType) this.objects.set(flat, (byType = new Map()));
    const cached = byType.get(key);
    if (cached) return cached;
    const node = this.track(this.leaf(flat, inner, path));
    byType.set(key, node);
    for (const [property, child] of flat.properties) {
      const name = objectType ? inputFieldFor(objectType, property) : property;
      if (name === undefined) {
        this.warn(`${path}.${property}`, 'property has no GraphQL input field: not checked');
        continue;
      }
      const fieldType = objectType ? objectType.getFields()[name]!.type : undefined;
      node.props.push([name, this.node(child, fieldType, `${path}.${name}`)]);
      if (flat.required.has(property)) requireKey(node, name, fieldType, child?.nullable ?? false);
    }
    return node;
  }

  private track(node: ConstraintNode): ConstraintNode {
    this.all.push(node);
    return node;
  }

  private leaf(flat: FlatSchema, type: GraphQLInputType | undefined, path: string): ConstraintNode {
    for (const note of flat.notes) this.warn(path, note);
    const aliases = type && isEnumType(type) && flat.constraints.enum ? enumAliases(type, flat.constraints.enum) : undefined;
    const checks = compileChecks(
      flat.constraints,
      {
        maxPatternInputLength: this.options.maxPatternInputLength,
        refuseNestedQuantifiers: this.options.refuseNestedQuantifiers,
        enumAliases: aliases,
      },
      (note) => this.warn(path, note),
    );
    return { ...emptyNode(), constraints: flat.constraints, checks };
  }
}

/**
 * Drops the parts of the graph that can never report anything, so validation walks only
 * positions with a rule below them. Iterates to a fixpoint because cycles defeat one pass.
 */
export function pruneGraph(nodes: ReadonlyArray<ConstraintNode>): Set<ConstraintNode> {
  const live = new Set<ConstraintNode>();
  for (const n of nodes) if (n.checks.length > 0 || n.required.length > 0) live.add(n);
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of nodes) {
      if (live.has(n)) continue;
      if ((n.items && live.has(n.items)) || n.props.some(([, c]) => live.has(c))) {
        live.add(n);
        changed = true;
      }
    }
  }
  for (const n of nodes) {
    n.props = n.props.filter(([, c]) => live.has(c));
    if (n.items && !live.has(n.items)) n.items = undefined;
  }
  return live;
}
