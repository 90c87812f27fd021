import { fileURLToPath } from 'node:url';
import { normalizeFeedbackOptions, type FeedbackOptions, type NormalizedFeedbackOptions } from '../../src/feedback/options';
import { startGateway, type RunningGateway } from '../../src/server';
import { actors as defaultActors, type ActorContext, type ActorLabel, type ActorSpec, type Behaviour } from './actors';
import { sendRequest, type Outcome } from './client';
import { compareAbusers, falseThrottles, type AbuserComparison, type FalseThrottles } from './compare';
import { scaleTiers, signToken, simulatorConfig, simulatorFeedbackOptions, simulatorTiers, type SimulationMode } from './gateway-config';
import { matchedFactor, type MatchedFactor } from './matched';
import { createRng, streamSeed, type Rng } from './prng';
import type { TierLimits } from '../../src/budget/options';

/**
 * Replays the labelled traffic mix through the real gateway (loopback HTTP, embedded
 * backends, real tokens) three times, on a virtual clock: with the adaptive policy, with the
 * static base budgets, and with static budgets scaled to the adaptive run's average multiplier
 * (static-matched, see `matched.ts`). The gateway reads `now()` from the simulator, which
 * jumps from one tick to the next instead of sleeping, so ten minutes of traffic take seconds.
 * Within a tick the actors run concurrently; each actor's own requests are sequential, and no
 * state is shared between actors' keys, so a run is a function of its seed.
 */

export interface SimulationOptions {
  /** Virtual minutes per run. Default 10. */
  minutes?: number;
  /** PRNG seed. Default 42. */
  seed?: number;
  /** Feedback options of the adaptive run, over the policy defaults (mode is set per run). Default `simulatorFeedbackOptions`. */
  feedback?: FeedbackOptions;
  /** Virtual time step, ms: requests are sent on tick boundaries. Default 100. */
  tickMs?: number;
  /** Drop the feedback loop's JSON log lines from stdout while the gateways run. Default true. */
  muteGatewayLogs?: boolean;
  /** The traffic mix. Default: the six actors of `actors.ts`. */
  actors?: readonly ActorSpec[];
}

export const defaultSimulationOptions = {
  minutes: 10,
  seed: 42,
  feedback: simulatorFeedbackOptions,
  tickMs: 100,
  muteGatewayLogs: true,
  actors: defaultActors,
} satisfies Required<SimulationOptions>;

export interface ActorStats {
  name: string;
  label: ActorLabel;
  tier: string;
  /** The budget and feedback key: the token's client id or `anon:<address>`. */
  clientId: string;
  requests: number;
  /** Requests with an operation refused by the budget (THROTTLED). */
  throttled: number;
  /** Virtual seconds from the start to the first THROTTLED answer; null when never throttled. */
  firstThrottleSeconds: number | null;
  /** Estimated cost of the operations the gateway admitted (what the budget charged up front). */
  costServed: number;
  /** Actual cost of those operations, counted from the responses (what the budget kept). */
  actualCostServed: number;
  /** Requests refused with 401 (forged tokens). */
  authFailures: number;
  /** Feedback multiplier at the end of the run (1 in both static runs). */
  finalMultiplier: number;
  /** Feedback rules that changed this client's multiplier, in the order they first fired. */
  rules: string[];
  /** Virtual seconds to the first multiplier cut; null when never cut. */
  firstCutSeconds: number | null;
  /** Every multiplier change the feedback loop made, oldest first. */
  decisions: Array<{ atSeconds: number; rule: string; multiplier: number }>;
  /** Distinct bucket limits the gateway reported (throttleStatus maximumAvailable, restoreRate), in the order first seen. */
  limitsSeen: TierLimits[];
}

export interface RunResult {
  mode: SimulationMode;
  /** The base tiers this run's gateway was configured with (before any feedback multiplier). */
  tiers: Readonly<Record<string, TierLimits>>;
  actors: ActorStats[];
  requests: number;
  wallMs: number;
}

