/**
 * CPU profile of one benchmark scenario under load, for finding where a request's time goes:
 * starts the shared backends and the scenario as `npm run bench` does, warms up for 2 s, then
 * profiles this process (the gateway; the load generator runs in a worker thread) for 6 s.
 *
 *   npx tsx bench/profile.ts [scenario]     (default loopgate-full-memory)
 *
 * Writes bench/results/<scenario>.cpuprofile (git-ignored), which Chrome DevTools opens.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { readSupergraph } from '../src/gateway/supergraph';
import { startBackendsProcess } from './harness/backends';
import { fireLoad } from './harness/load';
import { scenarioNames, type ScenarioName } from './harness/options';
import { benchQueries } from './harness/queries';
import { repoRoot } from './harness/run-bench';
import { startScenario } from './harness/scenarios';
import { createBenchKey, mintBenchToken } from './harness/tokens';

const name = (process.argv[2] ?? 'loopgate-full-memory') as ScenarioName;
if (!scenarioNames.includes(name) || name === 'loopgate-full-redis') {
  process.stderr.write(`usage: npx tsx bench/profile.ts [${scenarioNames.filter((n) => n !== 'loopgate-full-redis').join('|')}]\n`);
  process.exit(2);
}
const backends = await startBackendsProcess();
try {
  const key = createBenchKey();
  const scenario = await startScenario(name, {
    cwd: repoRoot,
    supergraph: readSupergraph('mesh/supergraph.graphql', repoRoot),
    backends,
    key,
    token: await mintBenchToken(key),
    query: benchQueries.reviews,
  });
  const target = { url: scenario.url, headers: scenario.headers, body: scenario.body };
  await fireLoad(target, { durationSeconds: 2, connections: 16 });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const sample = await fireLoad(target, { durationSeconds: 6, connections: 16 });
  const { profile } = await session.post('Profiler.stop');
  mkdirSync(`${repoRoot}bench/results`, { recursive: true });
  const path = `${repoRoot}bench/results/${name}.cpuprofile`;
  writeFileSync(path, JSON.stringify(profile));
  process.stdout.write(`${name}: ${Math.round(sample.requestsPerSecond)} req/s while profiled, p99 ${sample.p99Ms} ms; profile in ${path}\n`);
  await scenario.close();
} finally {
  await backends.stop();
}
