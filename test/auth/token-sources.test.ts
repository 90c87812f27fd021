import { beforeAll, describe, expect, it } from 'vitest';
import { authFailureError } from '../../src/auth/auth-error';
import { extractToken, isCompactJwtShape } from '../../src/auth/extract-token';
import { normalizeAuthOptions } from '../../src/auth/options';
import { ISSUER, makeAuth, makeKey, mint, type TestKey } from './helpers';

const both = normalizeAuthOptions({ tokenSources: { cookie: { name: 'lg_token' } }, keySources: [] }, {}).tokenSources;
const custom = normalizeAuthOptions({ tokenSources: { header: { name: 'X-Api-Token', scheme: '' } } }, {}).tokenSources;

describe('extractToken', () => {
  const cases: Array<[string, Record<string, string>, string, typeof both?]> = [
    ['no header, no cookie', {}, 'none'],
    ['Bearer token', { authorization: 'Bearer a.b.c' }, 'token:a.b.c'],
    ['scheme is case-insensitive', { authorization: 'bearer a.b.c' }, 'token:a.b.c'],
    ['Basic credentials', { authorization: 'Basic dXNlcjpwYXNz' }, 'malformed'],
    ['Bearer without token', { authorization: 'Bearer' }, 'malformed'],
    ['Bearer with blank token', { authorization: 'Bearer    ' }, 'malformed'],
    ['cookie only', { cookie: 'other=1; lg_token=a.b.c' }, 'token:a.b.c'],
    ['quoted cookie', { cookie: 'lg_token="a.b.c"' }, 'token:a.b.c'],
    ['empty cookie is no token', { cookie: 'lg_token=' }, 'none'],
    ['header wins over cookie', { authorization: 'Bearer h.h.h', cookie: 'lg_token=c.c.c' }, 'token:h.h.h'],
    ['malformed header does not fall back to cookie', { authorization: 'Basic x', cookie: 'lg_token=c.c.c' }, 'malformed'],
    ['cookie twice with different values', { cookie: 'lg_token=a.a.a; lg_token=b.b.b' }, 'malformed'],
    ['custom header without scheme', { 'x-api-token': 'a.b.c' }, 'token:a.b.c', custom],
    ['custom header ignores Authorization', { authorization: 'Bearer a.b.c' }, 'none', custom],
  ];
  for (const [name, headers, expected, sources] of cases) {
    it(name, () => {
      const found = extractToken(new Headers(headers), sources ?? both);
      expect(found.kind === 'token' ? `token:${found.token}` : found.kind).toBe(expected);
    });
  }
  it('isCompactJwtShape accepts base64url segments only', () => {
    expect(['a.b.c', 'eyJ0.eyJ0.c2ln', 'a.b.c.d.e'].map(isCompactJwtShape)).toEqual([true, true, true]);
    expect(['a.b.c d.e.f', 'a.b.c"<x>', 'a+b.c/d.e=', 'a.b.\u00e9'].map(isCompactJwtShape)).toEqual([false, false, false, false]);
  });
  it('ignores the cookie when no cookie source is configured', () => {
    const headerOnly = normalizeAuthOptions({}, {}).tokenSources;
    expect(extractToken(new Headers({ cookie: 'lg_token=a.b.c' }), headerOnly).kind).toBe('none');
  });
});

describe('authenticate: token presence', () => {
  let key: TestKey;
  beforeAll(async () => {
    key = await makeKey('ES256');
  });
  const sources = () => [{ kind: 'pem' as const, issuer: ISSUER, pem: key.publicPem }];

  it('no token: anonymous principal keyed by the source address', async () => {
    const { call } = await makeAuth({ keySources: sources() });
    const result = await call(undefined, {}, '198.51.100.4');
    expect(result).toMatchObject({ ok: true, principal: { anonymous: true, clientId: 'anon:198.51.100.4' } });
    expect(result.ok && result.principal.scopes.size).toBe(0);
  });
  it('no token when authentication is required: UNAUTHENTICATED and an event', async () => {
    const { call, events } = await makeAuth({ keySources: sources(), required: true });
    expect(await call()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED', sourceAddress: '203.0.113.7' });
    expect(events.map((e) => e.code)).toEqual(['UNAUTHENTICATED']);
  });
  it('a malformed Authorization header is INVALID_TOKEN, not anonymous', async () => {
    const { auth } = await makeAuth({ keySources: sources() });
    const result = await auth.authenticate({ headers: new Headers({ authorization: 'Token abc' }), remoteAddress: '203.0.113.7' });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
  });
  it('an invalid token never falls back to anonymous', async () => {
    const { call } = await makeAuth({ keySources: sources() });
    for (const bad of ['a.b.c', 'a.b.c d.e.f', 'a.b.c"<x>']) {
      expect(await call(bad)).toMatchObject({ ok: false, code: 'INVALID_TOKEN' });
    }
  });
  it('reads the token from the configured cookie', async () => {
    const { auth } = await makeAuth({ keySources: sources(), tokenSources: { cookie: { name: 'lg_token' } } });
    const headers = new Headers({ cookie: `theme=dark; lg_token=${await mint(key, { aud: null })}` });
    expect(await auth.authenticate({ headers, remoteAddress: '203.0.113.7' })).toMatchObject({
      ok: true,
      principal: { clientId: 'client-1', anonymous: false },
    });
  });
  it('the public error never echoes the token or the internal reason', async () => {
    const { call } = await makeAuth({ keySources: sources() });
    const token = await mint(await makeKey('ES256'), { aud: null });
    const result = await call(token);
    if (result.ok) throw new Error('expected a failure');
    const error = authFailureError(result);
    expect(error.extensions).toMatchObject({ code: 'INVALID_TOKEN', http: { status: 401 } });
    expect(error.message).not.toContain(token.slice(0, 20));
    expect(error.message).not.toContain(result.reason);
    expect(JSON.stringify(error.extensions)).not.toContain(token.slice(0, 20));
  });
});
