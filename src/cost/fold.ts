import type { GraphQLError } from 'graphql';
import type { AnalysedField, AnalysedItem, AnalysedOperation, AnalysedSelection } from './analyse';
import { isIncluded, withDefaults, type VariableValues } from './values';

/** What a field rule sees while an operation is folded into one number. */
export interface FoldContext {
  readonly operation: AnalysedOperation;
  /** The request's variables with the operation's defaults applied. */
  readonly variables: VariableValues;
  readonly errors: GraphQLError[];
  /** Value of a child selection set (0 for none); fragment spreads read their memoised value. */
  selection(selection: AnalysedSelection | null): number;
}

/** A model's price for one field occurrence, children included (via `ctx.selection`). */
export type FieldRule = (field: AnalysedField, ctx: FoldContext) => number;

export interface FoldOptions {
  /** Called with each field's path and value when a per-path breakdown is wanted. */
  record?: (path: string, value: number) => void;
  errors?: GraphQLError[];
}

/**
 * Folds an analysed operation with a field rule. Every fragment is valued once, in dependency
 * order, and each spread reads that value: the work is linear in the document, however often a
 * fragment is spread. Abstract selections take the largest sum over the possible types.
 */
export function foldOperation(
  operation: AnalysedOperation,
  variables: VariableValues | null | undefined,
  rule: FieldRule,
  options: FoldOptions = {},
): { value: number; errors: GraphQLError[] } {
  const errors = options.errors ?? [];
  const record = options.record;
  const memo = new Float64Array(operation.fragments.length);
  const vars = withDefaults(variables, operation.variableDefaults);

  const itemValue = (item: AnalysedItem): number => {
    if (item.kind === 'field') {
      const field = item.field;
      if (!isIncluded(field.condition, vars)) return 0;
      const value = rule(field, ctx);
      if (record) record(field.path, value);
      return value;
    }
    if (!isIncluded(item.condition, vars)) return 0;
    return item.kind === 'spread' ? memo[item.fragment] : selection(item.selection);
  };

  const selection = (set: AnalysedSelection | null): number => {
    if (!set) return 0;
    let total = 0;
    const items = set.items;
    for (let i = 0; i < items.length; i++) total += itemValue(items[i]);
    if (set.groups.length === 0) return total;
    const groupValues = set.groups.map((group) => itemValue(group.item));
    let best = 0;
    for (const combo of set.combos) {
      let sum = 0;
      for (const i of combo) sum += groupValues[i];
      if (sum > best) best = sum;
    }
    return total + best;
  };

  const ctx: FoldContext = { operation, variables: vars, errors, selection };
  for (let i = 0; i < operation.fragments.length; i++) memo[i] = selection(operation.fragments[i].selection);
  return { value: selection(operation.root), errors };
}
