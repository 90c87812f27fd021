import { afterEach, describe, expect, it } from 'vitest';
import type { AuthOptions } from '../../src/auth/options';
import { ISSUER, makeAuth, makeKey, mint, startJwksServer, type JwksServer } from './helpers';

let server: JwksServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const remote = (url: string, extra: Record<string, unknown> = {}): AuthOptions => ({
  keySources: [{ kind: 'jwks-url', issuer: ISSUER, url, ...extra }],
  tokenCache: { maxEntries: 0 }, // every call must reach the key source
});

describe('jwks-url key source on a loopback JWKS server', () => {
  it('fetches the set and verifies RS256 and ES256 tokens by kid', async () => {
    const rsa = await makeKey('RS256', 'r1');
    const ec = await makeKey('ES256', 'e1');
    server = await startJwksServer([rsa.publicJwk, ec.publicJwk]);
    const { call } = await makeAuth(remote(server.url));
    expect((await call(await mint(rsa, { aud: null }))).ok).toBe(true);
    expect((await call(await mint(ec, { aud: null }))).ok).toBe(true);
    expect(server.requests).toBe(1); // the second token was served from jose's cache
  });

  it('refetches on an unknown kid and accepts the rotated key', async () => {
    const oldKey = await makeKey('ES256', 'old');
    const newKey = await makeKey('ES256', 'new');
    server = await startJwksServer([oldKey.publicJwk]);
    const { call } = await makeAuth(remote(server.url, { cooldownMs: 0 }));
    expect((await call(await mint(oldKey, { aud: null }))).ok).toBe(true);
    server.setKeys([newKey.publicJwk]);
    expect((await call(await mint(newKey, { aud: null }))).ok).toBe(true);
    expect(server.requests).toBe(2);
  });

  it('does not refetch for an unknown kid inside the cooldown', async () => {
    const oldKey = await makeKey('ES256', 'old');
    const newKey = await makeKey('ES256', 'new');
    server = await startJwksServer([oldKey.publicJwk]);
    const { call } = await makeAuth(remote(server.url, { cooldownMs: 3_600_000 }));
    expect((await call(await mint(oldKey, { aud: null }))).ok).toBe(true);
    server.setKeys([newKey.publicJwk]);
    expect(await call(await mint(newKey, { aud: null }))).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
    expect(server.requests).toBe(1);
  });

  it('keeps verifying with fetched keys while the endpoint is down (fresh cache)', async () => {
    const key = await makeKey('ES256', 'k1');
    server = await startJwksServer([key.publicJwk]);
    const { call } = await makeAuth(remote(server.url));
    expect((await call(await mint(key, { aud: null }))).ok).toBe(true);
    server.setDown(true);
    expect((await call(await mint(key, { aud: null, sub: 'other' }))).ok).toBe(true);
  });

  it('keeps verifying with the last fetched keys once the cache is stale and the endpoint is down', async () => {
    const key = await makeKey('ES256', 'k1');
    server = await startJwksServer([key.publicJwk]);
    // cacheMaxAgeMs 0: the set is stale at once, so every verification wants a refetch.
    const { call } = await makeAuth(remote(server.url, { cacheMaxAgeMs: 0 }));
    expect((await call(await mint(key, { aud: null }))).ok).toBe(true);
    server.setDown(true);
    for (const sub of ['a', 'b', 'c']) expect((await call(await mint(key, { aud: null, sub }))).ok).toBe(true);
    // An unknown kid still fails: the stale keys are served, never widened.
    expect(await call(await mint(await makeKey('ES256', 'zz'), { aud: null }))).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('fails closed when the endpoint was never reachable', async () => {
    const key = await makeKey('ES256', 'k1');
    server = await startJwksServer([key.publicJwk]);
    server.setDown(true);
    const { call, events } = await makeAuth(remote(server.url));
    expect(await call(await mint(key, { aud: null }))).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
    // Within the cooldown after that failure, no new fetch is attempted.
    const before = server.requests;
    expect(await call(await mint(key, { aud: null }))).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
    expect(server.requests).toBe(before);
    expect(events).toHaveLength(2);
  });
});