export interface SimulationResult {
  seed: number;
  minutes: number;
  tickMs: number;
  /** Real date of the run, ISO 8601. */
  ranAt: string;
  /** Epoch ms the virtual clock starts at (fixed, so tokens and windows line up between runs). */
  virtualStartMs: number;
  tiers: Readonly<Record<string, TierLimits>>;
  /** The feedback options the adaptive run used, defaults filled in. */
  feedback: NormalizedFeedbackOptions;
  /** The keys given explicitly (tuning on top of the defaults). */
  feedbackOverrides: FeedbackOptions;
  adaptive: RunResult;
  static: RunResult;
  /** How m, the static-matched run's tier factor, came out of the adaptive run. */
  matched: MatchedFactor;
  /** feedback 'off' with every tier times `matched.factor`. */
  staticMatched: RunResult;
  abusers: AbuserComparison[];
  legitimate: { adaptive: FalseThrottles; static: FalseThrottles; staticMatched: FalseThrottles };
  wallMs: number;
}

/** Fixed virtual start, so a seed gives the same tokens, windows and numbers on any day. */
const virtualStartMs = Date.UTC(2026, 0, 1);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function runSimulation(options: SimulationOptions = {}): Promise<SimulationResult> {
  const o = { ...defaultSimulationOptions, ...stripUndefined(options) };
  if (!(Number.isFinite(o.minutes) && o.minutes > 0)) throw new TypeError('simulation.minutes must be a number > 0');
  if (!Number.isInteger(o.seed)) throw new TypeError('simulation.seed must be an integer');
  if (!(Number.isInteger(o.tickMs) && o.tickMs > 0)) throw new TypeError('simulation.tickMs must be an integer > 0');
  const feedback = normalizeFeedbackOptions({ ...o.feedback, mode: 'enforce' });
  const started = performance.now();
  const unmute = o.muteGatewayLogs ? muteFeedbackLogs() : () => {};
  try {
    const adaptive = await runMode('adaptive', o, simulatorTiers);
    const statik = await runMode('static', o, simulatorTiers);
    const matched = matchedFactor(adaptive, o.minutes * 60);
    const staticMatched = await runMode('static-matched', o, scaleTiers(simulatorTiers, matched.factor));
    return {
      seed: o.seed,
      minutes: o.minutes,
      tickMs: o.tickMs,
      ranAt: new Date().toISOString(),
      virtualStartMs,
      tiers: simulatorTiers,
      feedback,
      feedbackOverrides: o.feedback,
      adaptive,
      static: statik,
      matched,
      staticMatched,
      abusers: compareAbusers(adaptive, statik, staticMatched),
      legitimate: { adaptive: falseThrottles(adaptive), static: falseThrottles(statik), staticMatched: falseThrottles(staticMatched) },
      wallMs: performance.now() - started,
    };
  } finally {
    unmute();
  }
}

interface ActorRun {
  spec: ActorSpec;
  rng: Rng;
  behaviour: Behaviour;
  context: ActorContext;
  /** Virtual ms since the start at which the next request is due. */
  nextAtMs: number;
  stats: ActorStats;
}

