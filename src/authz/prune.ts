import {
  getNamedType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { gatewayError } from '../errors';
import type { DeniedSelection } from './analyze-access';

const prefixCache = new WeakMap<DocumentNode, string>();

/**
 * Alias prefix of the `__typename` markers pruning inserts: marker k (`prefix + k`) stands where
 * denied selection k was removed. It tells `applyDenials` exactly which objects would have
 * carried the field (type conditions and include/skip applied by execution itself) and keeps
 * emptied selection sets valid. Chosen so that no response key of the document starts with it.
 */
export function placeholderPrefix(document: DocumentNode): string {
  let prefix = prefixCache.get(document);
  if (prefix === undefined) {
    const keys: string[] = [];
    collectKeys(document, keys);
    prefix = '_lg';
    while (keys.some((k) => k.startsWith(prefix as string))) prefix += '_';
    prefixCache.set(document, prefix);
  }
  return prefix;
}

function collectKeys(document: DocumentNode, keys: string[]): void {
  const pending: SelectionSetNode[] = [];
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) pending.push(d.selectionSet);
  }
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) keys.push(s.alias?.value ?? s.name.value);
      if (s.kind !== Kind.FRAGMENT_SPREAD && s.selectionSet) pending.push(s.selectionSet);
    }
  }
}

interface Pruning {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  prefix: string;
  /** "path coordinate" -> index of the first denied selection with that path and coordinate. */
  deniedAt: Map<string, number>;
  /** Paths (joined) that have a denied selection at or below them. */
  above: Set<string>;
  fragmentStack: Set<string>;
}

/**
 * The chosen operation without the denied selections, in every spelling: a fragment is copied
 * inline where its content must change, so a use elsewhere keeps the original. Returns a document
 * holding only that operation and the fragments it still uses. Throws BAD_REQUEST when the
 * operation cannot be chosen.
 */
export function pruneDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  denied: ReadonlyArray<DeniedSelection>,
): DocumentNode {
  if (denied.length === 0) return document;
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) throw gatewayError('BAD_REQUEST', 'The operation to run cannot be determined');
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const ctx: Pruning = {
    schema,
    fragments,
    prefix: placeholderPrefix(document),
    deniedAt: new Map(),
    above: new Set(),
    fragmentStack: new Set(),
  };
  denied.forEach((d, k) => {
    const id = `${d.path.join('.')} ${d.coordinate}`;
    if (!ctx.deniedAt.has(id)) ctx.deniedAt.set(id, k);
    for (let i = 0; i < d.path.length; i++) ctx.above.add(d.path.slice(0, i).join('.'));
  });
  const selectionSet = pruneSet(ctx, operation.selectionSet, '', rootType);
  const used = usedFragments(selectionSet, fragments);
  // A variable used only by removed selections must go too, or the document fails validation.
  const variables = usedVariables([selectionSet, ...[...used].map((name) => (fragments.get(name) as FragmentDefinitionNode).selectionSet)]);
  const variableDefinitions = operation.variableDefinitions?.filter((v) => variables.has(v.variable.name.value));
  const pruned = { ...operation, variableDefinitions, selectionSet };
  const definitions: DefinitionNode[] = [];
  for (const d of document.definitions) {
    if (d === operation) definitions.push(pruned);
    else if (d.kind === Kind.FRAGMENT_DEFINITION && used.has(d.name.value)) definitions.push(d);
  }
  // No `loc`: the pruned document must not be mistaken for the original source text by a cache.
  return { kind: Kind.DOCUMENT, definitions };
}

function pruneSet(ctx: Pruning, set: SelectionSetNode, pathKey: string, parentType: GraphQLCompositeType): SelectionSetNode {
  if (!ctx.above.has(pathKey)) return set;
  let changed = false;
  const out: SelectionNode[] = [];
  const markers: number[] = [];
  for (const selection of set.selections) {
    let next: SelectionNode = selection;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const childKey = pathKey === '' ? (selection.alias?.value ?? name) : `${pathKey}.${selection.alias?.value ?? name}`;
      const k = ctx.deniedAt.get(`${childKey} ${parentType.name}.${name}`);
      if (k !== undefined) {
        changed = true;
        if (!markers.includes(k)) markers.push(k);
        continue;
      }
      const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
      const named = field && getNamedType(field.type);
      if (selection.selectionSet && named && isCompositeType(named)) {
        const inner = pruneSet(ctx, selection.selectionSet, childKey, named);
        if (inner !== selection.selectionSet) next = { ...selection, selectionSet: inner };
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? ctx.schema.getType(selection.typeCondition.name.value) : parentType;
      if (type && isCompositeType(type)) {
        const inner = pruneSet(ctx, selection.selectionSet, pathKey, type);
        if (inner !== selection.selectionSet) next = { ...selection, selectionSet: inner };
      }
    } else {
      const name = selection.name.value;
      const fragment = ctx.fragments.get(name);
      const type = fragment && ctx.schema.getType(fragment.typeCondition.name.value);
      if (fragment && type && isCompositeType(type) && !ctx.fragmentStack.has(name)) {
        ctx.fragmentStack.add(name);
        const inner = pruneSet(ctx, fragment.selectionSet, pathKey, type);
        ctx.fragmentStack.delete(name);
        if (inner !== fragment.selectionSet) {
          // Copied inline: the fragment itself stays intact for its other uses.
          next = {
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: fragment.typeCondition,
            directives: selection.directives,
            selectionSet: inner,
          };
        }
      }
    }
    if (next !== selection) changed = true;
    out.push(next);
  }
  if (!changed) return set;
  for (const k of markers) out.push(marker(`${ctx.prefix}${k}`));
  return { ...set, selections: out };
}

function marker(alias: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: '__typename' } };
}

function usedVariables(sets: SelectionSetNode[]): Set<string> {
  const names = new Set<string>();
  for (const set of sets) {
    visit(set, {
      Variable(node) {
        names.add(node.name.value);
      },
    });
  }
  return names;
}

function usedFragments(root: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): Set<string> {
  const used = new Set<string>();
  const pending = [root];
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const s of set.selections) {
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(s.name.value);
        if (f && !used.has(f.name.value)) {
          used.add(f.name.value);
          pending.push(f.selectionSet);
        }
      } else if (s.selectionSet) pending.push(s.selectionSet);
    }
  }
  return used;
}
