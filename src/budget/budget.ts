import type { BudgetStore, ChargeResult, RefundResult } from '../store/types';
import { refundAmount } from './bucket';
import { tierLimitsFor, type NormalizedBudgetOptions } from './options';

export interface BudgetCharge extends ChargeResult {
  /** The tier that applied (the default tier when the claim was missing or unknown). */
  tier: string;
}

/**
 * The two budget steps of a request, over any store: charge the estimate before execution,
 * refund estimate - actual after. Holds no state of its own.
 */
export interface Budget {
  charge(client: { clientId: string; tier?: string }, estimatedCost: number, nowMs: number): Promise<BudgetCharge>;
  /** `charged` is BudgetCharge.charged; refunds nothing when the actual cost was higher. */
  settle(clientId: string, charged: number, actualCost: number, nowMs: number): Promise<RefundResult | undefined>;
}

export function createBudget(store: BudgetStore, options: NormalizedBudgetOptions): Budget {
  return {
    async charge(client, estimatedCost, nowMs) {
      const { tier, limits } = tierLimitsFor(options, client.tier);
      const result = await store.charge(client.clientId, {
        cost: estimatedCost,
        tierLimits: limits,
        tier,
        minCost: options.minCost,
        nowMs,
      });
      return { ...result, tier };
    },
    async settle(clientId, charged, actualCost, nowMs) {
      const amount = refundAmount(charged, actualCost, options.minCost);
      if (amount <= 0) return undefined;
      return store.refund(clientId, amount, nowMs);
    },
  };
}
