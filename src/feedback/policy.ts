import type { NormalizedFeedbackOptions } from './options';
import type { ClientSignals } from './signals';

/**
 * The feedback policy, pure: window sums + the client's multiplier state -> a new multiplier,
 * or nothing. Abuse halves the multiplier (multiplicative decrease); clean windows add a small
 * step back (additive recovery), the shape TCP uses so that abusers lose budget fast and
 * regain it slowly. Evidence decays because the sums only cover the rolling window.
 */

export type AbuseRule =
  | 'credential_stuffing'
  | 'auth_failures'
  | 'probing'
  | 'denial_ratio'
  | 'validation_ratio'
  | 'estimate_gap'
  | 'limit_rejections'
  | 'throttles'
  | 'distinct_operations';

export type PolicyRule = AbuseRule | 'recovery';

export interface PolicyState {
  /** Current feedback multiplier. */
  multiplier: number;
  /** When it last changed, epoch ms (0 = never). */
  multiplierUpdatedAtMs: number;
  /** An operator pinned the multiplier: the loop leaves it alone. */
  pinned: boolean;
}

export interface PolicyDecision {
  multiplier: number;
  previousMultiplier: number;
  rule: PolicyRule;
  /** One sentence with the numbers, for logs and the admin API. */
  reason: string;
  /** The signal values the rule looked at. */
  values: Record<string, number>;
}

interface Finding {
  rule: AbuseRule;
  reason: string;
  values: Record<string, number>;
}

type Check = (s: ClientSignals, o: NormalizedFeedbackOptions) => Finding | undefined;

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** In order of severity: the first that fires names the decision. */
const checks: readonly Check[] = [
  (s, o) =>
    s.distinctFailedSubjects >= o.credentialStuffingThreshold
      ? {
          rule: 'credential_stuffing',
          reason: `${s.distinctFailedSubjects} distinct subjects failed authentication (threshold ${o.credentialStuffingThreshold})`,
          values: { distinctFailedSubjects: s.distinctFailedSubjects, authFailures: s.errors.auth_failure },
        }
      : undefined,
  (s, o) =>
    s.errors.auth_failure >= o.authFailureThreshold
      ? {
          rule: 'auth_failures',
          reason: `${s.errors.auth_failure} failed authentications (threshold ${o.authFailureThreshold})`,
          values: { authFailures: s.errors.auth_failure },
        }
      : undefined,
  (s, o) => {
    const probes = s.introspection + s.suggestionProbes;
    return probes >= o.probingThreshold
      ? {
          rule: 'probing',
          reason: `${probes} introspection or suggestion probes (threshold ${o.probingThreshold})`,
          values: { introspection: s.introspection, suggestionProbes: s.suggestionProbes },
        }
      : undefined;
  },
  (s, o) => {
    const r = ratio(s.errors.scope_denial, s.requests);
    return s.requests >= o.minRequests && r >= o.denialRatioThreshold
      ? {
          rule: 'denial_ratio',
          reason: `${s.errors.scope_denial} of ${s.requests} requests denied by scope (ratio ${round(r)} >= ${o.denialRatioThreshold})`,
          values: { scopeDenials: s.errors.scope_denial, requests: s.requests, denialRatio: round(r) },
        }
      : undefined;
  },
  (s, o) => {
    const r = ratio(s.errors.validation_error, s.requests);
    return s.requests >= o.minRequests && r >= o.validationErrorRatioThreshold
      ? {
          rule: 'validation_ratio',
          reason: `${s.errors.validation_error} of ${s.requests} requests invalid (ratio ${round(r)} >= ${o.validationErrorRatioThreshold})`,
          values: { validationErrors: s.errors.validation_error, requests: s.requests, validationRatio: round(r) },
        }
      : undefined;
  },
  (s, o) => {
    const r = ratio(s.actualCost, s.estimatedCost);
    return s.estimatedCost >= o.estimateGapMinCost && r >= o.estimateGapRatioThreshold
      ? {
          rule: 'estimate_gap',
          reason: `actual cost ${s.actualCost} is ${round(r)}x the estimate ${s.estimatedCost} (threshold ${o.estimateGapRatioThreshold}x)`,
          values: { estimatedCost: s.estimatedCost, actualCost: s.actualCost, gapRatio: round(r) },
        }
      : undefined;
  },
  (s, o) =>
    s.errors.limit_rejection >= o.limitRejectionThreshold
      ? {
          rule: 'limit_rejections',
          reason: `${s.errors.limit_rejection} requests over operation limits (threshold ${o.limitRejectionThreshold})`,
          values: { limitRejections: s.errors.limit_rejection },
        }
      : undefined,
  (s, o) =>
    s.errors.throttle >= o.throttleThreshold
      ? {
          rule: 'throttles',
          reason: `${s.errors.throttle} requests after being throttled (threshold ${o.throttleThreshold})`,
          values: { throttles: s.errors.throttle },
        }
      : undefined,
  (s, o) =>
    s.distinctOperations >= o.distinctOperationsThreshold
      ? {
          rule: 'distinct_operations',
          reason: `${s.distinctOperations} distinct operations (threshold ${o.distinctOperationsThreshold})`,
          values: { distinctOperations: s.distinctOperations },
        }
      : undefined,
];

/** The abuse rule that fires on these sums, if any (upstream errors are never the client's fault). */
export function findAbuse(signals: ClientSignals, options: NormalizedFeedbackOptions): Finding | undefined {
  for (const check of checks) {
    const finding = check(signals, options);
    if (finding) return finding;
  }
  return undefined;
}

/**
 * Decides one client's multiplier. Returns undefined for "no change": mode off, multiplier
 * pinned by an operator, inside the cooldown, already at the bound, or nothing to do.
 * Shadow mode decides the same way; the caller applies nothing.
 */
export function evaluatePolicy(
  signals: ClientSignals,
  state: PolicyState,
  options: NormalizedFeedbackOptions,
  nowMs: number,
): PolicyDecision | undefined {
  if (options.mode === 'off' || state.pinned) return undefined;
  const current = state.multiplier;
  const sinceChangeMs = nowMs - state.multiplierUpdatedAtMs;
  const finding = findAbuse(signals, options);
  if (finding) {
    if (sinceChangeMs < options.cooldownMs) return undefined;
    const next = round(Math.max(options.minMultiplier, Math.min(options.maxMultiplier, current * options.decreaseFactor)));
    if (next >= current) return undefined;
    return { multiplier: next, previousMultiplier: current, ...finding };
  }
  if (current >= options.maxMultiplier) return undefined;
  // One step per evaluation, at least a full window after the last change, and only when the
  // window now ends clean: abuse seen at the floor (which changes nothing) never banks steps
  // that would pay out all at once when it stops.
  if (sinceChangeMs < Math.max(options.windowMs, options.cooldownMs)) return undefined;
  const next = round(Math.min(options.maxMultiplier, current + options.recoveryStep));
  return {
    multiplier: next,
    previousMultiplier: current,
    rule: 'recovery',
    reason: `a clean window since the last change: +${options.recoveryStep}`,
    values: { cleanWindows: 1, requests: signals.requests },
  };
}
