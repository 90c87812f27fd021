import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthOptions } from '../../src/auth/options';
import { createTokenCache, hashToken } from '../../src/auth/token-cache';
import { ISSUER, T0_MS, makeAuth, makeKey, mint, type TestKey } from './helpers';

let key: TestKey;
beforeAll(async () => {
  key = await makeKey('ES256');
});
const options = (extra: AuthOptions = {}): AuthOptions => ({
  keySources: [{ kind: 'pem', issuer: ISSUER, pem: key.publicPem }],
  ...extra,
});

describe('verified-token cache', () => {
  it('answers the second call from the cache without verifying again', async () => {
    const { call, clock } = await makeAuth(options());
    const token = await mint(key, { aud: null, nbf: 0 });
    expect(await call(token)).toMatchObject({ ok: true, cached: false });
    // At this clock a verification would refuse the token (nbf not reached):
    // success here proves the cache answered and jose was not asked.
    clock.ms = T0_MS - 120_000;
    const second = await call(token, {}, '198.51.100.1');
    expect(second).toMatchObject({ ok: true, cached: true, principal: { clientId: 'client-1', sourceAddress: '198.51.100.1' } });
  });

  it('never serves an entry at or past exp', async () => {
    const { call, clock } = await makeAuth(options());
    const token = await mint(key, { aud: null, exp: 60 });
    await call(token);
    clock.ms = T0_MS + 59_000;
    expect(await call(token)).toMatchObject({ ok: true, cached: true });
    // Past exp but inside the 30 s tolerance: jose accepts, the cache must not have answered.
    clock.ms = T0_MS + 61_000;
    expect(await call(token)).toMatchObject({ ok: true, cached: false });
    clock.ms = T0_MS + 91_000;
    expect(await call(token)).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('caps an entry at maxTtlSeconds', async () => {
    const { call, clock } = await makeAuth(options({ tokenCache: { maxTtlSeconds: 10 } }));
    const token = await mint(key, { aud: null, exp: 3600 });
    await call(token);
    clock.ms = T0_MS + 9_000;
    expect(await call(token)).toMatchObject({ cached: true });
    clock.ms = T0_MS + 10_000;
    expect(await call(token)).toMatchObject({ cached: false });
  });

  it('is off with maxEntries 0', async () => {
    const { call } = await makeAuth(options({ tokenCache: { maxEntries: 0 } }));
    const token = await mint(key, { aud: null });
    await call(token);
    expect(await call(token)).toMatchObject({ ok: true, cached: false });
  });

  it('does not cache failures', async () => {
    const { call } = await makeAuth(options());
    const token = await mint(await makeKey('ES256'), { aud: null });
    expect(await call(token)).toMatchObject({ ok: false });
    expect(await call(token)).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
  });
});

describe('createTokenCache', () => {
  const identity = (clientId: string) => ({ clientId, scopes: new Set<string>(), claims: {} });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = createTokenCache(2);
    cache.set('a', identity('a'), 1000);
    cache.set('b', identity('b'), 1000);
    cache.get('a', 0); // a is now the most recent
    cache.set('c', identity('c'), 1000);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)?.clientId).toBe('a');
    expect(cache.get('c', 0)?.clientId).toBe('c');
    expect(cache.size).toBe(2);
  });
  it('drops an entry at its expiry', () => {
    const cache = createTokenCache(2);
    cache.set('a', identity('a'), 1000);
    expect(cache.get('a', 999)).toBeDefined();
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
  it('keys by a SHA-256 hash that does not contain the token', () => {
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const hash = hashToken(token);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('eyJ');
  });
});
