import type { DocumentNode, GraphQLSchema } from 'graphql';
import { analyseOperation, type AnalysedOperation } from './analyse';
import { getCostModel, type CostEstimate, type CostModel, type EvaluateOptions } from './models';
import type { CostOptions } from './options';
import type { VariableValues } from './values';

/**
 * A compiled operation: cheap to evaluate per request. It holds no variable values, so a cached
 * plan re-prices every request with that request's variables.
 */
export interface CostPlan {
  readonly operation: AnalysedOperation;
  readonly modelName: string;
  evaluate(variables?: VariableValues | null, options?: EvaluateOptions): CostEstimate;
}

/** Compiles once per (schema, document, operationName); see CostOptions for the knobs. */
export function compileCostPlan(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  options?: CostOptions,
): CostPlan {
  const operation = analyseOperation(schema, document, operationName, options);
  const modelName = operation.options.model;
  const model: CostModel = getCostModel(modelName);
  if (operation.errors.length > 0) {
    // Unpriceable: an infinite cost makes any caller that forgets to look at errors reject it too.
    const errors = operation.errors;
    return { operation, modelName, evaluate: () => ({ cost: Number.POSITIVE_INFINITY, errors: [...errors] }) };
  }
  return {
    operation,
    modelName,
    evaluate: (variables, evaluateOptions) => model(operation, variables, evaluateOptions),
  };
}
