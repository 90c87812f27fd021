import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReviewsBackend } from '../../mesh/backends/reviews-server';
import type { RunningBackend } from '../../mesh/backends/listen';
import type { RunningGateway } from '../../src/server';
import { errorCodes, postGraphQL, startTestGateway, testAudience, testIssuer, tokenFor } from '../support/gateway';

/**
 * Authentication through the real gateway (issue 3): anonymous and required modes, every kind
 * of bad token refused with 401 before any upstream is called, and claim headers forwarded to
 * upstreams from the verified token only.
 */

const testSecret = new TextEncoder().encode('test-secret-for-loopgate-at-least-32-bytes!');
const publicQuery = { query: '{ reviewsForPet(petId: 1) { text } }' };

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sign(claims: Record<string, unknown>, opts: { issuer?: string; audience?: string; expSeconds?: number; secret?: Uint8Array } = {}) {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(opts.issuer ?? testIssuer)
    .setAudience(opts.audience ?? testAudience)
    .setSubject('client-bad')
    .setIssuedAt()
    .setExpirationTime(nowSeconds + (opts.expSeconds ?? 300))
    .sign(opts.secret ?? testSecret);
}

/** A raw POST, so the test can read the exact bytes the client gets back. */
async function rawPost(gw: RunningGateway, authorization: string | undefined) {
  const response = await fetch(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify(publicQuery),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } };
}

function totalUpstreamRequests(gw: RunningGateway): number {
  return Object.values(gw.sources.embedded).reduce((n, b) => n + b.requests.length, 0);
}

describe('anonymous and required authentication', () => {
  let open: RunningGateway;
  let closed: RunningGateway;
  beforeAll(async () => {
    [open, closed] = await Promise.all([startTestGateway(), startTestGateway({ auth: { required: true } })]);
  });
  afterAll(async () => {
    await Promise.all([open?.close(), closed?.close()]);
  });

  it('serves a public field to a client without a token', async () => {
    const res = await postGraphQL(open, publicQuery);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ reviewsForPet: [{ text: 'Rex is a good boy' }, { text: 'Barks a bit' }] });
  });

  it('refuses a client without a token with 401 UNAUTHENTICATED when auth is required, calling no upstream', async () => {
    const before = totalUpstreamRequests(closed);
    const res = await postGraphQL(closed, publicQuery);
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.data ?? null).toBeNull();
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(totalUpstreamRequests(closed)).toBe(before);
  });

  it('serves a valid token when auth is required', async () => {
    const res = await postGraphQL(closed, publicQuery, { token: await tokenFor({ sub: 'reader' }) });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ reviewsForPet: [{ text: 'Rex is a good boy' }, { text: 'Barks a bit' }] });
  });
});

