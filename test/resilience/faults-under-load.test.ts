import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReviewsBackend } from '../../mesh/backends/reviews-server';
import type { RunningBackend } from '../../mesh/backends/listen';
import type { LoopgateConfig } from '../../src/config';
import type { RunningGateway } from '../../src/server';
import { redisKeys } from '../../src/store/redis-store';
import { ISSUER, makeKey, startJwksServer, type JwksServer, type TestKey } from '../auth/helpers';
import { startTestGateway, tokenFor } from '../support/gateway';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server';
import { startFaultyUpstream, type FaultyUpstream, type UpstreamMode } from './support/faulty-upstream';
import { runLoops, send, sleep, Tally, waitUntil, type Outcome } from './support/load';

/**
 * Steady traffic (20 concurrent request loops) while the things a gateway depends on fail:
 * Redis killed and restarted (fail-open, then fail-closed), an upstream down, slow or
 * answering garbage, the JWKS endpoint gone. Figures (errors by code, time to recover,
 * requests lost) are printed; recovery times are measured, not asserted.
 */

const loops = 20;
const petQuery = { query: '{ getPetById(petId: 1) { name } }' };
const tiers = {
  anonymous: { capacity: 100, restoreRatePerSecond: 10 },
  load: { capacity: 1_000_000, restoreRatePerSecond: 100_000 },
  // Restores 1 point in ~17 minutes: whatever is missing after the outage was charged before it.
  frozen: { capacity: 1_000, restoreRatePerSecond: 0.001 },
};
const baseConfig: LoopgateConfig = {
  budgets: { tiers },
  // Throttles and errors during an outage must not move budgets while we measure them.
  feedback: { mode: 'shadow' },
  responses: { costExtension: true },
};

function report(title: string, figures: Record<string, unknown>): void {
  console.log(`[faults] ${title}: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join('; ')}`);
}

/** Requests that got no answer, a non-JSON answer, or a 5xx: none is acceptable unless listed. */
function lost(outcomes: Outcome[], allowed: (o: Outcome) => boolean = () => false): Outcome[] {
  return outcomes.filter((o) => (o.failure !== undefined || o.status >= 500) && !allowed(o));
}

