import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptJWT, base64url, exportPKCS8, importPKCS8 } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthOptions } from '../../src/auth/options';
import { AUDIENCE, HMAC_SECRET, ISSUER, T0_SECONDS, hmacBytes, makeAuth, makeKey, mint, type TestKey } from './helpers';

const keys: Record<string, TestKey> = {};
beforeAll(async () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) keys[alg] = await makeKey(alg);
});

const pemSource = (key: TestKey, extra: Record<string, unknown> = {}): AuthOptions => ({
  keySources: [{ kind: 'pem', issuer: ISSUER, audience: AUDIENCE, pem: key.publicPem, ...extra }],
});
const hmacSource: AuthOptions = { keySources: [{ kind: 'hmac', issuer: ISSUER, audience: AUDIENCE, secret: HMAC_SECRET }] };

describe('accepted algorithms', () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) {
    it(`${alg} with a pem key and with a jwks file`, async () => {
      const { call } = await makeAuth(pemSource(keys[alg]));
      const result = await call(await mint(keys[alg]));
      expect(result.ok && result.principal.clientId).toBe('client-1');
      expect(result.ok && [...result.principal.scopes]).toEqual(['pet:read', 'pet:write']);
      const fromFile = await makeAuth({
        keySources: [{ kind: 'jwks-file', issuer: ISSUER, path: await jwksFile([keys[alg].publicJwk]) }],
      });
      expect((await fromFile.call(await mint(keys[alg]))).ok).toBe(true);
    });
  }
  it('HS256 with an hmac secret', async () => {
    const { call } = await makeAuth(hmacSource);
    expect((await call(await mint(hmacBytes(), { alg: 'HS256' }))).ok).toBe(true);
  });
});

describe('refused tokens', () => {
  const cases: Array<{ name: string; token: () => Promise<string>; options?: () => AuthOptions; code: string }> = [
    { name: 'expired beyond tolerance', token: () => mint(keys.ES256, { exp: -31 }), code: 'TOKEN_EXPIRED' },
    { name: 'not yet valid', token: () => mint(keys.ES256, { nbf: 31 }), code: 'TOKEN_EXPIRED' },
    { name: 'wrong issuer', token: () => mint(keys.ES256, { iss: 'https://evil.test' }), code: 'INVALID_TOKEN' },
    { name: 'no issuer', token: () => mint(keys.ES256, { iss: null }), code: 'INVALID_TOKEN' },
    { name: 'wrong audience', token: () => mint(keys.ES256, { aud: 'other-api' }), code: 'INVALID_TOKEN' },
    { name: 'missing exp', token: () => mint(keys.ES256, { exp: null }), code: 'INVALID_TOKEN' },
    { name: 'signed by another key', token: async () => mint(await makeKey('ES256')), code: 'INVALID_TOKEN' },
    { name: 'alg none (hand-built)', token: async () => unsignedToken(), code: 'INVALID_TOKEN' },
    {
      name: 'HS256 signed with the RSA public key PEM as secret (key confusion)',
      token: () => mint(new TextEncoder().encode(keys.RS256.publicPem), { alg: 'HS256' }),
      options: () => pemSource(keys.RS256),
      code: 'INVALID_TOKEN',
    },
    {
      name: 'an algorithm outside the allow-list (PS256 where only RS256 is allowed)',
      token: async () => {
        // The same RSA key pair, re-imported for PSS: only the allow-list can refuse it.
        const pss = await importPKCS8(await exportPKCS8(keys.RS256.privateKey), 'PS256');
        return mint({ ...keys.RS256, privateKey: pss }, { alg: 'PS256' });
      },
      options: () => pemSource(keys.RS256, { algorithms: ['RS256'] }),
      code: 'INVALID_TOKEN',
    },
    {
      name: 'wrong typ',
      token: () => mint(keys.ES256, { typ: 'JWT' }),
      options: () => pemSource(keys.ES256, { typ: 'at+jwt' }),
      code: 'INVALID_TOKEN',
    },
    { name: 'oversized', token: () => mint(keys.ES256, { claims: { pad: 'x'.repeat(9000) } }), code: 'INVALID_TOKEN' },
    { name: 'encrypted (JWE)', token: () => encryptedToken(), code: 'INVALID_TOKEN' },
    { name: 'two parts only', token: async () => (await mint(keys.ES256)).split('.').slice(0, 2).join('.'), code: 'INVALID_TOKEN' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { call } = await makeAuth(c.options?.() ?? pemSource(keys.ES256));
      const result = await call(await c.token());
      expect(result.ok ? 'ok' : result.code).toBe(c.code);
    });
  }

  it('HS256 with the RSA PEM as secret is refused even beside an hmac source', async () => {
    const { call } = await makeAuth({
      keySources: [
        { kind: 'pem', issuer: ISSUER, pem: keys.RS256.publicPem },
        { kind: 'hmac', issuer: 'https://hmac.test', secret: HMAC_SECRET },
      ],
    });
    const forged = await mint(new TextEncoder().encode(keys.RS256.publicPem), { alg: 'HS256' });
    expect(await call(forged)).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
  });
});

