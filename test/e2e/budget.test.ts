import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { LoopgateConfig } from '../../src/config';
import { signalWindow } from '../../src/feedback/signals';
import { startGateway, type RunningGateway } from '../../src/server';
import { errorCodes, postGraphQL, testKeySource, tokenFor, type GraphQLResponse } from '../support/gateway';

/**
 * Budgets through the real gateway (issue 6), on a clock the test moves by hand: throttling
 * before any upstream call, refunds, restoring over time, concurrent overspending, batches,
 * the response options, one budget shared by two instances over a real Redis, and the feedback
 * loop lowering an abusive client's multiplier.
 */

const freeTier = { tiers: { free: { capacity: 20, restoreRatePerSecond: 1 } }, defaultTier: 'free' };

/** Five reviews by id: estimate 5 (five objects of weight 1) and actual 5, so nothing is refunded. */
const cost5 = {
  query: '{ a: review(id: "r1") { id } b: review(id: "r2") { id } c: review(id: "r3") { id } d: review(id: "r1") { text } e: review(id: "r2") { text } }',
};
/** reviewsForPet without first: estimate 10 (schema default first = 10), actual 2 (pet 1 has two reviews). */
const estimate10actual2 = { query: '{ reviewsForPet(petId: 1) { text } }' };

interface Clock {
  t: number;
}

/** A gateway like startTestGateway's, on the test's clock. Tokens are minted on Date.now, so the clock starts there. */
function startClocked(config: LoopgateConfig, clock: Clock): Promise<RunningGateway> {
  return startGateway({
    config: { ...config, server: { port: 0, host: '127.0.0.1' }, auth: { keySources: [testKeySource] } },
    now: () => clock.t,
  });
}

function upstreamCount(gw: RunningGateway): number {
  return Object.values(gw.sources.embedded).reduce((n, b) => n + b.requests.length, 0);
}

function isServed(res: GraphQLResponse): boolean {
  return res.status === 200 && res.body.errors === undefined && res.body.data != null;
}

/** The budget key the gateway derives from a token, asked of the gateway's own authenticator. */
async function clientIdOf(gw: RunningGateway, token: string): Promise<string> {
  const result = await gw.services.authenticator.authenticate({ headers: new Headers({ authorization: `Bearer ${token}` }), remoteAddress: '127.0.0.1' });
  if (!result.ok) throw new Error('test token refused');
  return result.principal.clientId;
}

let subjects = 0;
function freshClient(claims: Record<string, unknown> = {}): Promise<string> {
  subjects += 1;
  return tokenFor({ sub: `budget-${subjects}-${randomUUID().slice(0, 8)}`, ttlSeconds: 3600, ...claims });
}