describe('Redis killed and restarted under load', () => {
  let redis: RedisServerHandle;
  let dataDir: string;
  const prefix = `lg-faults-${randomUUID().slice(0, 8)}:`;
  let tokens: string[] = [];

  async function startPersistentRedis(port?: number): Promise<RedisServerHandle> {
    // appendfsync always: every write is on disk before Redis answers, so a SIGKILL loses nothing.
    return startRedisServer({ port, extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir] });
  }

  async function killRedis(): Promise<void> {
    const exited = new Promise((r) => redis.process.once('exit', r));
    redis.process.kill('SIGKILL');
    await exited;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loopgate-aof-'));
    redis = await startPersistentRedis();
    tokens = await Promise.all(Array.from({ length: loops }, (_, i) => tokenFor({ sub: `load-${i}`, tier: 'load', scope: 'pet:read' })));
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * 20 loops for 1 s, Redis killed (SIGKILL) for 1.5 s, restarted on the same port and data
   * folder; then `recovery` resolves with the time the gateway counted as recovered, and the
   * traffic runs 500 ms more.
   */
  async function outage(gateway: RunningGateway, recovery: (restartedAtMs: number, outcomes: Outcome[]) => Promise<number>) {
    const outcomes: Outcome[] = [];
    let stop = false;
    const traffic = runLoops(
      loops,
      () => stop,
      (loop) => send(gateway.graphqlUrl, petQuery, { token: tokens[loop] }),
      (o) => outcomes.push(o),
    );
    try {
      await sleep(1_000);
      const killedAtMs = Date.now();
      await killRedis();
      await sleep(1_500);
      redis = await startPersistentRedis(redis.port);
      const restartedAtMs = Date.now();
      const recoveredAtMs = await recovery(restartedAtMs, outcomes);
      await sleep(500);
      const during = outcomes.filter((o) => o.sentAtMs >= killedAtMs && o.sentAtMs < restartedAtMs);
      return { outcomes, during, recoverMs: recoveredAtMs - restartedAtMs, downMs: restartedAtMs - killedAtMs };
    } finally {
      stop = true;
      await traffic;
    }
  }

  /** The `req` counter of one client's hash in Redis (-1 while Redis does not answer). */
  async function requestsInRedis(clientId: string): Promise<number> {
    const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return Number((await probe.hget(redisKeys(prefix).client(clientId), 'req')) ?? 0);
    } catch {
      return -1;
    } finally {
      probe.disconnect();
    }
  }

  it('fail-open: keeps serving every request through the outage, and returns to Redis by itself', async () => {
    const gateway = await startTestGateway({ ...baseConfig, store: { kind: 'redis', url: redis.url, prefix, failureMode: 'fail-open' } });
    try {
      // Recovered = this client's charges land in Redis again, not in the local fallback.
      const result = await outage(gateway, async () => {
        let baseline = -1;
        await waitUntil(
          async () => {
            const n = await requestsInRedis('load-0');
            if (n >= 0 && baseline < 0) baseline = n;
            return baseline >= 0 && n > baseline;
          },
          15_000,
          'charges to reach Redis again',
        );
        return Date.now();
      });
      const tally = new Tally();
      for (const o of result.outcomes) tally.add(o);
      report('redis fail-open', {
        requests: tally.total,
        byCode: `{${tally}}`,
        duringOutage: result.during.length,
        downMs: result.downMs,
        backOnRedisMs: result.recoverMs,
        lost: lost(result.outcomes).length,
      });
      expect(result.during.length).toBeGreaterThan(0);
      expect(lost(result.outcomes)).toEqual([]);
      expect(result.outcomes.filter((o) => o.status !== 200 || o.codes.length > 0)).toEqual([]);
    } finally {
      await gateway.close();
    }
  }, 40_000);

  it('fail-closed: 503 STORE_UNAVAILABLE during the outage, serves again after the restart, budgets survive', async () => {
    const gateway = await startTestGateway({ ...baseConfig, store: { kind: 'redis', url: redis.url, prefix, failureMode: 'fail-closed' } });
    try {
      const saver = await tokenFor({ sub: `frozen-${randomUUID()}`, tier: 'frozen', scope: 'pet:read' });
      for (let i = 0; i < 10; i++) expect((await send(gateway.graphqlUrl, petQuery, { token: saver })).status).toBe(200);
      const before = (await send(gateway.graphqlUrl, petQuery, { token: saver })).body?.extensions?.cost as { throttleStatus: { currentlyAvailable: number } };
      expect(before.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(tiers.frozen.capacity - 11);

      const result = await outage(gateway, async (restartedAtMs, outcomes) => {
        let at: number | undefined;
        await waitUntil(() => (at = outcomes.find((o) => o.sentAtMs >= restartedAtMs && o.status === 200)?.doneAtMs) !== undefined, 15_000, 'a 200 after the restart');
        return at!;
      });
      const tally = new Tally();
      for (const o of result.outcomes) tally.add(o);
      const refused = result.outcomes.filter((o) => o.status === 503);
      report('redis fail-closed', {
        requests: tally.total,
        byCode: `{${tally}}`,
        duringOutage: result.during.length,
        downMs: result.downMs,
        recoverMs: result.recoverMs,
        refused503: refused.length,
        lost: lost(result.outcomes, (o) => o.status === 503).length,
      });
      // Refusals say why, with the documented code; nothing else fails, nothing hangs.
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((o) => o.codes.length === 1 && o.codes[0] === 'STORE_UNAVAILABLE')).toBe(true);
      expect(lost(result.outcomes, (o) => o.status === 503 && o.codes[0] === 'STORE_UNAVAILABLE')).toEqual([]);
      expect(result.outcomes.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);

      // The same gateway (no restart) serves again, and the bucket is where the outage left it.
      const after = await send(gateway.graphqlUrl, petQuery, { token: saver });
      expect(after.status).toBe(200);
      const available = (after.body?.extensions?.cost as { throttleStatus: { currentlyAvailable: number } }).throttleStatus.currentlyAvailable;
      report('redis fail-closed budget', { availableBefore: before.throttleStatus.currentlyAvailable, availableAfter: available });
      expect(available).toBeLessThanOrEqual(before.throttleStatus.currentlyAvailable);
      expect(available).toBeGreaterThanOrEqual(before.throttleStatus.currentlyAvailable - 2);
    } finally {
      await gateway.close();
    }
  }, 40_000);
});

