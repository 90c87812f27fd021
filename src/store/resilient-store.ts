import { StoreUnavailableError } from './errors';
import { LruMap } from './lru';
import type { BudgetStore, ChargeResult } from './types';

export type StoreFailureMode = 'fail-open' | 'fail-closed';

export interface StoreErrorEvent {
  operation: string;
  /** The primary's error (or a timeout); log it, never show it to clients. */
  error: unknown;
  mode: StoreFailureMode;
  /** True when the call was answered by the fallback instead. */
  servedByFallback: boolean;
}

export interface ResilientStoreOptions {
  /**
   * What to do when the primary (Redis) fails or is slow. 'fail-open': serve budgets from the
   * fallback (local memory), so each instance still enforces a budget on its own;
   * 'fail-closed': throw StoreUnavailableError (code STORE_UNAVAILABLE, HTTP 503). Admin writes
   * (overrides, multipliers, resets, audit, listings) always throw: writing them to one
   * instance's memory would silently diverge from what the others see. Default 'fail-open'.
   */
  mode?: StoreFailureMode;
  /** Longest wait for the primary per operation, in ms. Default 250. */
  timeoutMs?: number;
  /**
   * After a failure, calls skip the primary for this long (ms) instead of each paying the
   * timeout; the first call after it tries the primary again, and success switches back. Default 1000.
   */
  retryAfterMs?: number;
  /** Called on every primary failure, for logs and metrics. Default: nothing. */
  onStoreError?: (event: StoreErrorEvent) => void;
  /** Clock for the retry pause, epoch ms. Default Date.now. */
  now?: () => number;
}

export const defaultResilientStoreOptions = {
  mode: 'fail-open',
  timeoutMs: 250,
  retryAfterMs: 1000,
  onStoreError: () => {},
  now: Date.now,
} satisfies Required<ResilientStoreOptions>;

export interface ResilientStore extends BudgetStore {
  /** True while calls skip the primary (it failed less than `retryAfterMs` ago). */
  readonly degraded: boolean;
}

/** Request-path operations that may be answered by the fallback in fail-open mode. */
const fallbackOperations = new Set(['charge', 'refund', 'getClient', 'recordSignals', 'readSignals']);

/**
 * Puts a fallback and a failure mode around the primary store. Nothing charged in the primary
 * is lost by an outage: the fallback only answers while the primary cannot, and the primary's
 * data is used again as soon as it answers. A charge that timed out may still land in the
 * primary later; the client then paid twice, which errs on the safe side.
 */
export function createResilientStore(
  primary: BudgetStore,
  fallback: BudgetStore,
  options: ResilientStoreOptions = {},
): ResilientStore {
  const config = { ...defaultResilientStoreOptions, ...options };
  if (config.mode !== 'fail-open' && config.mode !== 'fail-closed') {
    throw new TypeError("resilientStore.mode must be 'fail-open' or 'fail-closed'");
  }
  if (!Number.isFinite(config.timeoutMs) || config.timeoutMs <= 0) throw new TypeError('resilientStore.timeoutMs must be > 0');
  if (!Number.isFinite(config.retryAfterMs) || config.retryAfterMs < 0) throw new TypeError('resilientStore.retryAfterMs must be >= 0');
  let skipPrimaryUntilMs = 0;
  // Multiplier and override last seen per client in the primary, copied into the fallback so
  // that a penalised client is not let off during an outage.
  const mirrored = new LruMap<string, string>(100_000);

  function withTimeout<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`store timeout after ${config.timeoutMs} ms`)), config.timeoutMs);
      timer.unref?.();
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  async function call<T>(operation: string, onPrimary: () => Promise<T>, onFallback: () => Promise<T>): Promise<T> {
    if (config.now() >= skipPrimaryUntilMs) {
      try {
        const value = await withTimeout(onPrimary());
        skipPrimaryUntilMs = 0;
        return value;
      } catch (error) {
        if (error instanceof TypeError || error instanceof RangeError) throw error; // bad input, not an outage
        skipPrimaryUntilMs = config.now() + config.retryAfterMs;
        return answerWithoutPrimary(operation, error, onFallback);
      }
    }
    return answerWithoutPrimary(operation, new Error('primary store skipped after a recent failure'), onFallback);
  }

  function answerWithoutPrimary<T>(operation: string, error: unknown, onFallback: () => Promise<T>): Promise<T> {
    const servedByFallback = config.mode === 'fail-open' && fallbackOperations.has(operation);
    config.onStoreError({ operation, error, mode: config.mode, servedByFallback });
    if (!servedByFallback) throw new StoreUnavailableError(operation, error);
    return onFallback();
  }

  function mirror(clientId: string, result: ChargeResult, nowMs: number): void {
    const signature = `${result.multiplier}|${result.override ? JSON.stringify(result.override) : ''}`;
    const previous = mirrored.get(clientId);
    if (previous === signature) return;
    mirrored.set(clientId, signature);
    if (previous === undefined && signature === '1|') return; // the fallback's default already
    const m = result.override?.multiplier !== undefined ? undefined : result.multiplier;
    void (async () => {
      if (m !== undefined) await fallback.setMultiplier(clientId, m, nowMs);
      if (result.override) await fallback.setOverride(clientId, result.override, nowMs);
      else await fallback.removeOverride(clientId, nowMs);
    })().catch(() => undefined);
  }

  const unavailable = () => Promise.reject(new Error('unreachable'));

  return {
    get degraded() {
      return config.now() < skipPrimaryUntilMs;
    },
    charge: (id, request) =>
      call(
        'charge',
        async () => {
          const result = await primary.charge(id, request);
          mirror(id, result, request.nowMs);
          return result;
        },
        () => fallback.charge(id, request),
      ),
    refund: (id, amount, nowMs) => call('refund', () => primary.refund(id, amount, nowMs), () => fallback.refund(id, amount, nowMs)),
    getClient: (id, nowMs) => call('getClient', () => primary.getClient(id, nowMs), () => fallback.getClient(id, nowMs)),
    recordSignals: (key, sample, window, nowMs) =>
      call('recordSignals', () => primary.recordSignals(key, sample, window, nowMs), () => fallback.recordSignals(key, sample, window, nowMs)),
    readSignals: (key, window, nowMs) =>
      call('readSignals', () => primary.readSignals(key, window, nowMs), () => fallback.readSignals(key, window, nowMs)),
    listClients: (request) => call('listClients', () => primary.listClients(request), unavailable),
    setOverride: (id, o, nowMs) => call('setOverride', () => primary.setOverride(id, o, nowMs), unavailable),
    removeOverride: (id, nowMs) => call('removeOverride', () => primary.removeOverride(id, nowMs), unavailable),
    setMultiplier: (id, m, nowMs, expected) => call('setMultiplier', () => primary.setMultiplier(id, m, nowMs, expected), unavailable),
    resetClient: (id, nowMs) => call('resetClient', () => primary.resetClient(id, nowMs), unavailable),
    appendAudit: (event) => call('appendAudit', () => primary.appendAudit(event), unavailable),
    listAudit: (id, limit) => call('listAudit', () => primary.listAudit(id, limit), unavailable),
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
