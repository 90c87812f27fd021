import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../errors';
import { operationRecord, principalOf } from '../gateway/request-state';
import { isStoreUnavailableError } from '../store/errors';
import type { ResponseOptions } from '../config';
import type { Budget } from './budget';
import { msUntil } from './bucket';
import { tierClaimOf } from './options';

type BudgetResponseOptions = Required<ResponseOptions>;

export interface BudgetPluginOptions {
  budget: Budget;
  responses: BudgetResponseOptions;
  now?: () => number;
  onThrottled?: (clientId: string) => void;
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * Charges each operation's estimated cost to its client's bucket before execution (atomic in
 * the store) and refunds down to the actual cost after. An operation the bucket cannot cover is
 * refused with THROTTLED and never reaches an upstream.
 */
export function useBudget({ budget, responses, now = Date.now, onThrottled }: BudgetPluginOptions): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const principal = principalOf(args.contextValue);
      if (!principal) return;
      const record = operationRecord(args);
      let charge;
      try {
        charge = await budget.charge({ clientId: principal.clientId, tier: tierClaimOf(principal) }, record.estimatedCost, now());
      } catch (error) {
        if (isStoreUnavailableError(error)) {
          return setResultAndStopExecution({ errors: [gatewayError('STORE_UNAVAILABLE', 'The budget store is unavailable; try again shortly.', { headers: { 'retry-after': '1' } })] });
        }
        throw error;
      }
      const status = (remaining: number): ThrottleStatus => ({
        maximumAvailable: charge.capacity,
        currentlyAvailable: Math.max(0, Math.floor(remaining)),
        restoreRate: charge.restoreRatePerSecond,
      });
      if (!charge.allowed) {
        onThrottled?.(principal.clientId);
        // An operation bigger than the whole bucket never fits: waiting would not help, so no Retry-After.
        const headers: Record<string, string> = {
          ...(charge.exceedsCapacity ? {} : { 'retry-after': String(Math.max(1, Math.ceil(charge.retryAfterMs / 1000))) }),
          ...rateLimitHeaders(responses, status(charge.remaining), charge.resetMs),
        };
        return setResultAndStopExecution({
          errors: [
            gatewayError(
              'THROTTLED',
              charge.exceedsCapacity
                ? 'Throttled: the operation costs more than the whole budget of this client; make it cheaper.'
                : 'Throttled: the operation costs more than the budget has left.',
              { status: responses.throttleStatus, headers },
            ),
          ],
          extensions: responses.costExtension
            ? { cost: { requestedQueryCost: record.estimatedCost, actualQueryCost: null, throttleStatus: status(charge.remaining) } }
            : undefined,
        });
      }
      return {
        async onExecuteDone({ result, setResult }) {
          const actual = record.actualCost ?? record.estimatedCost;
          let remaining = charge.remaining;
          let resetMs = charge.resetMs;
          try {
            const refund = await budget.settle(principal.clientId, charge.charged, actual, now());
            if (refund) {
              remaining = refund.remaining;
              // The reset must describe the same bucket as Remaining: the one after the refund.
              resetMs = msUntil(refund.remaining, refund.capacity, refund.restoreRatePerSecond);
            }
          } catch {
            // A refund that cannot be written only leaves the client charged the estimate.
          }
          if (!responses.costExtension && !responses.rateLimitHeaders) return;
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const r = result as ExecutionResult;
          const extensions: Record<string, unknown> = { ...r.extensions };
          if (responses.costExtension) {
            extensions.cost = { requestedQueryCost: record.estimatedCost, actualQueryCost: actual, throttleStatus: status(remaining) };
          }
          if (responses.rateLimitHeaders) {
            const http = (extensions.http as { headers?: Record<string, string> } | undefined) ?? {};
            extensions.http = { ...http, headers: { ...http.headers, ...rateLimitHeaders(responses, status(remaining), resetMs) } };
          }
          setResult({ ...r, extensions });
        },
      };
    },
  };
}

function rateLimitHeaders(responses: BudgetResponseOptions, status: ThrottleStatus, resetMs: number): Record<string, string> {
  if (!responses.rateLimitHeaders) return {};
  return {
    'ratelimit-limit': String(status.maximumAvailable),
    'ratelimit-remaining': String(status.currentlyAvailable),
    'ratelimit-reset': String(Math.max(0, Math.ceil(resetMs / 1000))),
  };
}
