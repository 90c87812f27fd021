import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createFeedbackLoop, type FeedbackLogger } from '../../src/feedback/feedback-loop';
import type { FeedbackOptions } from '../../src/feedback/options';
import type { RequestOutcome } from '../../src/feedback/signals';
import { createMemoryStore } from '../../src/store/memory-store';
import { createRedisStore } from '../../src/store/redis-store';
import type { BudgetStore } from '../../src/store/types';
import { freePort } from '../support/free-port';

const t0 = 1_700_000_000_000;
const tierLimits = { capacity: 100, restoreRatePerSecond: 10 };
const authFailure: RequestOutcome = { errors: ['auth_failure'] };
const clean: RequestOutcome = { estimatedCost: 10, actualCost: 8 };

interface Line {
  level: 'info' | 'warn';
  message: string;
  fields: Record<string, unknown>;
}

function setup(store: BudgetStore, options: FeedbackOptions = {}) {
  const clock = { ms: t0 };
  const lines: Line[] = [];
  const logger: FeedbackLogger = {
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
  };
  const loop = createFeedbackLoop({ store, options, logger, now: () => clock.ms });
  return { loop, lines, clock };
}

async function repeat(n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i++) await fn();
}

describe('feedback loop (memory store)', () => {
  let store: ReturnType<typeof createMemoryStore>;
  beforeEach(async () => {
    store = createMemoryStore();
    await store.charge('c', { cost: 1, tierLimits, nowMs: t0 });
  });

  it('lowers the multiplier on abuse, audits the change and logs it', async () => {
    const { loop, lines } = setup(store);
    await repeat(4, () => loop.observe('c', authFailure));
    expect((await store.getClient('c', t0))?.multiplier).toBe(1);
    const [outcome] = await loop.observe('c', authFailure);
    expect(outcome).toMatchObject({ clientId: 'c', applied: true, shadow: false, decision: { rule: 'auth_failures', multiplier: 0.5 } });
    expect(await store.getClient('c', t0)).toMatchObject({ multiplier: 0.5, multiplierUpdatedAtMs: t0, capacity: 50 });
    const [event] = await store.listAudit('c', 10);
    expect(event).toMatchObject({
      atMs: t0,
      clientId: 'c',
      actor: 'feedback',
      rule: 'auth_failures',
      oldMultiplier: 1,
      newMultiplier: 0.5,
      oldCapacity: 100,
      newCapacity: 50,
      signals: { auth_failure: 5, requests: 5 },
    });
    expect(lines).toEqual([expect.objectContaining({ level: 'info', fields: expect.objectContaining({ rule: 'auth_failures', newMultiplier: 0.5 }) })]);
  });

  it('waits out the cooldown, then decreases again; recovers one step per clean window', async () => {
    const { loop, clock } = setup(store);
    await repeat(5, () => loop.observe('c', authFailure));
    await repeat(5, () => loop.observe('c', authFailure));
    expect((await store.getClient('c', clock.ms))?.multiplier).toBe(0.5);
    clock.ms += 30_000;
    await loop.observe('c', authFailure);
    expect((await store.getClient('c', clock.ms))?.multiplier).toBe(0.25);
    // Evidence leaves the window, then each clean window gives +0.05.
    clock.ms += 60_000;
    await loop.observe('c', clean);
    expect((await store.getClient('c', clock.ms))?.multiplier).toBe(0.3);
    await loop.observe('c', clean);
    expect((await store.getClient('c', clock.ms))?.multiplier).toBe(0.3);
    clock.ms += 60_000;
    await loop.observe('c', clean);
    expect((await store.getClient('c', clock.ms))?.multiplier).toBe(0.35);
    expect((await store.listAudit('c', 10)).map((e) => e.rule)).toEqual(['recovery', 'recovery', 'auth_failures', 'auth_failures']);
  });

  it('shadow mode logs what it would do, once per step, and changes nothing', async () => {
    const { loop, lines } = setup(store, { mode: 'shadow' });
    await repeat(4, () => loop.observe('c', authFailure));
    const [outcome] = await loop.observe('c', authFailure);
    expect(outcome).toMatchObject({ applied: false, shadow: true, decision: { rule: 'auth_failures', multiplier: 0.5 } });
    await repeat(5, () => loop.observe('c', authFailure));
    expect((await store.getClient('c', t0))?.multiplier).toBe(1);
    expect(await store.listAudit(undefined, 10)).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0].fields).toMatchObject({ shadow: true, rule: 'auth_failures', newMultiplier: 0.5 });
  });

  it('mode off records and decides nothing', async () => {
    const { loop } = setup(store, { mode: 'off' });
    await repeat(10, () => loop.observe('c', authFailure));
    expect((await store.getClient('c', t0))?.multiplier).toBe(1);
    expect((await store.readSignals('c', { slotMs: 10_000, slots: 6, distinctCap: 64 }, t0)).counts).toEqual({});
  });

  it('leaves a multiplier pinned by an operator alone', async () => {
    await store.setOverride('c', { multiplier: 2 }, t0);
    const { loop } = setup(store);
    await repeat(10, () => loop.observe('c', authFailure));
    expect((await store.getClient('c', t0))?.multiplier).toBe(1);
    expect(await store.listAudit('c', 10)).toEqual([]);
  });

  it('spots credential stuffing: many subjects failing from one address lower that address budget', async () => {
    const { loop } = setup(store);
    for (const [i, subject] of ['u1', 'u2', 'u3', 'u4', 'u5'].entries()) {
      await loop.observe(`claimed-${i}`, { errors: ['auth_failure'], sourceAddress: '10.1.1.1', failedSubject: subject });
    }
    const address = await store.getClient('anon:10.1.1.1', t0);
    expect(address?.multiplier).toBe(0.5);
    expect((await store.listAudit('anon:10.1.1.1', 1))[0]).toMatchObject({ rule: 'credential_stuffing' });
    expect((await store.getClient('claimed-0', t0))?.multiplier ?? 1).toBe(1);
  });

  it('applies one change when two instances decide at once (compare-and-set)', async () => {
    const a = setup(store);
    const b = setup(store);
    await b.loop.observe('c', clean); // b caches multiplier 1
    await repeat(4, () => a.loop.observe('c', authFailure));
    expect((await a.loop.observe('c', authFailure))[0].applied).toBe(true);
    const [fromB] = await b.loop.observe('c', authFailure);
    expect(fromB).toMatchObject({ applied: false });
    expect((await store.getClient('c', t0))?.multiplier).toBe(0.5);
    expect(await store.listAudit('c', 10)).toHaveLength(1);
  });

  it('evaluate() judges on stored sums', async () => {
    const { loop } = setup(store);
    await store.recordSignals('c', { counts: { requests: 10, throttle: 25 } }, { slotMs: 10_000, slots: 6, distinctCap: 64 }, t0);
    expect(await loop.evaluate('c')).toMatchObject({ applied: true, decision: { rule: 'throttles' } });
  });
});