describe('an upstream down, slow or answering garbage under load', () => {
  let reviews: RunningBackend;
  let upstream: FaultyUpstream;
  let gateway: RunningGateway;
  let token: string;
  /** Petstore (embedded, healthy) and reviews (behind the faulty proxy) in one operation. */
  const mixed = { query: '{ getPetById(petId: 1) { name } review(id: "r1") { text } }' };

  beforeAll(async () => {
    reviews = await startReviewsBackend();
    // Slow = twice the gateway's upstream timeout. The timeout is generous (3 s) because it also
    // applies to the healthy embedded Petstore, which shares this (possibly busy) process.
    upstream = await startFaultyUpstream(reviews.url, 6_000);
    gateway = await startTestGateway({
      ...baseConfig,
      sources: { reviews: { url: upstream.url } },
      upstream: { timeoutMs: 3_000 },
    });
    token = await tokenFor({ sub: `mixed-${randomUUID()}`, tier: 'load', scope: 'pet:read' });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await reviews?.close();
  });

  const healthy = (o: Outcome) =>
    o.status === 200 && o.codes.length === 0 && (o.body?.data?.review as { text?: string } | null)?.text === 'Rex is a good boy';

  it.each(['down', 'slow', 'garbage', 'wrong-shape'] as const)('%s: partial data with UPSTREAM_UNAVAILABLE, nothing hangs', async (mode: UpstreamMode) => {
    expect(healthy(await send(gateway.graphqlUrl, mixed, { token }))).toBe(true);
    const outcomes: Outcome[] = [];
    let stop = false;
    let restoredAtMs = Number.POSITIVE_INFINITY;
    let recoveredAtMs: number | undefined;
    const traffic = runLoops(
      loops,
      () => stop,
      () => send(gateway.graphqlUrl, mixed, { token }),
      (o) => {
        outcomes.push(o);
        if (recoveredAtMs === undefined && o.sentAtMs >= restoredAtMs && healthy(o)) recoveredAtMs = o.doneAtMs;
      },
    );
    await upstream.setMode(mode);
    const faultAtMs = Date.now();
    await sleep(1_500);
    await upstream.setMode('ok');
    restoredAtMs = Date.now();
    await waitUntil(() => recoveredAtMs !== undefined, 10_000, `recovery after ${mode}`).finally(() => (stop = true));
    await traffic;

    // In flight while the fault was on: sent before it ended, answered after it began (a slow
    // upstream holds requests sent just before the switch; the gateway's timeout answers them).
    const during = outcomes.filter((o) => o.doneAtMs >= faultAtMs && o.sentAtMs < restoredAtMs);
    const tally = new Tally();
    for (const o of during) tally.add(o);
    const slowest = Math.max(...outcomes.map((o) => o.doneAtMs - o.sentAtMs));
    report(`upstream ${mode}`, {
      requests: outcomes.length,
      duringFault: `{${tally}}`,
      slowestMs: slowest,
      recoverMs: recoveredAtMs! - restoredAtMs,
      lost: lost(outcomes).length,
    });
    expect(during.length).toBeGreaterThan(0);
    // No request went unanswered or got a 5xx: the healthy source's data always came back.
    expect(lost(outcomes)).toEqual([]);
    // Every answer is either fully healthy or the documented partial one.
    const partial = (o: Outcome) =>
      o.status === 200 &&
      (o.body?.data?.getPetById as { name?: string } | null)?.name === 'Rex' &&
      o.body?.data?.review === null &&
      o.codes.join() === 'UPSTREAM_UNAVAILABLE';
    expect(outcomes.filter((o) => !healthy(o) && !partial(o)).map((o) => ({ status: o.status, body: o.body }))).toEqual([]);
    expect(during.filter((o) => !healthy(o)).length).toBeGreaterThan(0);
  }, 30_000);
});

describe('the JWKS endpoint goes away under load', () => {
  let jwks: JwksServer;
  let key: TestKey;
  let gateway: RunningGateway;

  beforeAll(async () => {
    key = await makeKey('ES256', 'k1');
    jwks = await startJwksServer([key.publicJwk]);
    gateway = await startTestGateway({ ...baseConfig, auth: { keySources: [{ kind: 'jwks-url', url: jwks.url, issuer: ISSUER }] } });
  });
  afterAll(async () => {
    await gateway?.close();
    await jwks?.close().catch(() => undefined);
  });

  /** A fresh token per request (new subject), so every one is verified, not served from the token cache. */
  let minted = 0;
  const freshToken = () =>
    new SignJWT({ scope: 'pet:read', tier: 'load' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(ISSUER)
      .setSubject(`jwks-${minted++}`)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);

  it('keeps verifying tokens with the keys fetched before it went away', async () => {
    expect((await send(gateway.graphqlUrl, petQuery, { token: await freshToken() })).status).toBe(200);
    const fetchesBefore = jwks.requests;
    expect(fetchesBefore).toBeGreaterThan(0);
    const outcomes: Outcome[] = [];
    let stop = false;
    const traffic = runLoops(loops, () => stop, async () => send(gateway.graphqlUrl, petQuery, { token: await freshToken() }), (o) => outcomes.push(o));
    await sleep(500);
    const goneAtMs = Date.now();
    await jwks.close();
    await sleep(2_000);
    stop = true;
    await traffic;
    const after = outcomes.filter((o) => o.sentAtMs >= goneAtMs);
    const tally = new Tally();
    for (const o of outcomes) tally.add(o);
    report('jwks down', { requests: outcomes.length, afterDown: after.length, byCode: `{${tally}}`, jwksFetches: jwks.requests, lost: lost(outcomes).length });
    expect(after.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.status !== 200 || o.codes.length > 0)).toEqual([]);
  }, 20_000);
});
