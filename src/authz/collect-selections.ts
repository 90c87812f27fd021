import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { gatewayError } from '../errors';

/** An include/skip test on a variable: holds when the variable's value equals `expect`. */
export interface VariableCondition {
  readonly name: string;
  readonly expect: boolean;
}

/** All conditions must hold. */
export type Conjunction = ReadonlyArray<VariableCondition>;

/** One field as the response will carry it: a response path and the coordinate that fills it. */
export interface SelectedField {
  /** Response keys from the root. */
  readonly path: readonly string[];
  /** "ParentType.field", the parent type being the innermost type condition or the field's type. */
  readonly coordinate: string;
  readonly fieldType: GraphQLOutputType;
  /** `__schema` or `__type`. */
  readonly introspection: boolean;
  /** Selected when any conjunction holds (conditions from the root down); undefined = always. */
  readonly when: ReadonlyArray<Conjunction> | undefined;
  /** Index just past this field's subtree in the flat array (fields are in depth-first order). */
  readonly end: number;
}

interface TreeNode {
  path: readonly string[];
  coordinate: string;
  fieldType: GraphQLOutputType;
  introspection: boolean;
  always: boolean;
  when: Map<string, Conjunction>;
  children: Map<string, TreeNode>;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  visited: number;
  maxExpandedFields: number;
}

const NEVER = null;

/**
 * Expands one operation's selection set the way execution merges it: by response key and
 * coordinate, through fragments wherever they are defined, keeping for each field the variable
 * conditions (absolute, from the root) under which it is selected. Literal `@include`/`@skip`
 * are settled here; variables are left for the per-request evaluation.
 */
export function collectSelections(
  schema: GraphQLSchema,
  rootType: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyArray<FragmentDefinitionNode>,
  maxExpandedFields: number,
): SelectedField[] {
  const walk: Walk = {
    schema,
    fragments: new Map(fragments.map((f) => [f.name.value, f])),
    visited: 0,
    maxExpandedFields,
  };
  const root = newNode([], '', rootType as GraphQLOutputType, false);
  visit(walk, selectionSet, rootType, root, [], new Set());
  const flat: SelectedField[] = [];
  flatten(root, flat);
  return flat;
}

function newNode(path: readonly string[], coordinate: string, fieldType: GraphQLOutputType, introspection: boolean): TreeNode {
  return { path, coordinate, fieldType, introspection, always: false, when: new Map(), children: new Map() };
}

function visit(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parentType: GraphQLCompositeType,
  parent: TreeNode,
  conj: Conjunction,
  fragmentStack: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    const here = withDirectives(conj, selection.directives);
    if (here === NEVER) continue;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue; // always allowed, never pruned
      if (++walk.visited > walk.maxExpandedFields) {
        // Fragments spread inside fragments can multiply a small document; refuse instead of hanging.
        throw gatewayError('REQUEST_TOO_LARGE', 'The operation selects too many fields once fragments are expanded');
      }
      const introspection = name === '__schema' || name === '__type';
      const field = introspection
        ? introspectionField(walk.schema, name)
        : isObjectType(parentType) || isInterfaceType(parentType)
          ? parentType.getFields()[name]
          : undefined;
      if (!field) continue; // invalid documents never execute; validation reports them
      const key = selection.alias?.value ?? name;
      const coordinate = `${parentType.name}.${name}`;
      const id = `${key} ${coordinate}`;
      let node = parent.children.get(id);
      if (!node) {
        node = newNode([...parent.path, key], coordinate, field.type, introspection);
        parent.children.set(id, node);
      }
      if (here.length === 0) {
        node.always = true;
        node.when.clear();
      } else if (!node.always) node.when.set(conjunctionKey(here), here);
      const named = getNamedType(field.type);
      if (selection.selectionSet && !introspection && isCompositeType(named)) {
        visit(walk, selection.selectionSet, named, node, here, fragmentStack);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parentType;
      if (type && isCompositeType(type)) visit(walk, selection.selectionSet, type, parent, here, fragmentStack);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || fragmentStack.has(name)) continue; // unknown or cyclic: invalid, never executes
      const type = walk.schema.getType(fragment.typeCondition.name.value);
      if (!type || !isCompositeType(type)) continue;
      const inner = withDirectives(here, fragment.directives);
      if (inner === NEVER) continue;
      fragmentStack.add(name);
      visit(walk, fragment.selectionSet, type, parent, inner, fragmentStack);
      fragmentStack.delete(name);
    }
  }
}

function introspectionField(schema: GraphQLSchema, name: string) {
  // graphql-js does not list meta fields in getFields(); their types are fixed by the spec.
  return name === '__schema' ? { type: schema.getType('__Schema') as GraphQLOutputType } : { type: schema.getType('__Type') as GraphQLOutputType };
}

/** Adds the include/skip conditions of `directives`; NEVER when they statically exclude. */
function withDirectives(conj: Conjunction, directives: ReadonlyArray<DirectiveNode> | undefined): Conjunction | typeof NEVER {
  let out = conj;
  for (const d of directives ?? []) {
    const include = d.name.value === 'include';
    if (!include && d.name.value !== 'skip') continue;
    const value = d.arguments?.find((a) => a.name.value === 'if')?.value;
    if (!value) continue;
    if (value.kind === Kind.BOOLEAN) {
      if (value.value !== include) return NEVER;
      continue;
    }
    if (value.kind !== Kind.VARIABLE) continue;
    const name = value.name.value;
    const existing = out.find((c) => c.name === name);
    if (existing) {
      if (existing.expect !== include) return NEVER; // needs $v both true and false
      continue;
    }
    out = [...out, { name, expect: include }];
  }
  return out;
}

function conjunctionKey(conj: Conjunction): string {
  return conj
    .map((c) => `${c.expect ? '+' : '-'}${c.name}`)
    .sort()
    .join(',');
}

function flatten(node: TreeNode, out: SelectedField[]): void {
  for (const child of node.children.values()) {
    const at = out.length;
    out.push(undefined as unknown as SelectedField); // reserved; filled once the subtree's end is known
    flatten(child, out);
    out[at] = {
      path: child.path,
      coordinate: child.coordinate,
      fieldType: child.fieldType,
      introspection: child.introspection,
      when: child.always ? undefined : [...child.when.values()],
      end: out.length,
    };
  }
}