describe('one instance, memory store', () => {
  const clock: Clock = { t: Date.now() };
  let gw: RunningGateway;
  let shown: RunningGateway;
  let soft: RunningGateway;
  beforeAll(async () => {
    [gw, shown, soft] = await Promise.all([
      startClocked({ budgets: freeTier, feedback: { mode: 'off' } }, clock),
      startClocked({ budgets: freeTier, feedback: { mode: 'off' }, responses: { costExtension: true, rateLimitHeaders: true } }, clock),
      startClocked({ budgets: freeTier, feedback: { mode: 'off' }, responses: { throttleStatus: 200 } }, clock),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gw?.close(), shown?.close(), soft?.close()]);
  });

  it('throttles once the estimate no longer fits: THROTTLED, 429, Retry-After, no upstream call; advancing the clock restores', async () => {
    const token = await freshClient();
    for (let i = 0; i < 4; i++) expect(isServed(await postGraphQL(gw, cost5, { token }))).toBe(true); // 4 x 5 = 20
    const before = upstreamCount(gw);
    const throttled = await postGraphQL(gw, cost5, { token });
    expect(throttled.status).toBe(429);
    expect(errorCodes(throttled)).toEqual(['THROTTLED']);
    expect(throttled.body.data ?? null).toBeNull();
    // 5 points missing at 1 point per second.
    expect(throttled.headers.get('retry-after')).toBe('5');
    expect(upstreamCount(gw)).toBe(before);
    // Neither extensions.cost nor RateLimit headers unless enabled.
    expect(throttled.body.extensions?.cost).toBeUndefined();
    expect(throttled.headers.get('ratelimit-limit')).toBeNull();

    // Bigger than the whole bucket (20): THROTTLED, and no Retry-After, since waiting cannot help.
    const never = await postGraphQL(gw, { query: '{ reviewsForPet(petId: 1, first: 30) { text } }' }, { token });
    expect([never.status, errorCodes(never)]).toEqual([429, ['THROTTLED']]);
    expect(never.headers.get('retry-after')).toBeNull();

    clock.t += 4_000; // 4 points back: still short
    expect((await postGraphQL(gw, cost5, { token })).status).toBe(429);
    clock.t += 1_000; // 5 points back
    expect(isServed(await postGraphQL(gw, cost5, { token }))).toBe(true);
    expect((await postGraphQL(gw, cost5, { token })).status).toBe(429);
    expect(upstreamCount(gw)).toBeGreaterThan(before);
  });

  it('a cheap operation still fits when an expensive one does not (the estimate decides, not the request count)', async () => {
    const token = await freshClient();
    for (let i = 0; i < 3; i++) expect(isServed(await postGraphQL(gw, cost5, { token }))).toBe(true); // 15 used, 5 left
    const one = { query: '{ review(id: "r1") { id } }' };
    for (let i = 0; i < 5; i++) expect(isServed(await postGraphQL(gw, one, { token }))).toBe(true);
    expect((await postGraphQL(gw, one, { token })).status).toBe(429);
  });

  it('refunds estimate - actual: estimate 10, actual 2 leaves 18 of 20 (extensions.cost and the store agree)', async () => {
    const token = await freshClient();
    const res = await postGraphQL(shown, estimate10actual2, { token });
    expect(isServed(res)).toBe(true);
    expect(res.body.extensions?.cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: 2,
      throttleStatus: { maximumAvailable: 20, currentlyAvailable: 18, restoreRate: 1 },
    });
    expect(res.headers.get('ratelimit-limit')).toBe('20');
    expect(res.headers.get('ratelimit-remaining')).toBe('18');
    expect(Number(res.headers.get('ratelimit-reset'))).toBe(2); // 2 points missing at 1/s
    const state = await shown.services.store.store.getClient(await clientIdOf(shown, token), clock.t);
    expect(state?.tokens).toBe(18);
    // Two more: 18 - 10 + 8 = 16, then 14: the refund lets a client go on that the estimate alone would stop.
    const again = await postGraphQL(shown, estimate10actual2, { token });
    expect((again.body.extensions?.cost as { throttleStatus: { currentlyAvailable: number } }).throttleStatus.currentlyAvailable).toBe(16);
  });

  it('a throttled response carries extensions.cost and RateLimit headers when enabled', async () => {
    const token = await freshClient();
    for (let i = 0; i < 4; i++) await postGraphQL(shown, cost5, { token });
    const res = await postGraphQL(shown, cost5, { token });
    expect(res.status).toBe(429);
    expect(errorCodes(res)).toEqual(['THROTTLED']);
    expect(res.body.extensions?.cost).toEqual({
      requestedQueryCost: 5,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 20, currentlyAvailable: 0, restoreRate: 1 },
    });
    expect(res.headers.get('ratelimit-limit')).toBe('20');
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('served responses carry no extensions.cost and no RateLimit headers by default', async () => {
    const res = await postGraphQL(gw, estimate10actual2, { token: await freshClient() });
    expect(isServed(res)).toBe(true);
    expect(res.body.extensions?.cost).toBeUndefined();
    for (const header of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']) expect(res.headers.get(header)).toBeNull();
  });

  it('responses.throttleStatus 200: a throttled operation answers 200 with code THROTTLED', async () => {
    const token = await freshClient();
    for (let i = 0; i < 4; i++) expect(isServed(await postGraphQL(soft, cost5, { token }))).toBe(true);
    const before = upstreamCount(soft);
    const res = await postGraphQL(soft, cost5, { token });
    expect(res.status).toBe(200);
    expect(errorCodes(res)).toEqual(['THROTTLED']);
    expect(res.body.data ?? null).toBeNull();
    expect(upstreamCount(soft)).toBe(before);
  });

  it('30 parallel requests of cost 5 against capacity 20 on a frozen clock: exactly 4 served, the rest THROTTLED', async () => {
    const token = await freshClient();
    const before = upstreamCount(gw);
    const results = await Promise.all(Array.from({ length: 30 }, () => postGraphQL(gw, cost5, { token })));
    const served = results.filter(isServed).length;
    expect(served * 5).toBeLessThanOrEqual(20);
    expect(served).toBe(4);
    for (const r of results.filter((x) => !isServed(x))) {
      expect(r.status).toBe(429);
      expect(errorCodes(r)).toEqual(['THROTTLED']);
    }
    // Only served operations reach the upstream (the runtime may merge identical in-flight calls).
    expect(upstreamCount(gw) - before).toBeGreaterThan(0);
    expect(upstreamCount(gw) - before).toBeLessThanOrEqual(served * 5);
  });

  it('parallel overspending with the clock moving: served x cost never exceeds capacity + restored', async () => {
    const token = await freshClient();
    const start = clock.t;
    let served = 0;
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(Array.from({ length: 10 }, () => postGraphQL(gw, cost5, { token })));
      served += results.filter(isServed).length;
      clock.t += 3_000;
    }
    const restored = ((clock.t - 3_000 - start) / 1000) * 1;
    expect(served * 5).toBeLessThanOrEqual(20 + restored);
    expect(served).toBeGreaterThanOrEqual(4);
  });

  it('a batch is charged per operation: 5 operations of cost 5 against 20 -> 4 served, the 5th THROTTLED', async () => {
    const token = await freshClient();
    const before = upstreamCount(gw);
    const res = await postGraphQL(gw, [cost5, cost5, cost5, cost5, cost5], { token });
    const results = res.body as unknown as GraphQLResponse['body'][];
    expect(Array.isArray(results)).toBe(true);
    expect(results).toHaveLength(5);
    const codes = results.map((r) => r.errors?.map((e) => e.extensions?.code) ?? []);
    expect(codes.filter((c) => c.length === 0)).toHaveLength(4);
    expect(codes.filter((c) => c.length === 1 && c[0] === 'THROTTLED')).toHaveLength(1);
    expect(upstreamCount(gw)).toBeGreaterThan(before);
    // Nothing is left for the same client afterwards.
    expect((await postGraphQL(gw, cost5, { token })).status).toBe(429);
  });

  it('each client has its own bucket', async () => {
    const [a, b] = await Promise.all([freshClient(), freshClient()]);
    for (let i = 0; i < 4; i++) await postGraphQL(gw, cost5, { token: a });
    expect((await postGraphQL(gw, cost5, { token: a })).status).toBe(429);
    expect(isServed(await postGraphQL(gw, cost5, { token: b }))).toBe(true);
  });
});

