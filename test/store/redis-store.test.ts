import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedisStore, hashTag } from '../../src/store/redis-store';
import { describeStoreContract } from './store-contract';

const url = inject('redisUrl');
const filePrefix = `lg-test-${process.pid}-redis-store:`;
let run = 0;

function connect(): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
}

async function connected(): Promise<Redis> {
  const redis = connect();
  await redis.connect();
  return redis;
}

describeStoreContract('redis', async (n) => {
  // A unique prefix per test keeps tests apart on the shared server.
  const prefix = `${filePrefix}${run++}:`;
  const clients = await Promise.all(Array.from({ length: n }, connected));
  return {
    stores: clients.map((redis) => createRedisStore({ redis, prefix })),
    cleanup: async () => {
      await Promise.all(clients.map((c) => c.quit()));
    },
  };
});

describe('redis store specifics', () => {
  const t0 = 1_700_000_000_000;
  const tierLimits = { capacity: 100, restoreRatePerSecond: 10 };
  let redis: Redis;
  beforeAll(async () => {
    redis = await connected();
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function keysOf(prefix: string): Promise<string[]> {
    return (await redis.keys(`${prefix}*`)).sort();
  }

  it('puts the client id in a Cluster hash tag in every per-client key', async () => {
    const prefix = `${filePrefix}tags:`;
    const store = createRedisStore({ redis, prefix });
    await store.charge('alice', { cost: 1, tierLimits, nowMs: t0 });
    await store.recordSignals('alice', { counts: { requests: 1 } }, { slotMs: 1000, slots: 2, distinctCap: 2 }, t0);
    await store.appendAudit({ atMs: t0, clientId: 'alice', actor: 'feedback', rule: 'probing' });
    const keys = await keysOf(prefix);
    const perClient = keys.filter((k) => !k.endsWith('audit') && !k.includes('{index}'));
    expect(perClient.length).toBe(3);
    for (const key of perClient) expect(key).toContain('{alice}');
    expect(keys).toContain(`${prefix}c:{alice}`);
  });

  it('escapes braces so the whole id is the tag and ids never collide', async () => {
    expect(hashTag('a}b{c%')).toBe('{a%7Db%7Bc%25}');
    const prefix = `${filePrefix}braces:`;
    const store = createRedisStore({ redis, prefix });
    await store.charge('x}y', { cost: 10, tierLimits, nowMs: t0 });
    await store.charge('x', { cost: 20, tierLimits, nowMs: t0 });
    expect((await store.getClient('x}y', t0))?.tokens).toBe(90);
    expect((await store.getClient('x', t0))?.tokens).toBe(80);
  });

  it('sets TTLs so idle clients expire; an open-ended override keeps its client', async () => {
    const prefix = `${filePrefix}ttl:`;
    const store = createRedisStore({ redis, prefix, idleTtlSeconds: 600 });
    await store.charge('idle', { cost: 1, tierLimits, nowMs: t0 });
    const ttl = await redis.pttl(`${prefix}c:{idle}`);
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    const window = { slotMs: 1000, slots: 5, distinctCap: 2 };
    await store.recordSignals('idle', { counts: { requests: 1 } }, window, t0);
    const signalKey = (await keysOf(`${prefix}s:`))[0];
    expect(await redis.pttl(signalKey)).toBeGreaterThan(0);
    expect(await redis.pttl(signalKey)).toBeLessThanOrEqual(6000);

    await store.setOverride('vip', { capacity: 5000 }, t0);
    await store.charge('vip', { cost: 1, tierLimits, nowMs: t0 });
    expect(await redis.pttl(`${prefix}c:{vip}`)).toBe(-1);
    await store.setOverride('vip', { capacity: 5000, expiresAtMs: t0 + 3_600_000 }, t0);
    expect(await redis.pttl(`${prefix}c:{vip}`)).toBeGreaterThan(3_590_000);
    await store.removeOverride('vip', t0);
    expect(await redis.pttl(`${prefix}c:{vip}`)).toBeLessThanOrEqual(600_000);
  });

  it('charges with one script call that returns the multiplier and override', async () => {
    const prefix = `${filePrefix}roundtrip:`;
    const store = createRedisStore({ redis, prefix });
    await store.setMultiplier('c', 0.5, t0);
    await store.setOverride('c', { restoreRatePerSecond: 3 }, t0);
    const monitor = await redis.monitor();
    const seen: string[][] = [];
    const marker = `${prefix}end`;
    const done = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (args.includes(marker)) return resolve();
        // Commands run inside a script are reported too, with source "lua": they cost no round trip.
        if (source !== 'lua' && args.some((a) => a.startsWith(prefix))) seen.push(args);
      });
    });
    const r = await store.charge('c', { cost: 5, tierLimits, nowMs: t0 });
    await redis.echo(marker); // everything the charge sent is reported before this
    await done;
    monitor.disconnect();
    expect(r).toMatchObject({ allowed: true, capacity: 50, restoreRatePerSecond: 3, multiplier: 0.5, override: { restoreRatePerSecond: 3 } });
    // One command touches the client (the charge script); the other is the un-awaited admin index update.
    const onClient = seen.filter((args) => args.includes(`${prefix}c:{c}`));
    expect(onClient.map((args) => args[0].toLowerCase())).toEqual(['evalsha']);
    expect(seen.filter((args) => !args.includes(`${prefix}c:{c}`)).every((args) => args.some((a) => a.includes('{index}')))).toBe(true);
  });

  it('refuses a client that would queue commands without bound, and braces in the prefix', () => {
    const queueing = new Redis(url, { lazyConnect: true });
    expect(() => createRedisStore({ redis: queueing })).toThrow(TypeError);
    queueing.disconnect();
    expect(() => createRedisStore({ redis, prefix: 'a{b}:' })).toThrow(TypeError);
  });

  it('sees every instance the same budget, multiplier and override', async () => {
    const prefix = `${filePrefix}shared:`;
    const other = await connected();
    try {
      const a = createRedisStore({ redis, prefix });
      const b = createRedisStore({ redis: other, prefix });
      await a.charge('s', { cost: 30, tierLimits, nowMs: t0 });
      await b.setMultiplier('s', 0.8, t0);
      await a.setOverride('s', { restoreRatePerSecond: 2 }, t0);
      const seenByB = await b.charge('s', { cost: 10, tierLimits, nowMs: t0 });
      expect(seenByB).toMatchObject({ remaining: 60, capacity: 80, restoreRatePerSecond: 2, multiplier: 0.8 });
    } finally {
      await other.quit();
    }
  });
});
