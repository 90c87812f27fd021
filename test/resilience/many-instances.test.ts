import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeStoreOptions, openStore, type OpenedStore } from '../../src/store/store-from-config';
import { testKeySource, tokenFor } from '../support/gateway';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server';
import { describeStoreContract } from '../store/store-contract';
import { writeConfigFile } from './support/config-file';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { send, sleep, Tally, type Outcome } from './support/load';
import { startRedisCluster, type RedisClusterHandle } from './support/redis-cluster';

/**
 * Three gateway processes (`src/main.ts`, as `npm start` runs it) share one Redis, then one
 * Redis Cluster: a client's budget holds across them when a round-robin client spreads its
 * requests over all three. With per-instance budgets it would get about three times as much.
 */

const capacity = 30;
const restorePerSecond = 1;
const runMs = 4_000;
const loops = 6;
/** Costs 1 (estimate and actual alike), so cost served = requests served. */
const query = { query: '{ getPetById(petId: 1) { name } }' };

interface Backend {
  label: string;
  /** Store config (and env) that points the gateways at it. */
  store: Record<string, unknown>;
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function singleRedis(): Promise<Backend> {
  const redis: RedisServerHandle = await startRedisServer();
  return { label: 'one redis-server', store: {}, env: { LOOPGATE_REDIS_URL: redis.url }, stop: () => redis.stop() };
}

async function cluster(): Promise<Backend> {
  const c: RedisClusterHandle = await startRedisCluster();
  return { label: 'three-node Redis Cluster', store: { kind: 'redis-cluster', nodes: c.nodes }, env: {}, stop: () => c.stop() };
}

describe.each([
  ['redis', singleRedis],
  ['redis-cluster', cluster],
] as const)('three gateway processes on %s', (_kind, startBackend) => {
  let backend: Backend;
  let gateways: GatewayProcess[] = [];
  let removeConfig = () => {};

  beforeAll(async () => {
    const t0 = Date.now();
    backend = await startBackend();
    console.log(`[many-instances] ${backend.label} up in ${Date.now() - t0} ms`);
    const config = writeConfigFile({
      auth: { keySources: [testKeySource] },
      budgets: { tiers: { anonymous: { capacity: 10, restoreRatePerSecond: 1 }, small: { capacity, restoreRatePerSecond: restorePerSecond }, warm: { capacity: 1_000, restoreRatePerSecond: 100 } } },
      store: { prefix: `lg-many-${randomUUID().slice(0, 8)}:`, failureMode: 'fail-closed', timeoutMs: 1_000, ...backend.store },
      responses: { costExtension: true },
      // The feedback loop lowers a throttled client's multiplier (capacity 30 -> 15): correct,
      // but it would move the bound under test. Shadow mode keeps the tier's numbers fixed.
      feedback: { mode: 'shadow' },
    });
    removeConfig = config.remove;
    gateways = await Promise.all([1, 2, 3].map(() => startGatewayProcess({ LOOPGATE_CONFIG: config.path, ...backend.env })));
    // The first requests of a fresh process are slow (tsx, JIT, plan caches): warm each one up
    // with another client so the measured run sees steady-state instances.
    const warm = await tokenFor({ sub: `warm-${randomUUID()}`, tier: 'warm', scope: 'pet:read' });
    for (const g of gateways) for (let i = 0; i < 5; i++) expect((await send(g.graphqlUrl, query, { token: warm })).status).toBe(200);
    console.log(`[many-instances] three gateway processes up and warm after ${Date.now() - t0} ms`);
  }, 120_000);

  afterAll(async () => {
    const codes = await Promise.all(gateways.map((g) => g.stop()));
    await backend?.stop();
    removeConfig();
    // A clean exit on SIGTERM is part of running N instances under an orchestrator.
    expect(codes).toEqual(gateways.map(() => 0));
  }, 30_000);

  it('holds one client budget across all three instances', async () => {
    const token = await tokenFor({ sub: `rr-${randomUUID()}`, tier: 'small', scope: 'pet:read' });
    const tally = new Tally();
    const servedBy = gateways.map(() => 0);
    const throttledBy = gateways.map(() => 0);
    let costServed = 0;
    let next = 0;
    const unexpected: Outcome[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: loops }, async () => {
        while (Date.now() - started < runMs) {
          const target = next++ % gateways.length;
          const outcome = await send(gateways[target]!.graphqlUrl, query, { token });
          tally.add(outcome);
          if (outcome.status === 200 && outcome.codes.length === 0) {
            servedBy[target]!++;
            costServed += Number((outcome.body?.extensions?.cost as { actualQueryCost?: number } | undefined)?.actualQueryCost);
          } else if (outcome.status === 429 && outcome.codes.join() === 'THROTTLED') {
            throttledBy[target]!++;
            // Throttled clients are told when to come back; do not spin on it.
            await sleep(20);
          } else unexpected.push(outcome);
        }
      }),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    // The bucket starts full (capacity) and refills continuously at restorePerSecond from the
    // first charge; the client's window [start, end] encloses every charge, so the refill
    // during it is at most restorePerSecond * elapsed. Tolerance 1: a charge fits when the
    // bucket holds >= 1 point, so the fractional remainder of the refill can round up by one.
    // There is no tolerance for clock skew: the three processes read one host clock.
    const bound = capacity + restorePerSecond * elapsedSeconds + 1;
    console.log(
      `[many-instances ${backend.label}] ${elapsedSeconds.toFixed(2)} s, ${tally.total} requests: ${tally}; ` +
        `cost served ${costServed} (bound ${bound.toFixed(1)}), served per instance ${servedBy.join('/')}, throttled per instance ${throttledBy.join('/')}`,
    );
    expect(unexpected).toEqual([]);
    expect(costServed).toBeLessThanOrEqual(bound);
    // The whole capacity was usable, and every instance both served and throttled this client.
    expect(costServed).toBeGreaterThanOrEqual(capacity);
    for (let i = 0; i < gateways.length; i++) {
      expect(servedBy[i]).toBeGreaterThan(0);
      expect(throttledBy[i]).toBeGreaterThan(0);
    }
  });
});

// The Redis store's own contract, run through openStore on a Cluster client: every operation
// (Lua scripts, transactions, pipelines) must keep its keys in one slot.
let contractCluster: Promise<RedisClusterHandle> | undefined;
afterAll(async () => {
  await (await contractCluster)?.stop();
}, 30_000);
let contractRun = 0;
describeStoreContract('redis-cluster through openStore', async (n) => {
  const handle = await (contractCluster ??= startRedisCluster());
  const options = normalizeStoreOptions(
    { kind: 'redis-cluster', nodes: handle.nodes, prefix: `lg-contract-${process.pid}-${contractRun++}:`, failureMode: 'fail-closed', timeoutMs: 2_000 },
    {},
  );
  const opened: OpenedStore[] = await Promise.all(Array.from({ length: n }, () => openStore(options)));
  return { stores: opened.map((o) => o.store), cleanup: () => Promise.all(opened.map((o) => o.close())).then(() => undefined) };
});