describe('two instances sharing one Redis', () => {
  const clock: Clock = { t: Date.now() };
  let one: RunningGateway;
  let two: RunningGateway;
  beforeAll(async () => {
    const store = { kind: 'redis', url: inject('redisUrl'), prefix: `e2e-budget-${randomUUID()}:`, timeoutMs: 2_000, failureMode: 'fail-closed' };
    [one, two] = await Promise.all([
      startClocked({ budgets: freeTier, feedback: { mode: 'off' }, store }, clock),
      startClocked({ budgets: freeTier, feedback: { mode: 'off' }, store }, clock),
    ]);
    expect(one.services.store.kind).toBe('redis');
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  it('enforce one budget for one client: alternating instances, 4 x 5 served in total, then both throttle', async () => {
    const token = await freshClient();
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await postGraphQL(i % 2 === 0 ? one : two, cost5, { token });
      outcomes.push(isServed(res) ? 'served' : String(errorCodes(res)[0]));
    }
    expect(outcomes).toEqual(['served', 'served', 'served', 'served', 'THROTTLED', 'THROTTLED', 'THROTTLED', 'THROTTLED']);
    clock.t += 5_000;
    expect(isServed(await postGraphQL(two, cost5, { token }))).toBe(true);
    expect((await postGraphQL(one, cost5, { token })).status).toBe(429);
  });

  it('parallel requests split over both instances never overspend the shared budget', async () => {
    const token = await freshClient();
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => postGraphQL(i % 2 === 0 ? one : two, cost5, { token })));
    const served = results.filter(isServed).length;
    expect(served).toBe(4);
    for (const r of results.filter((x) => !isServed(x))) expect(errorCodes(r)).toEqual(['THROTTLED']);
  });

  it('a refund made on one instance is seen by the other', async () => {
    const token = await freshClient();
    expect(isServed(await postGraphQL(one, estimate10actual2, { token }))).toBe(true); // 20 - 10 + 8 = 18
    for (let i = 0; i < 3; i++) expect(isServed(await postGraphQL(two, cost5, { token }))).toBe(true); // 18 - 15 = 3
    expect((await postGraphQL(one, { query: '{ a: review(id: "r1") { id } b: review(id: "r2") { id } c: review(id: "r3") { id } }' }, { token })).status).toBe(200);
    expect((await postGraphQL(two, { query: '{ review(id: "r1") { id } }' }, { token })).status).toBe(429);
  });
});

