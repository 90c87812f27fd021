import { describe, expect, it } from 'vitest';
import { defaultAuthOptions, normalizeAuthOptions } from '../../src/auth/options';
import { HMAC_SECRET } from './helpers';

const pem = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
const hmac = (extra: Record<string, unknown> = {}) => ({ kind: 'hmac', issuer: 'i', secret: HMAC_SECRET, ...extra });

describe('normalizeAuthOptions refuses bad config with a TypeError', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['an unknown top-level key', { requried: true }, /auth\.requried/],
    ['an unknown key-source key', { keySources: [hmac({ secrte: 'x' })] }, /secrte/],
    ['an unknown kind', { keySources: [{ kind: 'x509', issuer: 'i' }] }, /kind/],
    ['an hmac source with an empty secret', { keySources: [hmac({ secret: '' })] }, /empty/],
    ['an hmac source with a short secret', { keySources: [hmac({ secret: 'short' })] }, /32 bytes/],
    ['an hmac source whose env variable is unset', { keySources: [hmac({ secret: undefined, secretEnv: 'NOPE' })] }, /NOPE/],
    ['an hmac source with both secret and secretEnv', { keySources: [hmac({ secretEnv: 'X' })] }, /exactly one/],
    ['a jwks url that is not http(s)', { keySources: [{ kind: 'jwks-url', issuer: 'i', url: 'file:///etc/jwks' }] }, /http/],
    ['a jwks url that is not a URL', { keySources: [{ kind: 'jwks-url', issuer: 'i', url: 'jwks' }] }, /url/],
    ['algorithm none', { keySources: [{ kind: 'pem', issuer: 'i', pem, algorithms: ['none'] }] }, /none/],
    ['algorithm NONE', { keySources: [hmac({ algorithms: ['NONE'] })] }, /none/],
    ['an HMAC algorithm on a public-key source', { keySources: [{ kind: 'pem', issuer: 'i', pem, algorithms: ['HS256'] }] }, /HS256/],
    ['an asymmetric algorithm on an hmac source', { keySources: [hmac({ algorithms: ['RS256'] })] }, /RS256/],
    ['an unknown algorithm', { keySources: [{ kind: 'pem', issuer: 'i', pem, algorithms: ['RS1'] }] }, /RS1/],
    ['a private key as pem', { keySources: [{ kind: 'pem', issuer: 'i', pem: '-----BEGIN PRIVATE KEY-----' }] }, /private/],
    ['pem and pemFile together', { keySources: [{ kind: 'pem', issuer: 'i', pem, pemFile: 'k.pem' }] }, /exactly one/],
    ['a missing issuer', { keySources: [{ kind: 'pem', pem }] }, /issuer/],
    ['two sources with one issuer', { keySources: [hmac(), { kind: 'pem', issuer: 'i', pem }] }, /issuer/],
    ['a negative cooldown', { keySources: [{ kind: 'jwks-url', issuer: 'i', url: 'https://x/j', cooldownMs: -1 }] }, /cooldownMs/],
    ['encrypted tokens enabled', { allowEncryptedTokens: true }, /allowEncryptedTokens/],
    ['the dev key forced on beside real keys', { keySources: [hmac()], devKey: { enabled: true } }, /devKey/],
    ['a bad trusted proxy', { trustedProxies: ['10.0.0.0/33'] }, /trustedProxies/],
    ['a bad forward header name', { forwardClaims: { 'x user': 'sub' } }, /forwardClaims/],
    ['an empty clientIdClaims', { clientIdClaims: [] }, /clientIdClaims/],
    ['a zero maxTokenBytes', { maxTokenBytes: 0 }, /maxTokenBytes/],
    ['an unknown tokenCache key', { tokenCache: { size: 1 } }, /tokenCache\.size/],
    ['a header scheme with spaces', { tokenSources: { header: { scheme: 'Bearer x' } } }, /scheme/],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => {
      expect(() => normalizeAuthOptions(input, {})).toThrow(TypeError);
      expect(() => normalizeAuthOptions(input, {})).toThrow(message);
    });
  }
});

describe('normalizeAuthOptions fills defaults', () => {
  it('the empty config uses the dev key and the Bearer header', () => {
    const n = normalizeAuthOptions({}, {});
    expect(n.devKey).toEqual({ path: '.loopgate/dev-key.json' });
    expect(n.tokenSources).toEqual({ header: { name: 'authorization', scheme: 'Bearer' }, cookie: null });
    expect(n.requireExp).toBe(true);
    expect(n.clientIdClaims).toEqual(['azp', 'client_id', 'sub']);
  });
  it('the dev key is off as soon as a real key source is configured', () => {
    expect(normalizeAuthOptions({ keySources: [hmac()] }, {}).devKey).toBeNull();
  });
  it('reads an hmac secret from the environment', () => {
    const n = normalizeAuthOptions({ keySources: [hmac({ secret: undefined, secretEnv: 'S' })] }, { S: HMAC_SECRET });
    expect(n.keySources[0]).toMatchObject({ kind: 'hmac', secret: HMAC_SECRET, algorithms: ['HS256', 'HS384', 'HS512'] });
  });
  it('gives key kinds the asymmetric allow-list by default', () => {
    const n = normalizeAuthOptions({ keySources: [{ kind: 'jwks-url', issuer: 'i', url: 'https://idp.test/jwks' }] }, {});
    expect(n.keySources[0]).toMatchObject({ cooldownMs: 30_000, cacheMaxAgeMs: 600_000, timeoutMs: 5_000 });
    expect(n.keySources[0].algorithms).toContain('EdDSA');
    expect(n.keySources[0].algorithms.some((a) => a.startsWith('HS'))).toBe(false);
  });
  it('the defaults survive a JSON round trip and normalise to the same thing', () => {
    const viaJson = JSON.parse(JSON.stringify(defaultAuthOptions)) as unknown;
    expect(normalizeAuthOptions(viaJson, {})).toEqual(normalizeAuthOptions({}, {}));
  });
});
