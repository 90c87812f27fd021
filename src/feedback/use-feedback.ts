import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestState } from '../gateway/request-state';
import { classifyError } from '../upstream/classify-error';
import type { FeedbackLoop } from './feedback-loop';
import { shortHash, type ErrorKind, type RequestOutcome } from './signals';

/** Which feedback signal each error code feeds; auth failures are observed where they happen. */
const kindByCode: Record<string, ErrorKind> = {
  UNAUTHORIZED_FIELD_OR_TYPE: 'scope_denial',
  INTROSPECTION_DISABLED: 'scope_denial',
  GRAPHQL_VALIDATION_FAILED: 'validation_error',
  GRAPHQL_PARSE_FAILED: 'validation_error',
  BAD_REQUEST: 'validation_error',
  BAD_USER_INPUT: 'validation_error',
  COST_ESTIMATED_TOO_EXPENSIVE: 'limit_rejection',
  MAX_DEPTH_LIMIT: 'limit_rejection',
  MAX_ALIASES_LIMIT: 'limit_rejection',
  MAX_ROOT_FIELDS_LIMIT: 'limit_rejection',
  MAX_TOKENS_LIMIT: 'limit_rejection',
  MAX_DIRECTIVES_LIMIT: 'limit_rejection',
  MAX_BATCH_LIMIT: 'limit_rejection',
  REQUEST_TOO_LARGE: 'limit_rejection',
  THROTTLED: 'throttle',
  UPSTREAM_UNAVAILABLE: 'upstream_error',
  UPSTREAM_ERROR: 'upstream_error',
};

/** The feedback signals one response carries, read from the raw error codes (before shaping). */
export function outcomeOf(results: ReadonlyArray<ExecutionResult>): { errors: ErrorKind[]; suggestionProbe: boolean } {
  const kinds = new Set<ErrorKind>();
  let suggestionProbe = false;
  for (const result of results) {
    for (const error of result.errors ?? []) {
      const ext = error.extensions as { code?: unknown; serviceName?: unknown } | undefined;
      // Errors without a code yet (graphql-js refusing a variable value, say) get the code the
      // error shaping will give them, so they count as what the client will see.
      const code = ext?.code !== undefined ? String(ext.code) : classifyError(error as GraphQLError).code;
      const kind = ext?.serviceName !== undefined ? 'upstream_error' : kindByCode[code];
      if (kind) kinds.add(kind);
      if (kind === 'validation_error' && error.message.includes('Did you mean')) suggestionProbe = true;
    }
  }
  return { errors: [...kinds], suggestionProbe };
}

export interface FeedbackPluginOptions {
  feedback: FeedbackLoop;
  /** Told of every observed request (metrics hook). */
  onObserved?: (clientId: string, outcome: RequestOutcome) => void;
}

/**
 * Feeds every answered request to the feedback loop: its client, cost estimate and actual,
 * error kinds, introspection and "Did you mean" probing. Must run before error shaping, which
 * hides suggestions from clients.
 */
export function useFeedback({ feedback, onObserved }: FeedbackPluginOptions): Plugin {
  return {
    onResultProcess({ request, result }) {
      const state = requestState(request);
      const principal = state.principal;
      if (!principal) return; // refused before authentication finished: observed by useAuth
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      const seen = outcomeOf(results);
      // Denials reported in extensions (or nowhere) leave no error code: count them from the state.
      if (state.deniedSelections > 0 && !seen.errors.includes('scope_denial')) seen.errors.push('scope_denial');
      const outcome: RequestOutcome = {
        ...seen,
        estimatedCost: state.operations.reduce((sum, op) => sum + (Number.isFinite(op.estimatedCost) ? op.estimatedCost : 0), 0),
        actualCost: state.operations.reduce((sum, op) => sum + (op.actualCost ?? 0), 0),
        introspection: state.operations.some((op) => op.introspection),
        operationId: batchOperationId(state.operations),
        sourceAddress: principal.sourceAddress,
      };
      onObserved?.(principal.clientId, outcome);
      void feedback.observe(principal.clientId, outcome);
    },
  };
}

/** One short id for what a request ran: the operation's own id, or a hash of a batch's ids. */
function batchOperationId(operations: ReadonlyArray<{ operationId?: string }>): string | undefined {
  if (operations.length <= 1) return operations[0]?.operationId;
  return shortHash(operations.map((op) => op.operationId ?? '').join('|'));
}
