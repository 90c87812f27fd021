import { fileURLToPath } from 'node:url';
import { readSupergraph } from '../../src/gateway/supergraph';
import { startRedisServer, type RedisServerHandle } from '../../test/support/redis-server';
import { startBackendsProcess, type BackendsProcess } from './backends';
import { checkScenario } from './check';
import { fireLoad, type LoadSample } from './load';
import { normalizeBenchOptions, type BenchOptions, type ScenarioName } from './options';
import { benchQueries } from './queries';
import { computeRatios, describeMachine, type Report, type ScenarioResult } from './report';
import { scenarioSpecs, startScenario, type RunningScenario } from './scenarios';
import { rotated } from './stats';
import { createBenchKey, mintBenchToken } from './tokens';

/** The repository root: the supergraph path and git commit are read from there. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface RunHooks {
  /** Progress lines. Default: stderr. */
  log?: (line: string) => void;
  /** Stops after the current run; everything started is still stopped. */
  signal?: AbortSignal;
}

/** A run that overran its duration by this much is refused (a hung server, a stuck socket). */
const runSlackMs = 30_000;

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Runs the benchmark: shared backends (and a redis-server when a Redis scenario is selected),
 * every selected scenario started once and checked for a correct answer, then `rounds`
 * interleaved rounds (round r starts r scenarios further along), each run preceded by a
 * warm-up. Everything started here is stopped before it returns or throws.
 */
export async function runBenchmark(input: BenchOptions = {}, hooks: RunHooks = {}): Promise<Report> {
  const options = normalizeBenchOptions(input);
  const log = hooks.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const machine = describeMachine(repoRoot);
  const query = benchQueries[options.query];
  const results = new Map<ScenarioName, ScenarioResult>(
    options.only.map((name) => [name, { name, describe: scenarioSpecs[name].describe, correct: false, samples: [] }]),
  );
  const running: RunningScenario[] = [];
  let backends: BackendsProcess | undefined;
  let redis: RedisServerHandle | undefined;
  try {
    backends = await startBackendsProcess();
    log(`backends: petstore ${backends.petstoreUrl}, reviews ${backends.reviewsUrl} (pid ${backends.pid})`);
    if (options.only.includes('loopgate-full-redis')) {
      redis = await startRedisServer();
      log(`redis-server: ${redis.url}`);
    }
    const key = createBenchKey();
    const ctx = {
      cwd: repoRoot,
      supergraph: readSupergraph('mesh/supergraph.graphql', repoRoot),
      backends,
      key,
      token: await mintBenchToken(key),
      query,
      redisUrl: redis?.url,
    };

    const expectedBodies = new Map<ScenarioName, string>();
    for (const name of options.only) {
      const result = results.get(name)!;
      let scenario: RunningScenario;
      try {
        scenario = await withDeadline(startScenario(name, ctx), 60_000, `starting ${name}`);
      } catch (error) {
        result.excluded = `failed to start: ${(error as Error).message}`;
        log(`!!! ${name} ${result.excluded}`);
        continue;
      }
      running.push(scenario);
      const check = await checkScenario(scenario);
      result.correct = check.problem === undefined;
      if (check.problem) {
        result.excluded = `wrong response: ${check.problem}`;
        log(`!!! ${name} ${result.excluded}`);
        continue;
      }
      expectedBodies.set(name, check.body);
      log(`${name}: ${scenario.url} answers correctly (${check.body.length} bytes)`);
    }

    const measured = running.filter((s) => !results.get(s.name)!.excluded);
    const perRunSeconds = options.warmupSeconds + options.durationSeconds;
    log(`measuring ${measured.length} scenarios x ${options.rounds} rounds: about ${Math.ceil((measured.length * options.rounds * perRunSeconds) / 60)} min`);
    for (let round = 0; round < options.rounds && !hooks.signal?.aborted; round++) {
      for (const scenario of rotated(measured, round)) {
        if (hooks.signal?.aborted) break;
        const target = { url: scenario.url, headers: scenario.headers, body: scenario.body, expectBody: expectedBodies.get(scenario.name) };
        const load = (durationSeconds: number): Promise<LoadSample> =>
          withDeadline(
            fireLoad(target, { durationSeconds, connections: options.connections }),
            durationSeconds * 1000 + runSlackMs,
            `a run of ${scenario.name}`,
          );
        if (options.warmupSeconds > 0) await load(options.warmupSeconds);
        const sample = await load(options.durationSeconds);
        results.get(scenario.name)!.samples.push(sample);
        log(
          `round ${round + 1}/${options.rounds} ${scenario.name.padEnd(32)} ${sample.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
            `  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms${sample.failures ? `  !!! ${sample.failureDetail}` : ''}`,
        );
      }
    }
  } finally {
    await Promise.allSettled(running.map((s) => s.close()));
    await redis?.stop();
    await backends?.stop();
  }
  return { machine, options, results: [...results.values()], ratios: computeRatios(results) };
}
