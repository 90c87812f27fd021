import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { AnalysedField, AnalysedOperation, AnalysedSelection } from './analyse';
import { argumentsCost } from './input-cost';
import type { CostOptions } from './options';
import { compileCostPlan, type CostPlan } from './plan';
import { isIncluded, withDefaults, type VariableValues } from './values';

type Json = unknown;

/**
 * Fields that apply to one response object, merged by response key as execution merges them.
 * Each fragment is applied at most once per object (as graphql-js collectFields does), with an
 * explicit stack, so spread chains and repeats stay linear.
 */
function collect(
  operation: AnalysedOperation,
  selections: ReadonlyArray<AnalysedSelection>,
  typeName: string | undefined,
  variables: VariableValues,
): Map<string, AnalysedField[]> {
  const byKey = new Map<string, AnalysedField[]>();
  const visited = new Set<number>();
  const stack = [...selections];
  while (stack.length > 0) {
    const set = stack.pop()!;
    const items = [...set.items];
    for (const group of set.groups) {
      // Without __typename the object's type is unknown: every group counts (an upper bound).
      if (typeName === undefined || group.typeNames.has(typeName)) items.push(group.item);
    }
    for (const item of items) {
      if (item.kind === 'field') {
        if (!isIncluded(item.field.condition, variables)) continue;
        const list = byKey.get(item.field.responseKey);
        if (list) list.push(item.field);
        else byKey.set(item.field.responseKey, [item.field]);
      } else if (isIncluded(item.condition, variables)) {
        if (item.kind === 'inline') stack.push(item.selection);
        else if (!visited.has(item.fragment)) {
          visited.add(item.fragment);
          stack.push(operation.fragments[item.fragment].selection);
        }
      }
    }
  }
  return byKey;
}

/** Told of every list in the response: its field coordinate and its length (for recommendations). */
export type ListObserver = (coordinate: string, size: number) => void;

function objectCost(
  operation: AnalysedOperation,
  selections: AnalysedSelection[],
  value: Json,
  variables: VariableValues,
  depth: number,
  observe: ListObserver | undefined,
): number {
  if (value === null || typeof value !== 'object' || depth > operation.options.maxAnalysisDepth) return 0;
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) sum += objectCost(operation, selections, item, variables, depth, observe);
    return sum;
  }
  const record = value as Record<string, Json>;
  const typeName = typeof record.__typename === 'string' ? record.__typename : undefined;
  let total = 0;
  for (const [key, fields] of collect(operation, selections, typeName, variables)) {
    const info = fields[0].info;
    const inner = record[key];
    if (!info || inner === undefined || inner === null) continue;
    const weight = info.weight ?? info.typeWeight;
    if (observe && Array.isArray(inner)) observe(`${fields[0].parentType}.${fields[0].name}`, inner.length);
    const args = fields[0].weightedArguments.length > 0 ? argumentsCost(fields[0], operation.index, variables) : 0;
    if (info.isLeaf) {
      total += args + weight * (Array.isArray(inner) ? countItems(inner) : 1);
      continue;
    }
    const children = fields.flatMap((f) => (f.selection ? [f.selection] : []));
    total += args + weight * countItems(inner) + objectCost(operation, children, inner, variables, depth + 1, observe);
  }
  return total;
}

/** Non-null items of a (possibly nested) list, or 1 for a single value. */
function countItems(value: Json): number {
  if (!Array.isArray(value)) return value === null ? 0 : 1;
  let n = 0;
  for (const item of value) n += countItems(item);
  return n;
}

export interface ActualCostSource {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  options?: CostOptions;
}

/**
 * Cost of a response under the IBM weights, with the real list lengths: what the budget refunds
 * against. Null objects cost nothing; abstract objects are priced by their __typename when the
 * response carries it, else by every group (an upper bound).
 */
export function computeActualCost(
  source: CostPlan | ActualCostSource,
  variables: VariableValues | null | undefined,
  data: Json,
  observe?: ListObserver,
): number {
  const plan = 'evaluate' in source ? source : compileCostPlan(source.schema, source.document, source.operationName, source.options);
  const operation = plan.operation;
  if (operation.errors.length > 0) return 0;
  const vars = withDefaults(variables, operation.variableDefaults);
  const base =
    operation.operationType === 'mutation'
      ? operation.options.mutationWeight
      : operation.operationType === 'subscription'
        ? operation.options.subscriptionWeight
        : 0;
  return base + objectCost(operation, [operation.root], data, vars, 0, observe);
}
