import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationRecord } from '../gateway/request-state';
import { createOperationCache } from '../shared/operation-cache';
import type { NormalizedLimitsOptions } from '../limits/options';
import { limitError, violation } from '../limits/violations';
import { computeActualCost } from './actual-cost';
import type { NormalizedCostOptions } from './options';
import { compileCostPlan, type CostPlan } from './plan';

export interface CostPluginOptions {
  cost: NormalizedCostOptions;
  limits: NormalizedLimitsOptions;
  /** Report the estimate (and the maximum, when limits are exposed) on rejected operations. */
  exposeCost: boolean;
}

/**
 * Prices the operation that will run (after authorization pruned it) before execution, refuses
 * it over the per-operation maximum, and counts its actual cost from the response. Plans are
 * compiled once per parsed document; only the variable-dependent evaluation runs per request.
 */
export function useCost({ cost, limits, exposeCost }: CostPluginOptions): Plugin {
  const plans = createOperationCache<GraphQLSchema, CostPlan>();
  const planFor = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): CostPlan =>
    plans.get(schema, document, operationName, () => compileCostPlan(schema, document, operationName, cost));
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const plan = planFor(args.schema, args.document, args.operationName);
      const estimate = plan.evaluate(args.variableValues);
      const record = operationRecord(args);
      record.estimatedCost = estimate.cost;
      if (estimate.errors.length) return setResultAndStopExecution({ errors: estimate.errors });
      const overMaximum = violation(limits, 'cost', estimate.cost);
      if (overMaximum?.enforced) {
        const extensions = exposeCost
          ? { cost: { requestedQueryCost: finite(estimate.cost), ...(limits.exposeLimits ? { maximumQueryCost: limits.maxCost } : {}) } }
          : undefined;
        return setResultAndStopExecution({ errors: [limitError(overMaximum, limits.exposeLimits)], extensions });
      }
      return {
        onExecuteDone({ result }) {
          const data = (result as ExecutionResult).data;
          const listSizes: Record<string, number> = {};
          const observe = (coordinate: string, size: number) => {
            if (size > (listSizes[coordinate] ?? -1)) listSizes[coordinate] = size;
          };
          record.actualCost = data ? computeActualCost(plan, args.variableValues, data as Record<string, unknown>, observe) : 0;
          record.listSizes = listSizes;
        },
      };
    },
  };
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}