describe('claim checks that pass when configured so', () => {
  it('accepts within clock tolerance, on either side', async () => {
    const { call } = await makeAuth(pemSource(keys.ES256));
    expect((await call(await mint(keys.ES256, { exp: -29 }))).ok).toBe(true);
    expect((await call(await mint(keys.ES256, { nbf: 29 }))).ok).toBe(true);
  });
  it('accepts a token without exp when requireExp is false', async () => {
    const { call } = await makeAuth({ ...pemSource(keys.ES256), requireExp: false });
    expect((await call(await mint(keys.ES256, { exp: null }))).ok).toBe(true);
  });
  it('accepts an audience array that contains the expected one', async () => {
    const { call } = await makeAuth(pemSource(keys.ES256));
    expect((await call(await mint(keys.ES256, { aud: ['x', AUDIENCE] }))).ok).toBe(true);
  });
  it('accepts one of several configured audiences', async () => {
    const { call } = await makeAuth(pemSource(keys.ES256, { audience: ['a', 'b'] }));
    expect((await call(await mint(keys.ES256, { aud: 'b' }))).ok).toBe(true);
    expect(await call(await mint(keys.ES256, { aud: 'c' }))).toMatchObject({ code: 'INVALID_TOKEN' });
  });
  it('accepts a PS256 token from an RSA key when the allow-list has PS256', async () => {
    const pss = await importPKCS8(await exportPKCS8(keys.RS256.privateKey), 'PS256');
    const { call } = await makeAuth(pemSource(keys.RS256, { algorithms: ['RS256', 'PS256'] }));
    expect((await call(await mint({ ...keys.RS256, privateKey: pss }, { alg: 'PS256' }))).ok).toBe(true);
  });
  it('accepts the configured typ', async () => {
    const { call } = await makeAuth(pemSource(keys.ES256, { typ: 'at+jwt' }));
    expect((await call(await mint(keys.ES256, { typ: 'at+jwt' }))).ok).toBe(true);
  });
  it('maxTokenAgeSeconds refuses an old iat as expired', async () => {
    const { call } = await makeAuth({ ...pemSource(keys.ES256), maxTokenAgeSeconds: 600 });
    expect((await call(await mint(keys.ES256, { iat: -500 }))).ok).toBe(true);
    expect(await call(await mint(keys.ES256, { iat: -700 }))).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });
  it('refuses a token issued in the future beyond the clock tolerance, accepts one within it', async () => {
    const { call } = await makeAuth(pemSource(keys.ES256));
    // Default tolerance 30 s; without maxTokenAgeSeconds jose would not look at iat at all.
    expect((await call(await mint(keys.ES256, { iat: 20 }))).ok).toBe(true);
    expect(await call(await mint(keys.ES256, { iat: 86_400 }))).toMatchObject({ code: 'INVALID_TOKEN' });
  });
  it('a token just under maxTokenBytes passes, one byte over is refused', async () => {
    const token = await mint(keys.ES256);
    expect((await (await makeAuth({ ...pemSource(keys.ES256), maxTokenBytes: token.length })).call(token)).ok).toBe(true);
    const small = await makeAuth({ ...pemSource(keys.ES256), maxTokenBytes: token.length - 1 });
    expect(await small.call(token)).toMatchObject({ code: 'INVALID_TOKEN' });
  });
});