describe('feedback loop end to end', () => {
  const clock: Clock = { t: Date.now() };
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startClocked(
      {
        budgets: freeTier,
        responses: { costExtension: true },
        // Small window, few requests needed; a long cooldown so the frozen clock sees one decrease.
        feedback: { windowMs: 10_000, slotMs: 1_000, minRequests: 5, denialRatioThreshold: 0.3, cooldownMs: 60_000, evaluateIntervalMs: 0 },
      },
      clock,
    );
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** Waits until the loop (fed without being awaited) has recorded `requests` requests for this client. */
  async function observed(clientId: string, requests: number): Promise<void> {
    const window = signalWindow(gw.services.feedback.options);
    await vi.waitFor(async () => {
      const reading = await gw.services.store.store.readSignals(clientId, window, clock.t);
      expect(reading.counts.requests ?? 0).toBeGreaterThanOrEqual(requests);
    }, { timeout: 5_000, interval: 10 });
  }

  it('a client that keeps hitting denied fields gets its multiplier halved, with an audit event; a well-behaved one keeps 1', async () => {
    const [badToken, goodToken] = await Promise.all([freshClient(), freshClient()]);
    const [bad, good] = await Promise.all([clientIdOf(gw, badToken), clientIdOf(gw, goodToken)]);
    const denied = { query: '{ owner(id: "o1") { name email } }' };
    const fine = { query: '{ owner(id: "o1") { name } }' };
    for (let i = 0; i < 6; i++) {
      const d = await postGraphQL(gw, denied, { token: badToken });
      expect(errorCodes(d)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      expect(isServed(await postGraphQL(gw, fine, { token: goodToken }))).toBe(true);
    }
    await observed(bad, 6);
    await observed(good, 6);
    await vi.waitFor(async () => expect((await gw.services.store.store.getClient(bad, clock.t))?.multiplier).toBe(0.5), { timeout: 5_000, interval: 10 });

    const goodState = await gw.services.store.store.getClient(good, clock.t);
    expect(goodState?.multiplier ?? 1).toBe(1);
    expect(await gw.services.store.store.listAudit(good, 10)).toEqual([]);

    const audit = await gw.services.store.store.listAudit(bad, 10);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ clientId: bad, actor: 'feedback', rule: 'denial_ratio', oldMultiplier: 1, newMultiplier: 0.5, oldCapacity: 20, newCapacity: 10 });

    // The lowered multiplier is the budget the client now gets: capacity 20 x 0.5.
    const after = await postGraphQL(gw, fine, { token: badToken });
    expect((after.body.extensions?.cost as { throttleStatus: { maximumAvailable: number } }).throttleStatus.maximumAvailable).toBe(10);
    const goodAfter = await postGraphQL(gw, fine, { token: goodToken });
    expect((goodAfter.body.extensions?.cost as { throttleStatus: { maximumAvailable: number } }).throttleStatus.maximumAvailable).toBe(20);
  });

  it('a variable value graphql-js refuses (no code until the error is shaped) counts as a validation error', async () => {
    const token = await freshClient();
    const clientId = await clientIdOf(gw, token);
    const r = await postGraphQL(gw, { query: 'query($n: Int) { reviewsForPet(petId: 1, first: $n) { text } }', variables: { n: 'abc' } }, { token });
    expect([r.status, errorCodes(r)]).toEqual([400, ['BAD_USER_INPUT']]);
    await observed(clientId, 1);
    const window = signalWindow(gw.services.feedback.options);
    expect((await gw.services.store.store.readSignals(clientId, window, clock.t)).counts.validation_error).toBe(1);
  });
});

describe('feedback loop when denials are not reported as errors', () => {
  // Known gap (see the e2e report): useFeedback counts scope denials from error codes only, and
  // useAuthz's onDenied hook is not wired in src/gateway/plugins.ts, so with denialsIn
  // 'extensions' or 'none' a client can probe denied fields without the loop ever seeing it.
  const clock: Clock = { t: Date.now() };
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startClocked(
      {
        budgets: freeTier,
        authz: { denialsIn: 'extensions' },
        feedback: { windowMs: 10_000, slotMs: 1_000, minRequests: 5, denialRatioThreshold: 0.3, cooldownMs: 60_000, evaluateIntervalMs: 0 },
      },
      clock,
    );
  });
  afterAll(async () => {
    await gw?.close();
  });

  it("lowers the multiplier of a client hitting denied fields with denialsIn: 'extensions'", async () => {
    const token = await freshClient();
    const clientId = await clientIdOf(gw, token);
    for (let i = 0; i < 6; i++) {
      const res = await postGraphQL(gw, { query: '{ owner(id: "o1") { name email } }' }, { token });
      expect(res.body.extensions?.authorization).toBeDefined();
    }
    await vi.waitFor(async () => expect((await gw.services.store.store.getClient(clientId, clock.t))?.multiplier).toBe(0.5), { timeout: 2_000, interval: 10 });
  });
});
