import { foldOperation, type FieldRule } from '../fold';
import { argumentsCost } from '../input-cost';
import { multiplier } from '../list-size';
import type { CostModel } from './types';

/**
 * IBM cost directive model: a field costs its arguments' weights plus, per item, its own weight
 * (`@cost` on the field, else on the type, else the default by kind) and its selection's cost.
 */
const fieldCost: FieldRule = (field, ctx) => {
  const info = field.info;
  if (!info) return 0; // __typename
  const options = ctx.operation.options;
  const weight = info.weight ?? info.typeWeight;
  const perItem = info.isLeaf ? weight : weight + ctx.selection(field.selection);
  const size = multiplier(field, ctx.variables, options.defaultListSize, ctx.errors);
  const args = field.weightedArguments.length > 0 ? argumentsCost(field, ctx.operation.index, ctx.variables) : 0;
  return args + size * perItem;
};

export const defaultCostModel: CostModel = (operation, variables, options) => {
  const perPath = options?.perPath ? ({} as Record<string, number>) : undefined;
  const record = perPath ? (path: string, value: number) => (perPath[path] = (perPath[path] ?? 0) + value) : undefined;
  const { value, errors } = foldOperation(operation, variables, fieldCost, { record });
  const base =
    operation.operationType === 'mutation'
      ? operation.options.mutationWeight
      : operation.operationType === 'subscription'
        ? operation.options.subscriptionWeight
        : 0;
  return { cost: value + base, errors, ...(perPath ? { perPath } : {}) };
};
