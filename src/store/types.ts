import type { TierLimits } from '../budget/options';
import type { BudgetOverride } from '../budget/resolve-limits';

/** Input of one atomic charge. */
export interface ChargeRequest {
  /** Estimated cost of the operation, in cost points. */
  cost: number;
  /** The client's tier limits before multiplier and override (from the budget options). */
  tierLimits: TierLimits;
  /** Tier name, kept for the admin API. */
  tier?: string;
  /** Floor on `cost`; default 1. */
  minCost?: number;
  /** Caller's clock in epoch ms (stores never read the time themselves). */
  nowMs: number;
}

/** Everything the request path needs from one charge, so it makes one store call. */
export interface ChargeResult {
  allowed: boolean;
  /** Points taken (cost floored at minCost), or that would have been taken when refused. */
  charged: number;
  /** Points left in the bucket. */
  remaining: number;
  /** Effective capacity after tier x multiplier x override. */
  capacity: number;
  restoreRatePerSecond: number;
  /** 0 when allowed; ms until the cost would fit (until full when it never fits). */
  retryAfterMs: number;
  /** ms until the bucket is full again. */
  resetMs: number;
  /** The cost is larger than the whole (current) bucket. */
  exceedsCapacity: boolean;
  /** Multiplier that applied (pinned or feedback). */
  multiplier: number;
  /** The override that applied, if any. */
  override?: BudgetOverride;
}

export interface RefundResult {
  remaining: number;
  capacity: number;
  restoreRatePerSecond: number;
}

/** One client's budget as the admin API shows it. */
export interface ClientBudgetState {
  clientId: string;
  tier?: string;
  /** Tier limits seen at the last charge; absent when the client was never charged. */
  tierLimits?: TierLimits;
  /** Points available at the `nowMs` asked for (refill applied). */
  tokens: number;
  capacity: number;
  restoreRatePerSecond: number;
  /** Feedback multiplier (1 unless the loop lowered it). */
  multiplier: number;
  /** When the multiplier last changed, epoch ms (0 = never). */
  multiplierUpdatedAtMs: number;
  override?: BudgetOverride;
  /** Net points consumed: charges minus refunds. */
  totalCost: number;
  requests: number;
  throttled: number;
  lastSeenMs: number;
}

export interface ListClientsRequest {
  offset?: number;
  /** Default 50, at most 1000. */
  limit?: number;
  /** 'cost' = highest net consumption first; 'clientId' = ascending. Default 'cost'. */
  sortBy?: 'cost' | 'clientId';
  nowMs: number;
}

export interface ListClientsResult {
  total: number;
  clients: ClientBudgetState[];
}

/** A change to a client's budget, for the admin API and post-mortems. */
export interface AuditEvent {
  atMs: number;
  clientId: string;
  /** 'feedback' for the loop, else the operator's id. */
  actor: string;
  /** What changed: the feedback rule name, or 'override', 'remove-override', 'reset', ... */
  rule: string;
  reason?: string;
  oldMultiplier?: number;
  newMultiplier?: number;
  oldCapacity?: number;
  newCapacity?: number;
  /** Signal values behind a feedback decision. */
  signals?: Record<string, number>;
}

/** Shape of the rolling windows signals are kept in; the feedback options own the values. */
export interface SignalWindow {
  /** Width of one slot in ms; old evidence leaves the window one slot at a time. */
  slotMs: number;
  /** Slots per window (window = slotMs * slots). */
  slots: number;
  /** Most distinct members kept per counter name per slot (bounds memory). */
  distinctCap: number;
}

/** One observation: counters to add, and members to count as distinct (e.g. operation hashes). */
export interface SignalSample {
  counts: Record<string, number>;
  /** name -> member; members should be short hashes, they are stored as given. */
  distinct?: Record<string, string>;
}

/** Sums over the whole window. */
export interface SignalReading {
  counts: Record<string, number>;
  /** name -> number of distinct members seen in the window (at most distinctCap). */
  distinct: Record<string, number>;
}

/**
 * Where budgets, multipliers, overrides, signals and audit events live. Every method takes
 * the time from the caller. Implementations: createMemoryStore, createRedisStore; both pass
 * test/store/store-contract.ts. Methods reject with StoreUnavailableError (or the driver's
 * error) when the backend cannot answer; wrap in createResilientStore to choose what then.
 */
export interface BudgetStore {
  /** Atomically refills, then takes `cost` if it fits. */
  charge(clientId: string, request: ChargeRequest): Promise<ChargeResult>;
  /** Gives points back (estimate - actual); clamped to [0, capacity]. */
  refund(clientId: string, amount: number, nowMs: number): Promise<RefundResult | undefined>;
  getClient(clientId: string, nowMs: number): Promise<ClientBudgetState | undefined>;
  listClients(request: ListClientsRequest): Promise<ListClientsResult>;
  setOverride(clientId: string, override: BudgetOverride, nowMs: number): Promise<void>;
  removeOverride(clientId: string, nowMs: number): Promise<void>;
  /**
   * Sets the feedback multiplier. With `expected`, only when the stored multiplier still
   * equals it (compare-and-set, so two instances deciding at once apply one change).
   * Returns whether it was written.
   */
  setMultiplier(clientId: string, multiplier: number, nowMs: number, expected?: number): Promise<boolean>;
  /** Refills the bucket and sets the multiplier back to 1; keeps any override. */
  resetClient(clientId: string, nowMs: number): Promise<void>;
  appendAudit(event: AuditEvent): Promise<void>;
  /** Newest first. */
  listAudit(clientId: string | undefined, limit: number): Promise<AuditEvent[]>;
  /** Adds the sample to the current slot and returns the window's sums including it. */
  recordSignals(key: string, sample: SignalSample, window: SignalWindow, nowMs: number): Promise<SignalReading>;
  readSignals(key: string, window: SignalWindow, nowMs: number): Promise<SignalReading>;
  close(): Promise<void>;
}
