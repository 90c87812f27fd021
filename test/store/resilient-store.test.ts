import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../../src/errors';
import { StoreUnavailableError } from '../../src/store/errors';
import { createMemoryStore } from '../../src/store/memory-store';
import { createRedisStore } from '../../src/store/redis-store';
import { createResilientStore, type StoreErrorEvent } from '../../src/store/resilient-store';
import type { ChargeRequest } from '../../src/store/types';
import { freePort } from '../support/free-port';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server';

const t0 = 1_700_000_000_000;
const tierLimits = { capacity: 100, restoreRatePerSecond: 10 };
const req = (cost: number): ChargeRequest => ({ cost, tierLimits, nowMs: t0 });

/** Resolves once the client is connected (again). */
function ready(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

describe('resilient store: Redis killed and restarted', () => {
  let dir: string;
  let port: number;
  let server: RedisServerHandle;
  let redis: Redis;
  // An append-only file so that a restart keeps what was charged, as a production Redis would.
  const serverArgs = () => ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loopgate-redis-'));
    port = await freePort();
    server = await startRedisServer({ port, extraArgs: serverArgs() });
    redis = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    redis.on('error', () => {}); // connection errors are expected while the server is down
    await redis.connect();
  });

  afterAll(async () => {
    redis.disconnect();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves from memory (fail-open) or refuses (fail-closed) while down, then resumes with Redis', async () => {
    let clockMs = t0;
    const now = () => clockMs;
    const errors: StoreErrorEvent[] = [];
    const primary = createRedisStore({ redis, prefix: 'lg-resilient:' });
    const open = createResilientStore(primary, createMemoryStore(), {
      mode: 'fail-open',
      timeoutMs: 2000,
      retryAfterMs: 1000,
      now,
      onStoreError: (e) => errors.push(e),
    });
    const closed = createResilientStore(primary, createMemoryStore(), { mode: 'fail-closed', timeoutMs: 2000, retryAfterMs: 1000, now });

    expect(await open.charge('k', req(60))).toMatchObject({ allowed: true, remaining: 40 });
    // A penalty set in Redis is mirrored into the fallback by the next charge, so an outage does not lift it.
    await primary.setMultiplier('penalised', 0.5, t0);
    expect((await open.charge('penalised', req(1))).capacity).toBe(50);
    expect(open.degraded).toBe(false);

    await server.stop();
    if (redis.status === 'ready') await new Promise((resolve) => redis.once('close', resolve));

    const fromMemory = await open.charge('k', req(10));
    expect(fromMemory).toMatchObject({ allowed: true, remaining: 90 });
    expect(errors[0]).toMatchObject({ operation: 'charge', mode: 'fail-open', servedByFallback: true });
    expect(open.degraded).toBe(true);
    expect((await open.charge('penalised', req(1))).capacity).toBe(50);

    const refused = await closed.charge('k', req(10)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(errorCode(refused)).toBeUndefined(); // not a GraphQLError: the lead maps it
    expect((refused as StoreUnavailableError).code).toBe('STORE_UNAVAILABLE');
    // Admin writes never land in one instance's memory.
    await expect(open.setOverride('k', { capacity: 5 }, t0)).rejects.toBeInstanceOf(StoreUnavailableError);

    const reconnected = ready(redis);
    server = await startRedisServer({ port, extraArgs: serverArgs() });
    await reconnected;
    clockMs += 1000; // past retryAfterMs: the next call tries Redis again

    expect(await open.charge('k', req(10))).toMatchObject({ allowed: true, remaining: 30 });
    expect(open.degraded).toBe(false);
    expect(await closed.charge('k', req(10))).toMatchObject({ allowed: true, remaining: 20 });
    expect((await primary.getClient('k', t0))?.totalCost).toBe(80);
  });

  it('falls back when Redis is slow, without waiting longer than timeoutMs', async () => {
    await ready(redis);
    const errors: StoreErrorEvent[] = [];
    const primary = createRedisStore({ redis, prefix: 'lg-resilient-slow:' });
    const open = createResilientStore(primary, createMemoryStore(), { timeoutMs: 100, onStoreError: (e) => errors.push(e) });
    const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await admin.connect();
    try {
      // WRITE mode holds the charge script but lets UNPAUSE through.
      await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE');
      const result = await open.charge('slow', req(5));
      expect(result).toMatchObject({ allowed: true, remaining: 95 });
      expect(errors).toHaveLength(1);
      expect(errors[0].servedByFallback).toBe(true);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      await admin.quit();
    }
  });

  it('refuses bad options', () => {
    const memory = createMemoryStore();
    expect(() => createResilientStore(memory, memory, { mode: 'open' as never })).toThrow(TypeError);
    expect(() => createResilientStore(memory, memory, { timeoutMs: 0 })).toThrow(TypeError);
  });
});