describe('feedback loop (redis store)', () => {
  const url = inject('redisUrl');
  const prefix = `lg-test-${process.pid}-feedback:`;
  let clients: Redis[] = [];
  const connect = async () => {
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    clients.push(redis);
    return redis;
  };
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    clients = [];
  });

  it('adds up signals from several instances and every instance sees the new multiplier', async () => {
    const storeA = createRedisStore({ redis: await connect(), prefix });
    const storeB = createRedisStore({ redis: await connect(), prefix });
    await storeA.charge('shared', { cost: 1, tierLimits, nowMs: t0 });
    const a = setup(storeA);
    const b = setup(storeB);
    await repeat(3, () => a.loop.observe('shared', authFailure));
    await b.loop.observe('shared', authFailure);
    const [outcome] = await b.loop.observe('shared', authFailure);
    expect(outcome).toMatchObject({ applied: true, decision: { rule: 'auth_failures', values: { authFailures: 5 } } });
    expect(await storeA.charge('shared', { cost: 1, tierLimits, nowMs: t0 })).toMatchObject({ multiplier: 0.5, capacity: 50 });
    expect((await storeA.listAudit('shared', 1))[0]).toMatchObject({ actor: 'feedback', newMultiplier: 0.5 });
  });

  it('never rejects when the store is down: logs a warning instead', async () => {
    const port = await freePort(); // nothing listens here
    const down = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    down.on('error', () => {});
    const { loop, lines } = setup(createRedisStore({ redis: down, prefix }));
    expect(await loop.observe('x', authFailure)).toEqual([]);
    expect(await loop.evaluate('x')).toBeUndefined();
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn']);
    down.disconnect();
  });
});
