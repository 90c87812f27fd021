import { describe, expect, it } from 'vitest';
import { normalizeFeedbackOptions, type FeedbackOptions } from '../../src/feedback/options';
import { evaluatePolicy, type PolicyState } from '../../src/feedback/policy';
import { emptySignals, signalWindow, toClientSignals, type ClientSignals, type ErrorKind } from '../../src/feedback/signals';
import { createMemoryStore } from '../../src/store/memory-store';

const nowMs = 10_000_000;
const longAgo = nowMs - 3_600_000_000; // far enough that neither cooldown nor recovery timing matters

function signals(partial: Partial<Omit<ClientSignals, 'errors'>> = {}, errors: Partial<Record<ErrorKind, number>> = {}): ClientSignals {
  return { ...emptySignals, ...partial, errors: { ...emptySignals.errors, ...errors } };
}

function state(partial: Partial<PolicyState> = {}): PolicyState {
  return { multiplier: 1, multiplierUpdatedAtMs: longAgo, pinned: false, ...partial };
}

const run = (s: ClientSignals, st: PolicyState = state(), options: FeedbackOptions = {}, at = nowMs) =>
  evaluatePolicy(s, st, normalizeFeedbackOptions(options), at);

describe('policy: multiplicative decrease on each abuse kind', () => {
  it.each([
    { rule: 'credential_stuffing', s: signals({ distinctFailedSubjects: 5 }, { auth_failure: 5 }) },
    { rule: 'auth_failures', s: signals({}, { auth_failure: 5 }) },
    { rule: 'probing', s: signals({ introspection: 3, suggestionProbes: 2 }) },
    { rule: 'denial_ratio', s: signals({ requests: 10 }, { scope_denial: 3 }) },
    { rule: 'validation_ratio', s: signals({ requests: 10 }, { validation_error: 5 }) },
    { rule: 'estimate_gap', s: signals({ requests: 2, estimatedCost: 100, actualCost: 150 }) },
    { rule: 'limit_rejections', s: signals({}, { limit_rejection: 10 }) },
    { rule: 'throttles', s: signals({}, { throttle: 20 }) },
    { rule: 'distinct_operations', s: signals({ distinctOperations: 50 }) },
  ])('$rule halves the multiplier', ({ rule, s }) => {
    const d = run(s);
    expect(d).toMatchObject({ rule, multiplier: 0.5, previousMultiplier: 1 });
    expect(Object.keys(d?.values ?? {}).length).toBeGreaterThan(0);
  });

  it.each([
    { name: 'auth failures under threshold', s: signals({}, { auth_failure: 4 }) },
    { name: 'probing under threshold', s: signals({ introspection: 4 }) },
    { name: 'denial ratio on too few requests', s: signals({ requests: 9 }, { scope_denial: 9 }) },
    { name: 'denial ratio under threshold', s: signals({ requests: 100 }, { scope_denial: 29 }) },
    { name: 'estimate gap on too little cost', s: signals({ estimatedCost: 99, actualCost: 1000 }) },
    { name: 'estimate over actual is no abuse', s: signals({ estimatedCost: 1000, actualCost: 10 }) },
    { name: 'upstream errors are not the client fault', s: signals({ requests: 100 }, { upstream_error: 100 }) },
    { name: 'distinct subjects under threshold', s: signals({ distinctFailedSubjects: 4 }, { auth_failure: 4 }) },
  ])('no change: $name', ({ s }) => {
    expect(run(s)).toBeUndefined();
  });

  it('names the most severe rule when several fire, with the values behind it', () => {
    const d = run(signals({ requests: 10 }, { auth_failure: 6, throttle: 50, scope_denial: 5 }));
    expect(d).toMatchObject({ rule: 'auth_failures', values: { authFailures: 6 } });
    expect(run(signals({ requests: 10 }, { scope_denial: 3 }))?.values).toEqual({ scopeDenials: 3, requests: 10, denialRatio: 0.3 });
  });

  it('uses configured thresholds and factor', () => {
    expect(run(signals({}, { auth_failure: 2 }), state(), { authFailureThreshold: 2, decreaseFactor: 0.25 })).toMatchObject({
      rule: 'auth_failures',
      multiplier: 0.25,
    });
  });
});

