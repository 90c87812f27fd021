import type { BudgetOverride } from '../budget/resolve-limits';
import type { ClientSignals } from '../feedback/signals';
import type { AuditEvent, ClientBudgetState } from '../store/types';
import type { CostSeries } from './cost-series';

/** One client as the admin API shows it (JSON). */
export interface ClientView {
  clientId: string;
  tier: string | null;
  /** Effective capacity (tier x multiplier, or the override), in cost points. */
  capacity: number;
  restoreRatePerSecond: number;
  /** Points available now. */
  remaining: number;
  /** Multiplier in force: the pinned one of an override, else the feedback multiplier. */
  multiplier: number;
  /** The feedback loop's multiplier (1 unless lowered). */
  feedbackMultiplier: number;
  multiplierUpdatedAt: string | null;
  override: OverrideView | null;
  totalCost: number;
  requests: number;
  throttled: number;
  lastSeen: string | null;
  /** Sums over the feedback window. */
  signals: ClientSignals | null;
  costSeries: CostSeries | null;
}

export interface OverrideView {
  capacity?: number;
  restoreRatePerSecond?: number;
  multiplier?: number;
  expiresAt: string | null;
  actor?: string;
  reason?: string;
}

export type AuditView = AuditEvent & { at: string };

const iso = (ms: number | undefined): string | null => (ms ? new Date(ms).toISOString() : null);
const round = (n: number): number => Math.round(n * 1000) / 1000;

export function overrideView(o: BudgetOverride): OverrideView {
  const { expiresAtMs, ...rest } = o;
  return { ...rest, expiresAt: iso(expiresAtMs) };
}

export function clientView(state: ClientBudgetState, signals: ClientSignals | undefined, series: CostSeries | undefined): ClientView {
  return {
    clientId: state.clientId,
    tier: state.tier ?? null,
    capacity: round(state.capacity),
    restoreRatePerSecond: round(state.restoreRatePerSecond),
    remaining: round(state.tokens),
    multiplier: state.override?.multiplier ?? state.multiplier,
    feedbackMultiplier: state.multiplier,
    multiplierUpdatedAt: iso(state.multiplierUpdatedAtMs),
    override: state.override ? overrideView(state.override) : null,
    totalCost: round(state.totalCost),
    requests: state.requests,
    throttled: state.throttled,
    lastSeen: iso(state.lastSeenMs),
    signals: signals ?? null,
    costSeries: series ?? null,
  };
}

export function auditView(event: AuditEvent): AuditView {
  return { ...event, at: new Date(event.atMs).toISOString() };
}
