import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The operation to analyse and the fragments it reaches, dependencies first. */
export interface OrderedDocument {
  operation: OperationDefinitionNode;
  /** Reachable fragments in an order where every fragment comes after the ones it spreads. */
  fragments: FragmentDefinitionNode[];
  /** Fragment name -> position in `fragments`. */
  position: ReadonlyMap<string, number>;
  /** Names on a spread cycle (an invalid document): analyses treat their spreads as empty. */
  cyclic: ReadonlySet<string>;
  /** Spread names with no definition. */
  unknown: ReadonlySet<string>;
  /** Deepest nesting of selection sets inside any one definition (fragments not followed). */
  localNesting: number;
}

export type OperationPick = { ok: true; operation: OperationDefinitionNode } | { ok: false; reason: 'unknown' | 'ambiguous' };

/** Chooses the operation the way graphql-js execution does. */
export function pickOperation(document: DocumentNode, operationName?: string | null): OperationPick {
  let found: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName == null) {
      if (found) return { ok: false, reason: 'ambiguous' };
      found = definition;
    } else if (definition.name?.value === operationName) {
      return { ok: true, operation: definition };
    }
  }
  return found ? { ok: true, operation: found } : { ok: false, reason: 'unknown' };
}

/** Spread names directly inside one selection set, and its deepest nesting: an explicit stack, no recursion. */
function directSpreads(root: SelectionSetNode): { spreads: string[]; nesting: number } {
  const spreads: string[] = [];
  let nesting = 0;
  const stack: Array<[SelectionSetNode, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [set, level] = stack.pop()!;
    if (level > nesting) nesting = level;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) spreads.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) stack.push([selection.selectionSet, level]);
      else if (selection.selectionSet) stack.push([selection.selectionSet, level + 1]);
    }
  }
  return { spreads, nesting };
}

/**
 * Orders the fragments an operation reaches so each can be analysed once and reused by every
 * spread. Iterative depth-first search: a chain of thousands of fragments cannot overflow the
 * stack, and a cycle is reported instead of followed.
 */
export function orderFragments(document: DocumentNode, operation: OperationDefinitionNode): OrderedDocument {
  const definitions = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION && !definitions.has(definition.name.value)) {
      definitions.set(definition.name.value, definition);
    }
  }
  const spreadsOf = new Map<string, string[]>();
  const root = directSpreads(operation.selectionSet);
  let localNesting = root.nesting;
  const unknown = new Set<string>();
  const cyclic = new Set<string>();
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  const fragments: FragmentDefinitionNode[] = [];
  const position = new Map<string, number>();

  const stack: Array<{ name: string; next: number }> = [];
  const enter = (name: string): void => {
    const definition = definitions.get(name);
    if (!definition) {
      unknown.add(name);
      return;
    }
    const seen = state.get(name);
    if (seen === 2) return;
    if (seen === 1) {
      // Everything on the stack from the first occurrence of `name` is on the cycle.
      for (let i = stack.length - 1; i >= 0; i--) {
        cyclic.add(stack[i].name);
        if (stack[i].name === name) break;
      }
      return;
    }
    state.set(name, 1);
    const local = directSpreads(definition.selectionSet);
    if (local.nesting > localNesting) localNesting = local.nesting;
    spreadsOf.set(name, local.spreads);
    stack.push({ name, next: 0 });
  };

  for (const name of root.spreads) {
    enter(name);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const children = spreadsOf.get(top.name)!;
      if (top.next < children.length) {
        enter(children[top.next++]);
        continue;
      }
      stack.pop();
      state.set(top.name, 2);
      position.set(top.name, fragments.length);
      fragments.push(definitions.get(top.name)!);
    }
  }
  return { operation, fragments, position, cyclic, unknown, localNesting };
}
