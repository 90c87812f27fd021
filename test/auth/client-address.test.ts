import { beforeAll, describe, expect, it } from 'vitest';
import { createProxyTrust, resolveClientAddress } from '../../src/auth/client-address';
import { buildForwardHeaders } from '../../src/auth/forward-headers';
import { anonymousPrincipal } from '../../src/auth/principal';
import { ISSUER, makeAuth, makeKey, mint, type TestKey } from './helpers';

describe('resolveClientAddress', () => {
  const trust = createProxyTrust(['10.0.0.1', '192.168.0.0/16', '2001:db8::/32']);
  const cases: Array<[string, string, string | null, string]> = [
    ['no proxy header', '203.0.113.9', null, '203.0.113.9'],
    ['XFF from an untrusted peer is ignored', '203.0.113.9', '1.2.3.4', '203.0.113.9'],
    ['XFF from a trusted proxy (exact IP)', '10.0.0.1', '1.2.3.4', '1.2.3.4'],
    ['XFF from a trusted proxy (CIDR)', '192.168.4.4', '1.2.3.4', '1.2.3.4'],
    ['IPv4-mapped peer address', '::ffff:10.0.0.1', '1.2.3.4', '1.2.3.4'],
    ['IPv6 proxy range', '2001:db8::7', '1.2.3.4', '1.2.3.4'],
    ['client-written entries left of the first untrusted hop are ignored', '10.0.0.1', '6.6.6.6, 1.2.3.4', '1.2.3.4'],
    ['trusted hops are skipped from the right', '10.0.0.1', '1.2.3.4, 192.168.1.1', '1.2.3.4'],
    ['garbage hop stops the walk', '10.0.0.1', '1.2.3.4, not-an-ip', '10.0.0.1'],
    ['neighbour of a trusted exact IP is not trusted', '10.0.0.2', '1.2.3.4', '10.0.0.2'],
  ];
  for (const [name, peer, xff, expected] of cases) {
    it(name, () => expect(resolveClientAddress(peer, xff, trust)).toBe(expected));
  }
  it('trusts nobody by default', () => {
    expect(resolveClientAddress('10.0.0.1', '1.2.3.4', createProxyTrust([]))).toBe('10.0.0.1');
  });
});

describe('X-Forwarded-For through the authenticator', () => {
  it('keys anonymous clients by the forwarded address only behind a trusted proxy', async () => {
    const { call } = await makeAuth({ trustedProxies: ['127.0.0.1'], devKey: { enabled: false } });
    const viaProxy = await call(undefined, { 'x-forwarded-for': '198.51.100.20' }, '127.0.0.1');
    const direct = await call(undefined, { 'x-forwarded-for': '198.51.100.20' }, '203.0.113.50');
    expect(viaProxy.ok && viaProxy.principal.clientId).toBe('anon:198.51.100.20');
    expect(direct.ok && direct.principal.clientId).toBe('anon:203.0.113.50');
  });
});

describe('forwarded claim headers', () => {
  let key: TestKey;
  beforeAll(async () => {
    key = await makeKey('ES256');
  });
  const forwardClaims = { 'X-User-Id': 'sub', 'x-scopes': 'scope', 'x-tier': 'tier' };

  it('strips forged incoming copies and sets them from verified claims', async () => {
    const { auth, call } = await makeAuth({
      keySources: [{ kind: 'pem', issuer: ISSUER, pem: key.publicPem }],
      forwardClaims,
    });
    const result = await call(await mint(key, { sub: 'alice', aud: null }));
    if (!result.ok) throw new Error(result.reason);
    const incoming = new Headers({ 'x-user-id': 'admin', 'X-Tier': 'enterprise', accept: 'application/json' });
    const out = auth.forwardHeaders(incoming, result.principal);
    expect(out.get('x-user-id')).toBe('alice');
    expect(out.get('x-scopes')).toBe('pet:read pet:write');
    expect(out.has('x-tier')).toBe(false); // the token has no tier: the forged one must not survive
    expect(out.get('accept')).toBe('application/json');
    expect(incoming.get('x-user-id')).toBe('admin'); // the caller's headers are not mutated
  });
  it('anonymous principals forward none of them', () => {
    const out = buildForwardHeaders({ 'x-user-id': 'sub' }, new Headers({ 'x-user-id': 'admin' }), anonymousPrincipal('1.2.3.4'));
    expect(out.has('x-user-id')).toBe(false);
  });
  it('drops claim values that are not safe header values', () => {
    const principal = { ...anonymousPrincipal('1.2.3.4'), anonymous: false, claims: { sub: 'a\r\nx-admin: 1', n: 5 } };
    const out = buildForwardHeaders({ 'x-user-id': 'sub', 'x-n': 'n' }, new Headers(), principal);
    expect(out.has('x-user-id')).toBe(false);
    expect(out.get('x-n')).toBe('5');
  });
});
