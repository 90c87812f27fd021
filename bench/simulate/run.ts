import { fileURLToPath } from 'node:url';
import { normalizeFeedbackOptions, type FeedbackOptions, type NormalizedFeedbackOptions } from '../../src/feedback/options';
import { startGateway, type RunningGateway } from '../../src/server';
import { actors as defaultActors, type ActorContext, type ActorLabel, type ActorSpec, type Behaviour } from './actors';
import { sendRequest, type Outcome } from './client';
import { signToken, simulatorConfig, simulatorFeedbackOptions, simulatorTiers, type SimulationMode } from './gateway-config';
import { createRng, streamSeed, type Rng } from './prng';
import type { TierLimits } from '../../src/budget/options';

/**
 * Replays the labelled traffic mix through the real gateway (loopback HTTP, embedded
 * backends, real tokens) once with the adaptive policy and once with static budgets, on a
 * virtual clock: the gateway reads `now()` from the simulator, which jumps from one tick to
 * the next instead of sleeping, so ten minutes of traffic take seconds. Within a tick the
 * actors run concurrently; each actor's own requests are sequential, and no state is shared
 * between actors' keys, so a run is a function of its seed.
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
  /** Feedback multiplier at the end of the run (1 in the static run). */
  finalMultiplier: number;
  /** Feedback rules that changed this client's multiplier, in the order they first fired. */
  rules: string[];
  /** Virtual seconds to the first multiplier cut; null when never cut. */
  firstCutSeconds: number | null;
  /** Every multiplier change the feedback loop made, oldest first. */
  decisions: Array<{ atSeconds: number; rule: string; multiplier: number }>;
}

export interface RunResult {
  mode: SimulationMode;
  actors: ActorStats[];
  requests: number;
  wallMs: number;
}

export interface AbuserComparison {
  name: string;
  adaptive: { costServed: number; actualCostServed: number; throttled: number };
  static: { costServed: number; actualCostServed: number; throttled: number };
  /** adaptive / static cost served (estimates); below 1 means the adaptive policy held it back. */
  costRatio: number;
}

export interface FalseThrottles {
  requests: number;
  /** Throttles suffered by legitimate actors. */
  throttled: number;
  /** throttled / requests. */
  rate: number;
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
  abusers: AbuserComparison[];
  legitimate: { adaptive: FalseThrottles; static: FalseThrottles };
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
    const adaptive = await runMode('adaptive', o);
    const statik = await runMode('static', o);
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
      abusers: compareAbusers(adaptive, statik),
      legitimate: { adaptive: falseThrottles(adaptive), static: falseThrottles(statik) },
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

async function runMode(mode: SimulationMode, o: Required<SimulationOptions>): Promise<RunResult> {
  let clockMs = virtualStartMs;
  const started = performance.now();
  const gateway = await startGateway({ config: simulatorConfig(mode, o.feedback), cwd: repoRoot, now: () => clockMs });
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
  };
}

function compareAbusers(adaptive: RunResult, statik: RunResult): AbuserComparison[] {
  const pick = (s: ActorStats) => ({ costServed: s.costServed, actualCostServed: s.actualCostServed, throttled: s.throttled });
  return adaptive.actors
    .filter((a) => a.label === 'abusive')
    .map((a) => {
      const s = statik.actors.find((x) => x.name === a.name)!;
      return { name: a.name, adaptive: pick(a), static: pick(s), costRatio: s.costServed > 0 ? a.costServed / s.costServed : 0 };
    });
}

function falseThrottles(run: RunResult): FalseThrottles {
  const legit = run.actors.filter((a) => a.label === 'legit');
  const requests = legit.reduce((sum, a) => sum + a.requests, 0);
  const throttled = legit.reduce((sum, a) => sum + a.throttled, 0);
  return { requests, throttled, rate: requests > 0 ? throttled / requests : 0 };
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
