import type { TierLimits } from '../budget/options';
import { activeOverride, resolveLimits, type BudgetOverride } from '../budget/resolve-limits';
import { LruMap } from '../store/lru';
import type { AuditEvent, BudgetStore } from '../store/types';
import { normalizeFeedbackOptions, type FeedbackOptions, type NormalizedFeedbackOptions } from './options';
import { evaluatePolicy, type PolicyDecision, type PolicyState } from './policy';
import { samplesFor, signalValues, signalWindow, toClientSignals, type ClientSignals, type RequestOutcome } from './signals';

/** Structured log sink; each call is one line with a message and flat fields. */
export interface FeedbackLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/** Default logger: one JSON object per line on stdout. */
export const jsonLineLogger: FeedbackLogger = {
  info: (message, fields) => process.stdout.write(`${JSON.stringify({ level: 'info', message, ...fields })}\n`),
  warn: (message, fields) => process.stdout.write(`${JSON.stringify({ level: 'warn', message, ...fields })}\n`),
};

export interface FeedbackLoopOptions {
  store: BudgetStore;
  /** Policy options (normalised here when given raw). */
  options?: FeedbackOptions;
  /** Default jsonLineLogger. */
  logger?: FeedbackLogger;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
}

export interface FeedbackOutcome {
  /** The key judged: the client id, or an address key (`anon:<address>`). */
  clientId: string;
  decision: PolicyDecision;
  /** Written to the store (false in shadow mode or when another instance changed it first). */
  applied: boolean;
  shadow: boolean;
}

export interface FeedbackLoop {
  /** Records one request outcome and judges the client on the fresh window sums. Never rejects. */
  observe(clientId: string, outcome: RequestOutcome): Promise<FeedbackOutcome[]>;
  /** Judges a client now on stored sums (for a periodic sweep or the admin API). Never rejects. */
  evaluate(clientId: string): Promise<FeedbackOutcome | undefined>;
  readonly options: NormalizedFeedbackOptions;
}

interface KnownState extends PolicyState {
  fetchedAtMs: number;
  tierLimits?: TierLimits;
  override?: BudgetOverride;
}

/**
 * Signals -> policy -> multiplier in the store -> audit event -> log line. Runs on the caller's
 * calls only (no timers); the client's multiplier state is re-read from the store at most once
 * per `evaluateIntervalMs`, and writes are compare-and-set so that instances judging the same
 * client at once apply one change.
 */