describe('policy: bounds, cooldown, recovery, pinning, modes', () => {
  const abuse = signals({}, { auth_failure: 10 });
  const clean = signals({ requests: 50, estimatedCost: 500, actualCost: 400 });

  it.each([
    { name: 'decrease stops at the minimum', st: state({ multiplier: 0.06 }), s: abuse, expected: 0.05 },
    { name: 'nothing below the minimum', st: state({ multiplier: 0.05 }), s: abuse, expected: undefined },
    { name: 'inside the cooldown: no decrease', st: state({ multiplierUpdatedAtMs: nowMs - 29_999 }), s: abuse, expected: undefined },
    { name: 'cooldown over: decrease', st: state({ multiplierUpdatedAtMs: nowMs - 30_000 }), s: abuse, expected: 0.5 },
    { name: 'one clean window: +0.05', st: state({ multiplier: 0.5, multiplierUpdatedAtMs: nowMs - 60_000 }), s: clean, expected: 0.55 },
    { name: 'window not over yet: no recovery', st: state({ multiplier: 0.5, multiplierUpdatedAtMs: nowMs - 59_999 }), s: clean, expected: undefined },
    { name: 'three windows since the change: still one step (+0.05), steps are never banked', st: state({ multiplier: 0.5, multiplierUpdatedAtMs: nowMs - 180_000 }), s: clean, expected: 0.55 },
    { name: 'recovery stops at the maximum', st: state({ multiplier: 0.98 }), s: clean, expected: 1 },
    { name: 'at the maximum: nothing', st: state({ multiplier: 1 }), s: clean, expected: undefined },
    { name: 'pinned by an operator: nothing', st: state({ pinned: true }), s: abuse, expected: undefined },
  ])('$name', ({ st, s, expected }) => {
    expect(run(s, st)?.multiplier).toBe(expected);
  });

  it('names recovery as the rule', () => {
    expect(run(clean, state({ multiplier: 0.5, multiplierUpdatedAtMs: nowMs - 60_000 }))).toMatchObject({
      rule: 'recovery',
      values: { cleanWindows: 1, requests: 50 },
    });
  });

  it('recovery waits for the cooldown when it is longer than the window', () => {
    const st = state({ multiplier: 0.5, multiplierUpdatedAtMs: nowMs - 60_000 });
    expect(run(clean, st, { cooldownMs: 120_000 })).toBeUndefined();
  });

  it('mode off decides nothing; shadow decides the same (the loop applies nothing)', () => {
    expect(run(abuse, state(), { mode: 'off' })).toBeUndefined();
    expect(run(abuse, state(), { mode: 'shadow' })).toEqual(run(abuse, state(), { mode: 'enforce' }));
  });

  it('decay: the same evidence judged after the window has passed is gone', async () => {
    // Decay is the rolling window's job: readings only cover windowMs, so a reading taken a
    // window later holds none of it, and the policy recovers instead of decreasing.
    const options = normalizeFeedbackOptions();
    const store = createMemoryStore();
    const w = signalWindow(options);
    for (let i = 0; i < 6; i++) await store.recordSignals('c', { counts: { requests: 1, auth_failure: 1 } }, w, nowMs);
    const st = state({ multiplier: 0.5, multiplierUpdatedAtMs: nowMs - 30_000 });
    expect(evaluatePolicy(toClientSignals(await store.readSignals('c', w, nowMs)), st, options, nowMs)?.rule).toBe('auth_failures');
    const later = nowMs + options.windowMs;
    const decayed = toClientSignals(await store.readSignals('c', w, later));
    expect(decayed.errors.auth_failure).toBe(0);
    expect(evaluatePolicy(decayed, st, options, later)).toMatchObject({ rule: 'recovery', multiplier: 0.55 });
  });
});
