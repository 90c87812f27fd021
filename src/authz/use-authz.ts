import { getOperationAST, getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal';
import { operationRecord, principalOf, requestOf, requestState } from '../gateway/request-state';
import { gatewayError } from '../errors';
import { compileAccessPlan, type DeniedSelection } from './analyze-access';
import { applyDenials } from './apply-denials';
import { rejectOperation, withDryRunReport } from './denial-report';
import { answerPolicies, isIntrospectionAllowed, type NormalizedAuthzOptions } from './options';
import { pruneDocument } from './prune';

export interface AuthzPluginOptions {
  authz: NormalizedAuthzOptions<Principal>;
  /** Told of every denial (dry runs included) for the feedback loop and the audit log. */
  onDenied?: (principal: Principal, denied: ReadonlyArray<DeniedSelection>, enforced: boolean) => void;
}

/**
 * Per-field authorization from schema directives, decided before execution for this principal
 * and these variables (never reused across either). Denied selections are removed from the
 * document, so no upstream is asked for them, then come back as null with one error per path;
 * or the whole operation is refused (reject), or only reported (dry run).
 */
export function useAuthz({ authz, onDenied }: AuthzPluginOptions): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      operationRecord(args); // records what the client sent, before any pruning
      const principal = principalOf(args.contextValue);
      if (!principal) return setResultAndStopExecution({ errors: [gatewayError('INTERNAL', 'Unexpected error.')] });
      const introspectionAllowed = isIntrospectionAllowed(principal, authz);
      const request = requestOf(args.contextValue);
      if (request) requestState(request).introspectionAllowed = introspectionAllowed;

      const plan = compileAccessPlan(args.schema, args.document, args.operationName, { maxExpandedFields: authz.maxExpandedFields });
      const variables = args.variableValues ?? undefined;
      let answers: ReadonlyMap<string, boolean> = new Map();
      const needed = plan.policiesNeeded(variables);
      if (needed.length) {
        // A policy function that fails denies: "no answer means deny".
        answers = await answerPolicies(authz.policy, principal, needed).catch(() => new Map<string, boolean>());
      }
      const decision = plan.decide(
        variables,
        { authenticated: !principal.anonymous, scopes: principal.scopes, introspectionAllowed },
        answers,
      );
      if (decision.allowed) return;
      const denied = decision.denied;
      const enforced = authz.mode !== 'dry-run';
      if (request && enforced) requestState(request).deniedSelections += denied.length;
      onDenied?.(principal, denied, enforced);

      if (authz.mode === 'dry-run') {
        return { onExecuteDone: ({ result, setResult }) => void mapResult(result, setResult, (r) => withDryRunReport(r, denied)) };
      }
      if (authz.mode === 'reject') return setResultAndStopExecution(rejectOperation(denied, authz.denialsIn));

      const original = args.document;
      // Pruning may drop the only use of a variable, and its definition with it: check the
      // values against the operation as sent, so a bad value is refused either way.
      const badVariable = invalidVariable(args.schema, original, args.operationName, args.variableValues);
      if (badVariable) return setResultAndStopExecution({ errors: [badVariable] });
      // envelop shares `args` with the executor: the pruned document is what runs upstream.
      (args as { document: typeof original }).document = pruneDocument(args.schema, original, args.operationName, denied);
      return {
        onExecuteDone: ({ result, setResult }) =>
          void mapResult(result, setResult, (r) =>
            applyDenials(args.schema, original, args.operationName, r, denied, { denialsIn: authz.denialsIn }),
          ),
      };
    },
  };
}

function mapResult(result: unknown, setResult: (r: ExecutionResult) => void, map: (r: ExecutionResult) => ExecutionResult): void {
  // Subscriptions and incremental delivery are not served by loopgate; plain results only.
  if (result && typeof result === 'object' && !(Symbol.asyncIterator in result)) setResult(map(result as ExecutionResult));
}

/** The first variable value of the operation that does not coerce to its type, as BAD_USER_INPUT. */
function invalidVariable(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  values: Record<string, unknown> | null | undefined,
): GraphQLError | undefined {
  const definitions = getOperationAST(document, operationName)?.variableDefinitions;
  if (!definitions?.length) return undefined;
  const coerced = getVariableValues(schema, definitions, values ?? {}, { maxErrors: 1 });
  // graphql-js words these for the client ("Variable "$n" got invalid value ...").
  return coerced.errors?.[0] ? gatewayError('BAD_USER_INPUT', coerced.errors[0].message) : undefined;
}