async function runMode(mode: SimulationMode, o: Required<SimulationOptions>, tiers: Readonly<Record<string, TierLimits>>): Promise<RunResult> {
  let clockMs = virtualStartMs;
  const started = performance.now();
  const gateway = await startGateway({ config: simulatorConfig(mode, o.feedback, tiers), cwd: repoRoot, now: () => clockMs });
  try {
    const endMs = o.minutes * 60_000;
    const ttlSeconds = Math.ceil(endMs / 1000) + 3_600;
    const runs = await Promise.all(
      o.actors.map(async (spec): Promise<ActorRun> => {
        const rng = createRng(streamSeed(o.seed, spec.name));
        const behaviour = spec.behaviour();
        const token = spec.identity ? await signToken(spec.identity, clockMs, ttlSeconds) : undefined;
        const context: ActorContext = { rng, token, sign: (request) => signToken(request, clockMs, ttlSeconds) };
        return { spec, rng, behaviour, context, nextAtMs: behaviour.firstDelayMs(rng), stats: emptyStats(spec) };
      }),
    );
    for (;;) {
      const due = Math.min(...runs.map((r) => r.nextAtMs));
      const tickMs = Math.ceil(due / o.tickMs) * o.tickMs; // empty ticks are skipped, not slept
      if (tickMs >= endMs) break;
      clockMs = virtualStartMs + tickMs;
      await Promise.all(runs.filter((r) => r.nextAtMs <= tickMs).map((r) => drive(r, gateway, tickMs)));
    }
    clockMs = virtualStartMs + endMs;
    for (const run of runs) await settleStats(run.stats, gateway, clockMs);
    return {
      mode,
      tiers,
      actors: runs.map((r) => r.stats),
      requests: runs.reduce((sum, r) => sum + r.stats.requests, 0),
      wallMs: performance.now() - started,
    };
  } finally {
    await gateway.close();
  }
}

/** One actor's requests due in this tick: one, since every delay moves it past the tick. */
async function drive(run: ActorRun, gateway: RunningGateway, tickMs: number): Promise<void> {
  const request = await run.behaviour.request(run.context);
  const outcome = await sendRequest(gateway.graphqlUrl, run.spec.address, request);
  record(run.stats, outcome, tickMs);
  run.nextAtMs = tickMs + Math.max(1, run.behaviour.delayAfter(outcome, run.rng));
}

function record(stats: ActorStats, outcome: Outcome, tickMs: number): void {
  stats.requests++;
  if (outcome.throttled) {
    stats.throttled++;
    stats.firstThrottleSeconds ??= tickMs / 1000;
  }
  if (outcome.status === 401) stats.authFailures++;
  stats.costServed += outcome.estimatedCost;
  stats.actualCostServed += outcome.actualCost;
  const limits = outcome.limits;
  if (limits && !stats.limitsSeen.some((l) => l.capacity === limits.capacity && l.restoreRatePerSecond === limits.restoreRatePerSecond)) {
    stats.limitsSeen.push(limits);
  }
}

/** Final multiplier and the feedback decisions, read from the gateway's own store. */
async function settleStats(stats: ActorStats, gateway: RunningGateway, nowMs: number): Promise<void> {
  const store = gateway.services.store.store;
  stats.finalMultiplier = (await store.getClient(stats.clientId, nowMs))?.multiplier ?? 1;
  const events = (await store.listAudit(stats.clientId, 1_000)).reverse();
  const cuts = events.filter((e) => e.rule !== 'recovery' && (e.newMultiplier ?? 1) < (e.oldMultiplier ?? 1));
  stats.rules = [...new Set(events.map((e) => e.rule))];
  stats.firstCutSeconds = cuts.length ? (cuts[0]!.atMs - virtualStartMs) / 1000 : null;
  stats.decisions = events.map((e) => ({ atSeconds: (e.atMs - virtualStartMs) / 1000, rule: e.rule, multiplier: e.newMultiplier ?? stats.finalMultiplier }));
}

function emptyStats(spec: ActorSpec): ActorStats {
  return {
    name: spec.name,
    label: spec.label,
    tier: spec.identity?.tier ?? 'anonymous',
    clientId: spec.identity?.subject ?? `anon:${spec.address}`,
    requests: 0,
    throttled: 0,
    firstThrottleSeconds: null,
    costServed: 0,
    actualCostServed: 0,
    authFailures: 0,
    finalMultiplier: 1,
    rules: [],
    firstCutSeconds: null,
    decisions: [],
    limitsSeen: [],
  };
}

/**
 * The feedback loop logs each multiplier change as a JSON line on stdout and the gateway
 * offers no logger hook; the simulator reads the same decisions from the audit trail instead.
 */
function muteFeedbackLogs(): () => void {
  const original = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('{"level":')) return true;
    return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
