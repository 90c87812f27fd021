import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { tierClaimOf } from '../budget/options';
import { errorCode } from '../errors';
import { requestState } from '../gateway/request-state';
import type { Metrics } from './metrics';

/** Codes that mean the operation was refused by a limit, counted as rejections by reason. */
const rejectionCodes = new Set([
  'COST_ESTIMATED_TOO_EXPENSIVE', 'MAX_DEPTH_LIMIT', 'MAX_ALIASES_LIMIT', 'MAX_ROOT_FIELDS_LIMIT', 'MAX_TOKENS_LIMIT',
  'MAX_DIRECTIVES_LIMIT', 'MAX_BATCH_LIMIT', 'REQUEST_TOO_LARGE', 'UNAUTHORIZED_FIELD_OR_TYPE', 'BAD_USER_INPUT',
  'INTROSPECTION_DISABLED', 'THROTTLED',
]);

export interface MetricsPluginOptions {
  metrics: Metrics;
  /** Also told of each operation's costs (admin dashboard series, recommendations). */
  onCost?: (clientId: string, tier: string | undefined, estimated: number, actual: number, listSizes?: Record<string, number>) => void;
}

/**
 * Counts every answered request by outcome (its first error code, or 'ok'), rejections by
 * reason, per-client costs, and upstream latency and errors per subgraph. Runs after error
 * shaping so that outcomes are loopgate's codes.
 */
export function useMetrics({ metrics, onCost }: MetricsPluginOptions): Plugin {
  return {
    onResultProcess({ request, result }) {
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      for (const r of results) {
        const code = r.errors?.length ? (errorCode(r.errors[0]) ?? 'INTERNAL') : 'ok';
        metrics.recordRequest(code);
        for (const error of r.errors ?? []) {
          const c = errorCode(error);
          if (c && rejectionCodes.has(c)) metrics.recordRejection(c);
        }
      }
      const state = requestState(request);
      if (!state.principal) return;
      for (const op of state.operations) {
        if (op.actualCost === undefined || !Number.isFinite(op.estimatedCost)) continue;
        metrics.recordCost(state.principal.clientId, op.estimatedCost, op.actualCost);
        onCost?.(state.principal.clientId, tierClaimOf(state.principal), op.estimatedCost, op.actualCost, op.listSizes);
      }
    },
    onSubgraphExecute({ subgraphName }: { subgraphName: string }) {
      const started = performance.now();
      return ({ result }: { result: unknown }) => {
        const failed = !!result && typeof result === 'object' && 'errors' in result && !!(result as ExecutionResult).errors?.length;
        metrics.recordUpstream(subgraphName, performance.now() - started, !failed);
      };
    },
  } as Plugin;
}
