import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { createAuthenticator, type AuthenticatorHooks, type AuthFailureEvent } from '../../src/auth/create-authenticator';
import { normalizeAuthOptions, type AuthOptions } from '../../src/auth/options';

/** The fixed test clock: every token is minted and checked against it. */
export const T0_SECONDS = 1_700_000_000;
export const T0_MS = T0_SECONDS * 1000;
export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'loopgate-api';
export const HMAC_SECRET = 'a-test-secret-that-is-long-enough-for-hs256!';

export interface TestKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export async function makeKey(alg: string, kid = `${alg}-1`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface MintOptions {
  alg?: string;
  kid?: string | null;
  iss?: string | null;
  aud?: string | string[] | null;
  sub?: string;
  /** Seconds relative to T0; null leaves exp out. Default +3600. */
  exp?: number | null;
  nbf?: number;
  iat?: number;
  typ?: string;
  claims?: JWTPayload;
}

/** Signs a JWT at the fixed clock with `key` (a test key, or raw bytes for HMAC). */
export function mint(key: TestKey | Uint8Array, o: MintOptions = {}): Promise<string> {
  const alg = o.alg ?? (key instanceof Uint8Array ? 'HS256' : key.alg);
  const kid = o.kid === null ? undefined : (o.kid ?? (key instanceof Uint8Array ? undefined : key.kid));
  const jwt = new SignJWT({ scope: 'pet:read pet:write', ...o.claims })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}), ...(o.typ ? { typ: o.typ } : {}) })
    .setSubject(o.sub ?? 'client-1')
    .setIssuedAt(T0_SECONDS + (o.iat ?? 0));
  if (o.iss !== null) jwt.setIssuer(o.iss ?? ISSUER);
  if (o.aud !== null) jwt.setAudience(o.aud ?? AUDIENCE);
  if (o.exp !== null) jwt.setExpirationTime(T0_SECONDS + (o.exp ?? 3600));
  if (o.nbf !== undefined) jwt.setNotBefore(T0_SECONDS + o.nbf);
  return jwt.sign(key instanceof Uint8Array ? key : key.privateKey);
}

export const hmacBytes = (secret = HMAC_SECRET) => new TextEncoder().encode(secret);

/** A mutable clock for the authenticator. */
export function testClock(startMs = T0_MS) {
  const clock = { ms: startMs, now: () => clock.ms };
  return clock;
}

/** Builds an authenticator from JSON-shaped options at the test clock, recording failure events. */
export async function makeAuth(options: AuthOptions, hooks: AuthenticatorHooks = {}) {
  const clock = testClock();
  const events: AuthFailureEvent[] = [];
  const auth = await createAuthenticator(normalizeAuthOptions(JSON.parse(JSON.stringify(options)), {}), {
    now: clock.now,
    onAuthFailure: (e) => events.push(e),
    ...hooks,
  });
  const call = (token?: string, extra: Record<string, string> = {}, remoteAddress = '203.0.113.7') =>
    auth.authenticate({
      headers: new Headers({ ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...extra }),
      remoteAddress,
    });
  return { auth, clock, events, call };
}

export interface JwksServer {
  url: string;
  /** Replaces the served keys. */
  setKeys(keys: JWK[]): void;
  /** Makes the endpoint answer 503 (true) or serve keys again (false). */
  setDown(down: boolean): void;
  readonly requests: number;
  close(): Promise<void>;
}

/** A real JWKS endpoint on 127.0.0.1, port chosen by the OS. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let served = keys;
  let down = false;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    if (down) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    setKeys: (k) => {
      served = k;
    },
    setDown: (d) => {
      down = d;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
