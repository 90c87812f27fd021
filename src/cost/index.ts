export { analyseOperation, type AnalysedField, type AnalysedFragment, type AnalysedItem, type AnalysedOperation, type AnalysedSelection } from './analyse';
export { computeActualCost, type ActualCostSource } from './actual-cost';
export { createCostPlanCache, LruCache, type CostPlanCache, type CostPlanCacheOptions } from './cache';
export { foldOperation, type FieldRule, type FoldContext } from './fold';
export {
  createGitHubModel,
  defaultCostModel,
  getCostModel,
  githubCostModel,
  registerCostModel,
  shopifyCostModel,
  type CostEstimate,
  type CostModel,
  type EvaluateOptions,
  type GitHubModelOptions,
} from './models';
export { defaultCostOptions, normalizeCostOptions, type CostDirectiveOverride, type CostOptions, type ListSizeOverride } from './options';
export { compileCostPlan, type CostPlan } from './plan';
export type { VariableValues } from './values';

/** SDL of the directives this analysis reads, for schemas and policy files that declare them. */
export const costDirectivesSDL = /* GraphQL */ `
directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`;