describe('bad tokens are refused with 401 before any upstream call', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  const cases: Array<{ name: string; header: () => Promise<string>; code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' }> = [
    { name: 'invalid signature', code: 'INVALID_TOKEN', header: async () => `Bearer ${await sign({}, { secret: new TextEncoder().encode('another-secret-that-is-at-least-32-bytes!!') })}` },
    {
      name: 'tampered payload (scope added after signing)',
      code: 'INVALID_TOKEN',
      header: async () => {
        const [h, , s] = (await tokenFor({ sub: 'mallory' })).split('.');
        const payload = b64url({ sub: 'mallory', scope: 'admin', iss: testIssuer, aud: testAudience, exp: Math.floor(Date.now() / 1000) + 300 });
        return `Bearer ${h}.${payload}.${s}`;
      },
    },
    { name: 'expired (an hour ago, beyond the clock tolerance)', code: 'TOKEN_EXPIRED', header: async () => `Bearer ${await tokenFor({ ttlSeconds: -3600 })}` },
    {
      name: 'not yet valid (nbf an hour ahead)',
      code: 'TOKEN_EXPIRED',
      header: async () =>
        `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(testIssuer)
          .setAudience(testAudience)
          .setSubject('client-early')
          .setNotBefore(Math.floor(Date.now() / 1000) + 3600)
          .setExpirationTime(Math.floor(Date.now() / 1000) + 7200)
          .sign(testSecret)}`,
    },
    { name: 'wrong issuer', code: 'INVALID_TOKEN', header: async () => `Bearer ${await sign({}, { issuer: 'https://evil.test' })}` },
    { name: 'wrong audience', code: 'INVALID_TOKEN', header: async () => `Bearer ${await sign({}, { audience: 'someone-else' })}` },
    {
      name: 'alg none',
      code: 'INVALID_TOKEN',
      header: async () =>
        `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'mallory', scope: 'admin', iss: testIssuer, aud: testAudience, exp: Math.floor(Date.now() / 1000) + 300 })}.`,
    },
    { name: 'not a JWT at all', code: 'INVALID_TOKEN', header: async () => 'Bearer not-a-jwt' },
    { name: 'characters outside base64url', code: 'INVALID_TOKEN', header: async () => 'Bearer abc.d$f.ghi' },
    { name: 'empty Bearer token', code: 'INVALID_TOKEN', header: async () => 'Bearer ' },
    { name: 'another scheme (Basic)', code: 'INVALID_TOKEN', header: async () => `Basic ${Buffer.from('user:pass').toString('base64')}` },
    { name: 'a token without a scheme', code: 'INVALID_TOKEN', header: async () => await tokenFor() },
  ];

  for (const c of cases) {
    it(`${c.name} -> 401 ${c.code}, no upstream request, nothing echoed`, async () => {
      const header = await c.header();
      const before = totalUpstreamRequests(gw);
      const res = await rawPost(gw, header);
      expect(res.status).toBe(401);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual([c.code]);
      expect(res.body.data ?? null).toBeNull();
      expect(totalUpstreamRequests(gw)).toBe(before);
      const everything = `${res.text} ${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
      const token = header.replace(/^\S+\s+/, '').trim();
      if (token.length > 8) {
        expect(everything).not.toContain(token);
        for (const part of token.split('.').filter((p) => p.length > 8)) expect(everything).not.toContain(part);
      }
      expect(everything).not.toMatch(/jose|ERR_JW[STEK]|JWS|JWT[A-Z]|signature verification|"exp" claim|"iss" claim|"aud" claim/i);
    });
  }
});

interface SeenRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback proxy in front of the real reviews backend that records the headers each upstream request carried. */
async function startRecordingProxy(target: RunningBackend): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ headers: req.headers, body });
      void fetch(target.url, { method: req.method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: req.method === 'GET' ? undefined : body })
        .then(async (upstream) => {
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('claim headers forwarded to upstreams', () => {
  let reviews: RunningBackend;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let gw: RunningGateway;
  beforeAll(async () => {
    reviews = await startReviewsBackend();
    proxy = await startRecordingProxy(reviews);
    gw = await startTestGateway({ sources: { reviews: { url: proxy.url } }, auth: { forwardClaims: { 'x-user-id': 'sub', 'x-tier': 'tier' } } });
  });
  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
    await reviews?.close();
  });

  async function lastUpstreamHeaders(run: () => Promise<unknown>): Promise<http.IncomingHttpHeaders> {
    const before = proxy.seen.length;
    await run();
    expect(proxy.seen.length).toBe(before + 1);
    return proxy.seen[proxy.seen.length - 1]!.headers;
  }

  it("sends the verified token's sub as x-user-id, never the Authorization header", async () => {
    const token = await tokenFor({ sub: 'user-42', tier: 'pro' });
    const headers = await lastUpstreamHeaders(async () => {
      const res = await postGraphQL(gw, publicQuery, { token });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    });
    expect(headers['x-user-id']).toBe('user-42');
    expect(headers['x-tier']).toBe('pro');
    expect(headers.authorization).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(token);
  });

  it('replaces a forged x-user-id sent beside a valid token with the verified sub', async () => {
    const token = await tokenFor({ sub: 'user-42' });
    const headers = await lastUpstreamHeaders(() => postGraphQL(gw, publicQuery, { token, headers: { 'x-user-id': 'admin', 'x-tier': 'enterprise' } }));
    expect(headers['x-user-id']).toBe('user-42');
    // The token has no tier claim: the forged header is dropped, not passed on.
    expect(headers['x-tier']).toBeUndefined();
  });

  it('forwards no forged x-user-id for an anonymous client', async () => {
    const headers = await lastUpstreamHeaders(async () => {
      const res = await postGraphQL(gw, publicQuery, { headers: { 'x-user-id': 'admin', 'X-User-Id': 'root', 'x-tier': 'pro' } });
      expect(res.status).toBe(200);
    });
    expect(headers['x-user-id']).toBeUndefined();
    expect(headers['x-tier']).toBeUndefined();
  });

  it('gives two clients in a row each their own x-user-id (no header reuse across requests)', async () => {
    const [a, b] = await Promise.all([tokenFor({ sub: 'alice' }), tokenFor({ sub: 'bob' })]);
    const first = await lastUpstreamHeaders(() => postGraphQL(gw, publicQuery, { token: a }));
    const second = await lastUpstreamHeaders(() => postGraphQL(gw, publicQuery, { token: b }));
    const third = await lastUpstreamHeaders(() => postGraphQL(gw, publicQuery));
    expect([first['x-user-id'], second['x-user-id'], third['x-user-id']]).toEqual(['alice', 'bob', undefined]);
  });
});
