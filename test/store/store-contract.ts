import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chargeBucket, refundBucket, type BucketState } from '../../src/budget/bucket';
import type { BudgetStore, ChargeRequest, SignalWindow } from '../../src/store/types';

/**
 * One behaviour, two stores: every BudgetStore implementation must pass these.
 * `makeStores(n)` returns n handles on the SAME backend (for Redis: n connections, as if n
 * gateway instances); the memory store returns the same object n times.
 */
export interface StoreHarness {
  stores: BudgetStore[];
  cleanup(): Promise<void>;
}

const t0 = 1_700_000_000_000;
const anonymous = { capacity: 100, restoreRatePerSecond: 10 };
const req = (cost: number, nowMs = t0, extra: Partial<ChargeRequest> = {}): ChargeRequest => ({
  cost,
  tierLimits: anonymous,
  tier: 'anonymous',
  minCost: 1,
  nowMs,
  ...extra,
});
const window: SignalWindow = { slotMs: 10_000, slots: 6, distinctCap: 4 };

export function describeStoreContract(name: string, makeStores: (n: number) => Promise<StoreHarness>): void {
  describe(`BudgetStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: BudgetStore;
    beforeEach(async () => {
      harness = await makeStores(4);
      store = harness.stores[0];
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('starts a new client with a full bucket and charges the estimate', async () => {
      const r = await store.charge('a', req(10));
      expect(r).toMatchObject({ allowed: true, charged: 10, remaining: 90, capacity: 100, restoreRatePerSecond: 10 });
      expect(r).toMatchObject({ retryAfterMs: 0, resetMs: 1000, exceedsCapacity: false, multiplier: 1 });
      expect(r.override).toBeUndefined();
    });

    it('charges at least minCost', async () => {
      expect((await store.charge('a', req(0))).charged).toBe(1);
      expect((await store.charge('a', req(0, t0, { minCost: 3 }))).remaining).toBe(96);
    });

    it('refuses a charge that does not fit, says when it would, and takes nothing', async () => {
      await store.charge('a', req(95));
      const r = await store.charge('a', req(10));
      expect(r).toMatchObject({ allowed: false, remaining: 5, retryAfterMs: 500, resetMs: 9500, exceedsCapacity: false });
      expect((await store.charge('a', req(5))).allowed).toBe(true);
    });

    it('refills at the restore rate, never above capacity', async () => {
      await store.charge('a', req(100));
      expect((await store.charge('a', req(26, t0 + 2500))).allowed).toBe(false);
      expect(await store.charge('a', req(25, t0 + 2500))).toMatchObject({ allowed: true, remaining: 0 });
      expect((await store.charge('a', req(1, t0 + 3_600_000))).remaining).toBe(99);
    });

    it('never refills from a clock that went backwards', async () => {
      await store.charge('a', req(50, t0 + 1000));
      expect((await store.charge('a', req(1, t0))).remaining).toBe(49);
    });

    it('flags a cost larger than the whole bucket', async () => {
      await store.charge('a', req(30));
      const r = await store.charge('a', req(150));
      expect(r).toMatchObject({ allowed: false, exceedsCapacity: true, remaining: 70, retryAfterMs: 3000, resetMs: 3000 });
    });

    it('refunds down to the actual cost, never above capacity, never negative', async () => {
      await store.charge('a', req(50));
      expect(await store.refund('a', 30, t0)).toEqual({ remaining: 80, capacity: 100, restoreRatePerSecond: 10 });
      expect((await store.refund('a', -5, t0))?.remaining).toBe(80);
      expect((await store.refund('a', 1000, t0))?.remaining).toBe(100);
      expect(await store.refund('nobody', 10, t0)).toBeUndefined();
      expect((await store.getClient('a', t0))?.totalCost).toBe(0);
    });

    it('scales the tier by the multiplier and clamps tokens to the new capacity', async () => {
      await store.charge('a', req(10));
      expect(await store.setMultiplier('a', 0.5, t0)).toBe(true);
      const r = await store.charge('a', req(10, t0));
      expect(r).toMatchObject({ allowed: true, capacity: 50, restoreRatePerSecond: 5, multiplier: 0.5, remaining: 40 });
    });

    it('compare-and-set: a multiplier write with a stale expectation is refused', async () => {
      expect(await store.setMultiplier('a', 0.5, t0, 1)).toBe(true);
      expect(await store.setMultiplier('a', 0.25, t0, 1)).toBe(false);
      expect((await store.getClient('a', t0))?.multiplier).toBe(0.5);
      expect(await store.setMultiplier('a', 0.25, t0 + 1, 0.5)).toBe(true);
      expect(await store.getClient('a', t0 + 1)).toMatchObject({ multiplier: 0.25, multiplierUpdatedAtMs: t0 + 1 });
    });

    it('applies overrides: absolute values win, a pinned multiplier replaces the feedback one, expiry ends it', async () => {
      await store.setMultiplier('a', 0.5, t0);
      await store.setOverride('a', { capacity: 500 }, t0);
      expect(await store.charge('a', req(1))).toMatchObject({ capacity: 500, restoreRatePerSecond: 5, multiplier: 0.5 });
      await store.setOverride('a', { multiplier: 0.2, actor: 'ops-1' }, t0);
      const pinned = await store.charge('a', req(1));
      expect(pinned).toMatchObject({ capacity: 20, restoreRatePerSecond: 2, multiplier: 0.2 });
      expect(pinned.override).toEqual({ multiplier: 0.2, actor: 'ops-1' });
      await store.setOverride('a', { capacity: 1000, expiresAtMs: t0 + 10 }, t0);
      expect((await store.charge('a', req(1, t0 + 5))).capacity).toBe(1000);
      const expired = await store.charge('a', req(1, t0 + 10));
      expect(expired).toMatchObject({ capacity: 50, multiplier: 0.5 });
      expect(expired.override).toBeUndefined();
      await expect(store.setOverride('a', { capacity: -1 }, t0)).rejects.toBeInstanceOf(TypeError);
    });

    it('removes an override', async () => {
      await store.setOverride('a', { capacity: 7 }, t0);
      await store.removeOverride('a', t0);
      expect((await store.charge('a', req(1))).capacity).toBe(100);
      expect((await store.getClient('a', t0))?.override).toBeUndefined();
    });

    it('reports a client: tokens refilled to nowMs, net cost, counts', async () => {
      expect(await store.getClient('a', t0)).toBeUndefined();
      await store.charge('a', req(40));
      await store.charge('a', req(100));
      await store.refund('a', 15, t0);
      const state = await store.getClient('a', t0 + 1000);
      expect(state).toMatchObject({
        clientId: 'a',
        tier: 'anonymous',
        tierLimits: anonymous,
        tokens: 85,
        capacity: 100,
        multiplier: 1,
        totalCost: 25,
        requests: 2,
        throttled: 1,
        lastSeenMs: t0,
      });
    });

    it('lists clients by cost and by id, paged', async () => {
      await store.charge('b', req(30));
      await store.charge('a', req(10));
      await store.charge('c', req(20));
      const byCost = await store.listClients({ nowMs: t0, sortBy: 'cost' });
      expect(byCost.total).toBe(3);
      expect(byCost.clients.map((c) => c.clientId)).toEqual(['b', 'c', 'a']);
      const byId = await store.listClients({ nowMs: t0, sortBy: 'clientId', offset: 1, limit: 1 });
      expect(byId.clients.map((c) => c.clientId)).toEqual(['b']);
    });

    it('resets a client: full bucket, multiplier 1, override kept', async () => {
      await store.charge('a', req(90));
      await store.setMultiplier('a', 0.5, t0);
      await store.setOverride('a', { restoreRatePerSecond: 1 }, t0);
      await store.resetClient('a', t0);
      const state = await store.getClient('a', t0);
      expect(state).toMatchObject({ tokens: 100, multiplier: 1, override: { restoreRatePerSecond: 1 } });
    });

    it('keeps audit events, newest first, per client or all', async () => {
      await store.appendAudit({ atMs: t0, clientId: 'a', actor: 'feedback', rule: 'probing', oldMultiplier: 1, newMultiplier: 0.5 });
      await store.appendAudit({ atMs: t0 + 1, clientId: 'b', actor: 'ops-1', rule: 'override' });
      await store.appendAudit({ atMs: t0 + 2, clientId: 'a', actor: 'feedback', rule: 'recovery', signals: { requests: 3 } });
      expect((await store.listAudit(undefined, 10)).map((e) => e.atMs)).toEqual([t0 + 2, t0 + 1, t0]);
      const forA = await store.listAudit('a', 10);
      expect(forA.map((e) => e.rule)).toEqual(['recovery', 'probing']);
      expect(forA[0].signals).toEqual({ requests: 3 });
      expect(await store.listAudit(undefined, 1)).toHaveLength(1);
    });

    it('sums signals over the rolling window, caps distinct members, and forgets old slots', async () => {
      const first = await store.recordSignals('a', { counts: { requests: 1, cost: 2.5 }, distinct: { ops: 'x' } }, window, t0);
      expect(first).toEqual({ counts: { requests: 1, cost: 2.5 }, distinct: { ops: 1 } });
      for (const [i, op] of ['y', 'x', 'z', 'w', 'v', 'u'].entries()) {
        await store.recordSignals('a', { counts: { requests: 1 }, distinct: { ops: op } }, window, t0 + 10_000 * (i % 3));
      }
      const read = await store.readSignals('a', window, t0 + 20_000);
      expect(read.counts.requests).toBe(7);
      expect(read.distinct.ops).toBe(4);
      // t0's slot leaves the window 60 s later; the two later slots still count.
      const later = await store.readSignals('a', window, t0 + 60_000);
      expect(later.counts.requests).toBe(4);
      expect(later.counts.cost).toBeUndefined();
      expect(await store.readSignals('a', window, t0 + 90_000)).toEqual({ counts: {}, distinct: {} });
      expect(await store.readSignals('other', window, t0)).toEqual({ counts: {}, distinct: {} });
    });

    it('never serves more than capacity to 200 parallel charges (several instances)', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => harness.stores[i % harness.stores.length].charge('hot', req(7))),
      );
      const served = results.filter((r) => r.allowed).length;
      expect(served).toBe(14);
      expect(served * 7).toBeLessThanOrEqual(100);
      expect((await store.getClient('hot', t0))?.tokens).toBe(2);
    });

    it('agrees with the pure bucket arithmetic on a long sequence', async () => {
      let state: BucketState | undefined;
      let nowMs = t0;
      let seed = 7;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      for (let i = 0; i < 60; i++) {
        nowMs += Math.floor(random() * 900);
        const cost = 1 + Math.floor(random() * 40);
        const expected = chargeBucket(state, cost, anonymous, nowMs);
        const got = await store.charge('seq', req(cost, nowMs));
        expect(got.allowed).toBe(expected.allowed);
        expect(got.remaining).toBeCloseTo(expected.remaining, 9);
        expect(got.retryAfterMs).toBe(expected.retryAfterMs);
        state = expected.state;
        if (expected.allowed && random() < 0.5) {
          const amount = Math.floor(random() * cost);
          state = refundBucket(state, amount, anonymous, nowMs);
          expect((await store.refund('seq', amount, nowMs))?.remaining).toBeCloseTo(state.tokens, 9);
        }
      }
    });
  });
}
