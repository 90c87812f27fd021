import { foldOperation, type FieldRule } from '../fold';
import { slicedSize } from '../list-size';
import { isConnection, isConnectionType, pageSize } from './connections';
import type { CostModel } from './types';

/** Children of a connection that carry its items; the rest (pageInfo, totalCount) ride on its 2. */
const ITEM_FIELDS = new Set(['edges', 'nodes']);

/**
 * Shopify's requested query cost as its documentation describes it (shopify.dev "API rate
 * limits", and the engineering post "Rate Limiting GraphQL APIs by Calculating Query
 * Complexity"): scalars and enums 0, objects 1, abstract types the largest possible selection,
 * a connection 2 + first/last × the cost of one item, a mutation field 10.
 * Worked example it reproduces: products(first: 10) { edges { node { title
 * variants(first: 5) { edges { node { price } } } } } } = 2 + 10 × (1 + (2 + 5 × 1)) = 82.
 */
const fieldCost: FieldRule = (field, ctx) => {
  const info = field.info;
  if (!info) return 0;
  const options = ctx.operation.options;
  if (info.isLeaf) return info.weight ?? 0;
  const children = ctx.selection(field.selection);
  const parentIsConnection = isConnectionType(ctx.operation.index.schema.getType(field.parentType) ?? undefined);
  if (parentIsConnection && !ITEM_FIELDS.has(field.name)) return 0;
  if (isConnection(field) || info.listSize?.sizedFields.length) {
    const size = pageSize(field, ctx.variables) ?? slicedSize(field, ctx.variables, options.defaultListSize, ctx.errors);
    return (info.weight ?? 2) + size * children;
  }
  const isMutationRoot = ctx.operation.operationType === 'mutation' && field.parentType === ctx.operation.index.schema.getMutationType()?.name;
  const own = info.weight ?? (isMutationRoot ? 10 : parentIsConnection && field.name === 'edges' ? 0 : info.typeWeight);
  // Items of a connection are multiplied by the connection itself, not again here.
  if (!info.isList || parentIsConnection) return own + children;
  return slicedSize(field, ctx.variables, options.defaultListSize, ctx.errors) * (own + children);
};

export const shopifyCostModel: CostModel = (operation, variables, evaluate) => {
  const perPath = evaluate?.perPath ? ({} as Record<string, number>) : undefined;
  const record = perPath ? (path: string, value: number) => (perPath[path] = (perPath[path] ?? 0) + value) : undefined;
  const { value, errors } = foldOperation(operation, variables, fieldCost, { record });
  return { cost: value, errors, ...(perPath ? { perPath } : {}) };
};