export function createFeedbackLoop(config: FeedbackLoopOptions): FeedbackLoop {
  const { store } = config;
  const options = normalizeFeedbackOptions(config.options);
  const logger = config.logger ?? jsonLineLogger;
  const now = config.now ?? Date.now;
  const window = signalWindow(options);
  const known = new LruMap<string, KnownState>(options.maxTrackedClients);
  // Shadow mode follows the trajectory it would have set, so its log shows each step once.
  const shadowStates = new LruMap<string, PolicyState>(options.maxTrackedClients);

  async function stateOf(clientId: string, nowMs: number, fresh: boolean): Promise<KnownState> {
    const cached = known.get(clientId);
    if (!fresh && cached && nowMs - cached.fetchedAtMs < options.evaluateIntervalMs) return cached;
    const client = await store.getClient(clientId, nowMs);
    const override = activeOverride(client?.override, nowMs);
    const state: KnownState = {
      multiplier: client?.multiplier ?? 1,
      multiplierUpdatedAtMs: client?.multiplierUpdatedAtMs ?? 0,
      pinned: override?.multiplier !== undefined,
      fetchedAtMs: nowMs,
      ...(client?.tierLimits ? { tierLimits: client.tierLimits } : {}),
      ...(override ? { override } : {}),
    };
    known.set(clientId, state);
    return state;
  }

  function capacityAt(state: KnownState, multiplier: number, nowMs: number): number | undefined {
    if (!state.tierLimits) return undefined;
    return resolveLimits(state.tierLimits, multiplier, state.override, nowMs).capacity;
  }

  async function judge(clientId: string, signals: ClientSignals, nowMs: number, fresh: boolean): Promise<FeedbackOutcome | undefined> {
    const state = await stateOf(clientId, nowMs, fresh);
    if (options.mode === 'shadow') {
      const simulated = shadowStates.get(clientId) ?? { ...state };
      const decision = evaluatePolicy(signals, simulated, options, nowMs);
      if (!decision) return undefined;
      shadowStates.set(clientId, { multiplier: decision.multiplier, multiplierUpdatedAtMs: nowMs, pinned: simulated.pinned });
      logger.info('feedback decision (shadow, not applied)', { ...decisionFields(clientId, decision, signals), shadow: true });
      return { clientId, decision, applied: false, shadow: true };
    }
    const decision = evaluatePolicy(signals, state, options, nowMs);
    if (!decision) return undefined;
    const applied = await store.setMultiplier(clientId, decision.multiplier, nowMs, state.multiplier);
    if (!applied) {
      known.delete(clientId); // someone else changed it: read it again next time
      return { clientId, decision, applied: false, shadow: false };
    }
    known.set(clientId, { ...state, multiplier: decision.multiplier, multiplierUpdatedAtMs: nowMs });
    const event: AuditEvent = {
      atMs: nowMs,
      clientId,
      actor: 'feedback',
      rule: decision.rule,
      reason: decision.reason,
      oldMultiplier: decision.previousMultiplier,
      newMultiplier: decision.multiplier,
      ...optionalNumber('oldCapacity', capacityAt(state, decision.previousMultiplier, nowMs)),
      ...optionalNumber('newCapacity', capacityAt(state, decision.multiplier, nowMs)),
      signals: signalValues(signals),
    };
    await store.appendAudit(event);
    logger.info('feedback multiplier changed', { ...event, ruleValues: decision.values });
    return { clientId, decision, applied: true, shadow: false };
  }

  function reportError(clientId: string, step: string, error: unknown): void {
    logger.warn('feedback loop could not use the store', {
      clientId,
      step,
      error: error instanceof Error ? error.name : 'unknown',
      code: (error as { code?: unknown } | null)?.code,
    });
  }

  return {
    options,
    async observe(clientId, outcome) {
      if (options.mode === 'off') return [];
      const nowMs = now();
      const results = await Promise.all(
        samplesFor(clientId, outcome).map(async ({ key, sample }) => {
          try {
            const reading = await store.recordSignals(key, sample, window, nowMs);
            return await judge(key, toClientSignals(reading), nowMs, false);
          } catch (error) {
            reportError(key, 'observe', error);
            return undefined;
          }
        }),
      );
      return results.filter((r): r is FeedbackOutcome => r !== undefined);
    },
    async evaluate(clientId) {
      if (options.mode === 'off') return undefined;
      const nowMs = now();
      try {
        const reading = await store.readSignals(clientId, window, nowMs);
        return await judge(clientId, toClientSignals(reading), nowMs, true);
      } catch (error) {
        reportError(clientId, 'evaluate', error);
        return undefined;
      }
    },
  };
}

function decisionFields(clientId: string, decision: PolicyDecision, signals: ClientSignals): Record<string, unknown> {
  return {
    clientId,
    rule: decision.rule,
    reason: decision.reason,
    oldMultiplier: decision.previousMultiplier,
    newMultiplier: decision.multiplier,
    ruleValues: decision.values,
    signals: signalValues(signals),
  };
}

function optionalNumber<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** A logger that also tells `onRule` of every multiplier change (for the metrics). */
export function countingLogger(inner: FeedbackLogger, onRule: (rule: string) => void): FeedbackLogger {
  return {
    info(message, fields) {
      if (typeof fields.rule === 'string' && fields.shadow !== true) onRule(fields.rule);
      inner.info(message, fields);
    },
    warn: (message, fields) => inner.warn(message, fields),
  };
}
