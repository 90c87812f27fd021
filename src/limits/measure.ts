import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { orderFragments, pickOperation, type OrderedDocument } from '../cost/fragment-order';

/** What the limits read from one operation, fragments expanded as execution would expand them. */
export interface OperationMeasures {
  /** graphql-depth-limit's depth: nesting of fields below the root ({ a { b } } is 1); __ fields ignored. */
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  /** Field occurrences with fragments expanded: the work a naive recursive walk would do. */
  expandedFields: number;
  /** Cyclic or unknown fragment spreads (the document is invalid; validation will say so). */
  brokenSpreads: number;
}

interface Local {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  fields: number;
  spreads: Array<{ position: number; level: number; depthIgnored: boolean }>;
}

/** One definition's own counts and where it spreads fragments: an explicit stack, no recursion. */
function measureLocal(root: SelectionSetNode, ordered: OrderedDocument, local: Local): number {
  let broken = 0;
  const stack: Array<{ set: SelectionSetNode; level: number; ignored: boolean }> = [{ set: root, level: 0, ignored: false }];
  while (stack.length > 0) {
    const { set, level, ignored } = stack.pop()!;
    for (const selection of set.selections) {
      local.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        local.fields++;
        if (selection.alias) local.aliases++;
        if (level === 0) local.rootFields++;
        // graphql-depth-limit skips introspection fields and everything below them.
        const skip = ignored || selection.name.value.startsWith('__');
        if (!skip && level > local.depth) local.depth = level;
        if (selection.selectionSet) stack.push({ set: selection.selectionSet, level: level + 1, ignored: skip });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        stack.push({ set: selection.selectionSet, level, ignored });
      } else {
        const name = selection.name.value;
        const position = ordered.position.get(name);
        if (position === undefined || ordered.cyclic.has(name)) broken++;
        else local.spreads.push({ position, level, depthIgnored: ignored });
      }
    }
  }
  return broken;
}

const ZERO: OperationMeasures = { depth: 0, aliases: 0, rootFields: 0, directives: 0, expandedFields: 0, brokenSpreads: 0 };

/**
 * Measures the chosen operation in one pass over each definition; every fragment is measured
 * once and its totals reused per spread, so fan-out (a fragment spreading the previous one twice,
 * thousands deep) is priced exactly, up to Infinity, in linear time.
 */
export function measureOperation(document: DocumentNode, operationName?: string | null): OperationMeasures & { ordered?: OrderedDocument } {
  const picked = pickOperation(document, operationName);
  if (!picked.ok) return { ...ZERO };
  const ordered = orderFragments(document, picked.operation);
  const totals: OperationMeasures[] = [];
  let brokenSpreads = 0;
  const combine = (definition: OperationDefinitionNode | FragmentDefinitionNode): OperationMeasures => {
    const local: Local = { depth: 0, aliases: 0, rootFields: 0, directives: definition.directives?.length ?? 0, fields: 0, spreads: [] };
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      for (const variable of definition.variableDefinitions ?? []) local.directives += variable.directives?.length ?? 0;
    }
    brokenSpreads += measureLocal(definition.selectionSet, ordered, local);
    const total: OperationMeasures = {
      depth: local.depth, aliases: local.aliases, rootFields: local.rootFields, directives: local.directives,
      expandedFields: local.fields, brokenSpreads: 0,
    };
    for (const spread of local.spreads) {
      const inner = totals[spread.position];
      total.aliases += inner.aliases;
      total.directives += inner.directives;
      total.expandedFields += inner.expandedFields;
      if (spread.level === 0) total.rootFields += inner.rootFields;
      if (!spread.depthIgnored) total.depth = Math.max(total.depth, spread.level + inner.depth);
    }
    return total;
  };
  for (const fragment of ordered.fragments) totals.push(combine(fragment));
  const result = combine(picked.operation);
  return { ...result, brokenSpreads, ordered };
}
