import type { GraphQLError } from 'graphql';
import type { AnalysedOperation } from '../analyse';
import type { VariableValues } from '../values';

export interface CostEstimate {
  /** The model's price of the operation (GitHub: points; others: weight units). */
  cost: number;
  /** Each field's value for one occurrence of its parent, keyed by response path
   * ("FragmentName:field" inside fragments). Only when asked for. */
  perPath?: Record<string, number>;
  /** Model-specific figures (GitHub: nodes, requests). */
  details?: Record<string, number>;
  /** Non-empty means the operation must be rejected (codes in src/errors.ts). */
  errors: GraphQLError[];
}

export interface EvaluateOptions {
  /** Fill `perPath` (slower; for the CLI and debugging). Default false. */
  perPath?: boolean;
}

/** A cost model is a function of the analysed operation: register your own by name. */
export type CostModel = (
  operation: AnalysedOperation,
  variables: VariableValues | null | undefined,
  options?: EvaluateOptions,
) => CostEstimate;