describe('routing by issuer', () => {
  it('verifies each token with the source of its issuer', async () => {
    const { call } = await makeAuth({
      keySources: [
        { kind: 'pem', issuer: ISSUER, pem: keys.ES256.publicPem },
        { kind: 'hmac', issuer: 'https://hmac.test', secret: HMAC_SECRET },
        { kind: 'jwks-file', issuer: 'https://file.test', path: await jwksFile([keys.EdDSA.publicJwk]) },
      ],
    });
    expect((await call(await mint(keys.ES256, { aud: null }))).ok).toBe(true);
    expect((await call(await mint(hmacBytes(), { iss: 'https://hmac.test', aud: null }))).ok).toBe(true);
    expect((await call(await mint(keys.EdDSA, { iss: 'https://file.test', aud: null }))).ok).toBe(true);
    // The right key under the wrong issuer: routed to the hmac source, which refuses ES256.
    expect(await call(await mint(keys.ES256, { iss: 'https://hmac.test', aud: null }))).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(await call(await mint(keys.ES256, { iss: 'https://unknown.test', aud: null }))).toMatchObject({ code: 'INVALID_TOKEN' });
  });
});

describe('principal and failure events', () => {
  it('reads client id, subject, scopes array and tier from the configured claims', async () => {
    const { call } = await makeAuth({ ...pemSource(keys.ES256), scopeClaim: 'scp', clientIdClaims: ['azp', 'sub'] });
    const result = await call(await mint(keys.ES256, { claims: { azp: 'app-9', scp: ['a', 'b'], tier: 'pro' } }));
    expect(result).toMatchObject({ ok: true, cached: false });
    if (!result.ok) return;
    expect(result.principal).toMatchObject({ clientId: 'app-9', subject: 'client-1', tier: 'pro', anonymous: false });
    expect([...result.principal.scopes]).toEqual(['a', 'b']);
    expect(result.principal.claims.azp).toBe('app-9');
  });
  it('refuses a token whose client id sits in the anonymous namespace', async () => {
    const { call } = await makeAuth(pemSource(keys.ES256));
    expect(await call(await mint(keys.ES256, { sub: 'anon:203.0.113.7' }))).toMatchObject({ code: 'INVALID_TOKEN' });
  });
  it('refuses client ids that cannot be a budget key: over 256 characters, or with control characters', async () => {
    const { call } = await makeAuth(pemSource(keys.ES256));
    expect((await call(await mint(keys.ES256, { sub: 'c'.repeat(256) }))).ok).toBe(true);
    expect(await call(await mint(keys.ES256, { sub: 'c'.repeat(257) }))).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(await call(await mint(keys.ES256, { sub: 'a\nb' }))).toMatchObject({ code: 'INVALID_TOKEN' });
  });
  it('names the client in the event only when the signature verified', async () => {
    const { call, events } = await makeAuth(pemSource(keys.ES256));
    await call(await mint(keys.ES256, { exp: -100, sub: 'real-client' }));
    await call(await mint(await makeKey('ES256'), { sub: 'victim' }));
    expect(events).toMatchObject([
      { code: 'TOKEN_EXPIRED', clientId: 'real-client', subject: 'real-client', sourceAddress: '203.0.113.7', atMs: T0_SECONDS * 1000 },
      { code: 'INVALID_TOKEN', sourceAddress: '203.0.113.7' },
    ]);
    expect(events[1].clientId).toBeUndefined();
    expect(typeof events[1].reason).toBe('string');
  });
});

async function unsignedToken(): Promise<string> {
  const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
  const payload = base64url.encode(
    JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'client-1', iat: T0_SECONDS, exp: T0_SECONDS + 3600 }),
  );
  return `${header}.${payload}.`;
}

async function encryptedToken(): Promise<string> {
  return new EncryptJWT({ sub: 'client-1' })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuer(ISSUER)
    .encrypt(new Uint8Array(32).fill(7));
}

async function jwksFile(publicJwks: object[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loopgate-jwks-'));
  const path = join(dir, 'jwks.json');
  await writeFile(path, JSON.stringify({ keys: publicJwks }));
  return path;
}
