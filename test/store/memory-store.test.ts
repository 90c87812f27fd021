import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('memory', async (n) => {
  const store = createMemoryStore();
  return { stores: Array.from({ length: n }, () => store), cleanup: () => store.close() };
});

const t0 = 1_700_000_000_000;
const tierLimits = { capacity: 100, restoreRatePerSecond: 10 };

describe('memory store bounds', () => {
  it('keeps at most maxClients while a million distinct ids arrive', async () => {
    const store = createMemoryStore({ maxClients: 10_000 });
    let largest = 0;
    for (let i = 0; i < 1_000_000; i++) {
      await store.charge(`client-${i}`, { cost: 1, tierLimits, nowMs: t0 });
      if (store.size > largest) largest = store.size;
    }
    expect(largest).toBe(10_000);
    // The most recent ids are the ones kept; the first ones are gone (their bucket is full again).
    expect(await store.getClient('client-999999', t0)).toBeDefined();
    expect(await store.getClient('client-0', t0)).toBeUndefined();
  });

  it('keeps a busy client over idle ones (least recently used goes first)', async () => {
    const store = createMemoryStore({ maxClients: 3 });
    for (const id of ['a', 'b', 'c']) await store.charge(id, { cost: 50, tierLimits, nowMs: t0 });
    await store.charge('a', { cost: 10, tierLimits, nowMs: t0 });
    await store.charge('d', { cost: 1, tierLimits, nowMs: t0 });
    expect((await store.getClient('a', t0))?.tokens).toBe(40);
    expect(await store.getClient('b', t0)).toBeUndefined();
    expect(store.size).toBe(3);
  });

  it('forgets clients idle longer than idleTtlMs', async () => {
    const store = createMemoryStore({ idleTtlMs: 60_000 });
    await store.charge('a', { cost: 10, tierLimits, nowMs: t0 });
    await store.setMultiplier('a', 0.5, t0);
    expect(await store.getClient('a', t0 + 60_000)).toBeDefined();
    expect(await store.getClient('a', t0 + 60_001)).toBeUndefined();
    await store.charge('b', { cost: 1, tierLimits, nowMs: t0 + 60_001 });
    expect(store.size).toBe(1);
  });

  it('bounds signal keys too', async () => {
    const store = createMemoryStore({ maxSignalKeys: 100 });
    const window = { slotMs: 1000, slots: 2, distinctCap: 2 };
    for (let i = 0; i < 10_000; i++) await store.recordSignals(`k${i}`, { counts: { requests: 1 } }, window, t0);
    expect((await store.readSignals('k0', window, t0)).counts).toEqual({});
    expect((await store.readSignals('k9999', window, t0)).counts).toEqual({ requests: 1 });
  });

  it('refuses bad options with a TypeError', () => {
    expect(() => createMemoryStore({ maxClients: 0 })).toThrow(TypeError);
    expect(() => createMemoryStore({ idleTtlMs: 1.5 })).toThrow(TypeError);
  });
});
