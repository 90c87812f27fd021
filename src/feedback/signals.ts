import { anonymousPrefix } from '../auth/principal';
import { sha256Base64url } from '../shared/sha256';
import type { SignalReading, SignalSample, SignalWindow } from '../store/types';
import type { NormalizedFeedbackOptions } from './options';

/**
 * What the feedback loop counts per client over its rolling window, and how one request
 * outcome becomes counter increments. Signals live in the store (Redis when configured), so
 * every instance adds to, and judges on, the same sums: an abuser spread over N instances is
 * seen whole, not as N small clients.
 */

export type ErrorKind = 'auth_failure' | 'scope_denial' | 'validation_error' | 'limit_rejection' | 'throttle' | 'upstream_error';

export const errorKinds: readonly ErrorKind[] = [
  'auth_failure',
  'scope_denial',
  'validation_error',
  'limit_rejection',
  'throttle',
  'upstream_error',
];

/** What the gateway learnt from one request; pass it to FeedbackLoop.observe. */
export interface RequestOutcome {
  /** Estimated cost charged before execution (0 or absent when refused earlier). */
  estimatedCost?: number;
  /** Cost counted from the response. */
  actualCost?: number;
  /** Kinds of error this request met; each kind counts once per request however often it occurred. */
  errors?: readonly ErrorKind[];
  /** The operation asked for __schema / __type. */
  introspection?: boolean;
  /** A validation error would have carried a "Did you mean" suggestion (field-name probing). */
  suggestionProbe?: boolean;
  /** A short stable id of what the request ran (a hash of document and operation name, or of a batch's ids). */
  operationId?: string;
  /** The caller's address, after trusted-proxy resolution. */
  sourceAddress?: string;
  /** On auth_failure: the subject the failed credential named (unverified `sub`, user name). */
  failedSubject?: string;
}

/** Window sums for one key, typed. */
export interface ClientSignals {
  requests: number;
  estimatedCost: number;
  actualCost: number;
  errors: Record<ErrorKind, number>;
  introspection: number;
  suggestionProbes: number;
  /** Distinct operations seen (capped at distinctCap). */
  distinctOperations: number;
  /** Distinct subjects that failed authentication from this key (an address). */
  distinctFailedSubjects: number;
}

/** Budget and signal key of an address: the same id an anonymous principal from it gets. */
export function addressKey(sourceAddress: string): string {
  return `${anonymousPrefix}${sourceAddress}`;
}

/** Short, stable member for distinct sets: bounded size whatever the caller passes. */
export function shortHash(value: string): string {
  return sha256Base64url(value).slice(0, 12);
}

export function signalWindow(options: NormalizedFeedbackOptions): SignalWindow {
  return { slotMs: options.slotMs, slots: options.windowMs / options.slotMs, distinctCap: options.distinctCap };
}

/**
 * The store writes for one outcome: the client's own counters, plus, for a failed
 * authentication from a known address, the address's counters (credential stuffing shows as
 * many distinct subjects failing from one address, whichever client ids they claimed).
 */
export function samplesFor(clientId: string, outcome: RequestOutcome): Array<{ key: string; sample: SignalSample }> {
  const counts: Record<string, number> = { requests: 1 };
  if (outcome.estimatedCost !== undefined && outcome.estimatedCost > 0) counts.estimatedCost = outcome.estimatedCost;
  if (outcome.actualCost !== undefined && outcome.actualCost > 0) counts.actualCost = outcome.actualCost;
  const kinds = new Set(outcome.errors ?? []);
  for (const kind of kinds) counts[kind] = 1;
  if (outcome.introspection) counts.introspection = 1;
  if (outcome.suggestionProbe) counts.suggestion_probe = 1;

  const distinct: Record<string, string> = {};
  if (outcome.operationId !== undefined) distinct.operations = outcome.operationId;
  const authFailed = kinds.has('auth_failure');
  const subject = authFailed && outcome.failedSubject !== undefined ? shortHash(outcome.failedSubject) : undefined;
  const address = outcome.sourceAddress !== undefined ? addressKey(outcome.sourceAddress) : undefined;
  if (subject !== undefined && address === clientId) distinct.failedSubjects = subject;

  const out = [{ key: clientId, sample: { counts, distinct } }];
  if (authFailed && address !== undefined && address !== clientId) {
    out.push({
      key: address,
      sample: { counts: { auth_failure: 1 }, distinct: subject !== undefined ? { failedSubjects: subject } : {} },
    });
  }
  return out;
}

export function toClientSignals(reading: SignalReading): ClientSignals {
  const c = (name: string) => reading.counts[name] ?? 0;
  const errors = {} as Record<ErrorKind, number>;
  for (const kind of errorKinds) errors[kind] = c(kind);
  return {
    requests: c('requests'),
    estimatedCost: c('estimatedCost'),
    actualCost: c('actualCost'),
    errors,
    introspection: c('introspection'),
    suggestionProbes: c('suggestion_probe'),
    distinctOperations: reading.distinct.operations ?? 0,
    distinctFailedSubjects: reading.distinct.failedSubjects ?? 0,
  };
}

/** Flat view for logs and audit events. */
export function signalValues(signals: ClientSignals): Record<string, number> {
  const { errors, ...rest } = signals;
  return { ...rest, ...errors };
}

export const emptySignals: ClientSignals = toClientSignals({ counts: {}, distinct: {} });
