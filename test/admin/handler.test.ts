import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type BudgetStore } from '../../src/store';
import { createMetrics } from '../../src/metrics';
import { createAdminHandler } from '../../src/admin';
import { adminToken, call, codeOf, createJwtKit, fieldOf, startAdminServer, type AdminServer } from './support';

const tierLimits = { capacity: 100, restoreRatePerSecond: 1 };
const t0 = Date.parse('2030-01-01T00:00:00Z');

describe('admin handler on a loopback server', () => {
  let store: BudgetStore;
  let server: AdminServer;
  let nowMs: number;
  let jwt: Awaited<ReturnType<typeof createJwtKit>>;

  beforeEach(async () => {
    nowMs = t0;
    store = createMemoryStore();
    jwt = await createJwtKit();
    const metrics = createMetrics();
    metrics.recordRequest('ok');
    server = await startAdminServer({
      store,
      credentials: { token: adminToken, verifyJwt: jwt.verifyJwt },
      metrics,
      now: () => nowMs,
    });
    await store.charge('alice', { cost: 30, tierLimits, tier: 'free', nowMs });
    await store.charge('bob', { cost: 10, tierLimits, tier: 'free', nowMs });
    await store.charge('carol', { cost: 50, tierLimits, tier: 'pro', nowMs });
  });

  afterEach(async () => {
    await server.close();
    await store.close();
  });

  describe('credentials', () => {
    it('refuses a missing credential with 401 UNAUTHENTICATED', async () => {
      const r = await call(server.url, 'GET', '/admin/clients', { token: null });
      expect(r.status).toBe(401);
      expect(codeOf(r.json)).toBe('UNAUTHENTICATED');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('refuses a wrong static token with 401 INVALID_TOKEN', async () => {
      const r = await call(server.url, 'GET', '/admin/clients', { token: `${adminToken}x` });
      expect(r.status).toBe(401);
      expect(codeOf(r.json)).toBe('INVALID_TOKEN');
    });

    it('refuses a JWT signed by another key with 401 INVALID_TOKEN', async () => {
      const token = await jwt.sign('mallory', 'loopgate:admin', jwt.otherKey);
      const r = await call(server.url, 'GET', '/admin/clients', { token });
      expect(r.status).toBe(401);
      expect(codeOf(r.json)).toBe('INVALID_TOKEN');
    });

    it('refuses a valid JWT without the admin scope with 403 FORBIDDEN', async () => {
      const token = await jwt.sign('dave', 'pet:read loopgate:read');
      for (const [method, path] of [['GET', '/admin/clients'], ['POST', '/admin/clients/alice/reset'], ['GET', '/admin/nowhere']]) {
        const r = await call(server.url, method, path, { token });
        expect(r.status).toBe(403);
        expect(codeOf(r.json)).toBe('FORBIDDEN');
      }
    });

    it('accepts a JWT with the admin scope and audits under its subject', async () => {
      const token = await jwt.sign('ops-erin', 'pet:read loopgate:admin');
      const r = await call(server.url, 'PUT', '/admin/clients/alice/override', { token, body: { capacity: 300 } });
      expect(r.status).toBe(200);
      const audit = await call(server.url, 'GET', '/admin/audit?client=alice');
      expect(audit.json.events[0]).toMatchObject({ clientId: 'alice', actor: 'ops-erin', rule: 'override' });
    });

    it('is disabled (404 everywhere under the prefix) without any credential', async () => {
      const handler = createAdminHandler({ store, credentials: {} });
      expect(handler.enabled).toBe(false);
      for (const path of ['/admin', '/admin/', '/admin/clients']) {
        const response = await handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${adminToken}` } }));
        expect(response?.status).toBe(404);
        expect(codeOf(await response?.json())).toBe('NOT_FOUND');
      }
      expect(await handler(new Request('http://localhost/graphql'))).toBeUndefined();
    });

    it('refuses a short static token at start-up', () => {
      expect(() => createAdminHandler({ store, credentials: { token: 'short' } })).toThrow(TypeError);
      expect(() => createAdminHandler({ store, credentials: { token: adminToken }, pathPrefix: 'admin/' })).toThrow(/pathPrefix/);
    });
  });

  it('leaves paths outside the prefix to the fallback', async () => {
    const r = await call(server.url, 'GET', '/graphql');
    expect(r.status).toBe(418);
    const lookalike = await call(server.url, 'GET', '/administrator');
    expect(lookalike.status).toBe(418);
  });

  it('lists clients after real charges, sorted by cost or id, paged', async () => {
    const byCost = await call(server.url, 'GET', '/admin/clients');
    expect(byCost.status).toBe(200);
    expect(byCost.json.total).toBe(3);
    expect(byCost.json.clients.map((c: { clientId: string }) => c.clientId)).toEqual(['carol', 'alice', 'bob']);
    expect(byCost.json.clients[1]).toMatchObject({ clientId: 'alice', tier: 'free', capacity: 100, remaining: 70, multiplier: 1, totalCost: 30, requests: 1, override: null });
    expect(byCost.json.clients[1].signals).toMatchObject({ requests: 0 });

    const byId = await call(server.url, 'GET', '/admin/clients?sort=clientId&offset=1&limit=1');
    expect(byId.json.clients.map((c: { clientId: string }) => c.clientId)).toEqual(['bob']);
  });

  it('shows one client with its recent audit events; unknown -> 404', async () => {
    await call(server.url, 'POST', '/admin/clients/alice/reset');
    const r = await call(server.url, 'GET', '/admin/clients/alice');
    expect(r.status).toBe(200);
    expect(r.json.client).toMatchObject({ clientId: 'alice', remaining: 100 });
    expect(r.json.audit).toHaveLength(1);
    expect(r.json.audit[0]).toMatchObject({ rule: 'reset', actor: 'token', at: new Date(t0).toISOString() });
    const missing = await call(server.url, 'GET', '/admin/clients/nobody');
    expect(missing.status).toBe(404);
    expect(codeOf(missing.json)).toBe('NOT_FOUND');
  });

  it('sets an override the next charge honours, audits it, and removes it', async () => {
    const set = await call(server.url, 'PUT', '/admin/clients/bob/override', { body: { capacity: 500, reason: 'launch day' } });
    expect(set.status).toBe(200);
    expect(set.json.client.override).toMatchObject({ capacity: 500, actor: 'token', reason: 'launch day', expiresAt: null });
    // Bob had 90 left of 100; the larger bucket refills at the tier rate, so give it time.
    nowMs += 1000_000;
    const big = await store.charge('bob', { cost: 400, tierLimits, tier: 'free', nowMs });
    expect(big).toMatchObject({ allowed: true, capacity: 500 });

    const audit = await call(server.url, 'GET', '/admin/audit?client=bob&limit=5');
    expect(audit.json.events[0]).toMatchObject({ clientId: 'bob', actor: 'token', rule: 'override', reason: 'launch day', oldCapacity: 100, newCapacity: 500 });

    const removed = await call(server.url, 'DELETE', '/admin/clients/bob/override');
    expect(removed.json).toMatchObject({ clientId: 'bob', removed: true });
    const after = await store.charge('bob', { cost: 1, tierLimits, tier: 'free', nowMs });
    expect(after.capacity).toBe(100);
    expect(after.override).toBeUndefined();
    const events = (await call(server.url, 'GET', '/admin/audit?client=bob')).json.events;
    expect(events.map((e: { rule: string }) => e.rule)).toEqual(['remove-override', 'override']);
    expect(events[0]).toMatchObject({ actor: 'token', oldCapacity: 500, newCapacity: 100 });

    const again = await call(server.url, 'DELETE', '/admin/clients/bob/override');
    expect(again.json.removed).toBe(false);
    expect((await call(server.url, 'GET', '/admin/audit?client=bob')).json.events).toHaveLength(2);
  });

  it('pins a multiplier and lets ttlSeconds expire the override', async () => {
    await call(server.url, 'PUT', '/admin/clients/alice/override', { body: { multiplier: 2, ttlSeconds: 60 } });
    expect((await store.charge('alice', { cost: 1, tierLimits, nowMs })).capacity).toBe(200);
    nowMs += 61_000;
    expect((await store.charge('alice', { cost: 1, tierLimits, nowMs })).capacity).toBe(100);
  });

  it('accepts expiresAt as ISO and overrides a client never charged', async () => {
    const expiresAt = new Date(t0 + 3_600_000).toISOString();
    const r = await call(server.url, 'PUT', `/admin/clients/${encodeURIComponent('team/x y')}/override`, { body: { capacity: 40, expiresAt } });
    expect(r.status).toBe(200);
    expect(r.json.client).toMatchObject({ clientId: 'team/x y', override: { capacity: 40, expiresAt } });
    expect((await store.charge('team/x y', { cost: 1, tierLimits, nowMs })).capacity).toBe(40);
  });

  it('resets a client: full bucket, multiplier 1, audited', async () => {
    await store.setMultiplier('carol', 0.5, nowMs);
    const r = await call(server.url, 'POST', '/admin/clients/carol/reset');
    expect(r.status).toBe(200);
    expect(r.json.client).toMatchObject({ clientId: 'carol', multiplier: 1, remaining: 100, capacity: 100 });
    const [event] = (await call(server.url, 'GET', '/admin/audit?limit=1')).json.events;
    expect(event).toMatchObject({ clientId: 'carol', rule: 'reset', actor: 'token', oldMultiplier: 0.5, newMultiplier: 1, oldCapacity: 50, newCapacity: 100 });
    expect((await call(server.url, 'POST', '/admin/clients/nobody/reset')).status).toBe(404);
  });

  it.each([
    [{ capacity: -1 }, 'capacity'],
    [{ capacity: 'lots' }, 'capacity'],
    [{ restoreRatePerSecond: 0 }, 'restoreRatePerSecond'],
    [{ multiplier: Number.MAX_VALUE }, 'multiplier'],
    [{}, 'capacity'],
    [{ capacity: 5, ttlSeconds: 1.5 }, 'ttlSeconds'],
    [{ capacity: 5, ttlSeconds: 10, expiresAt: '2031-01-01T00:00:00Z' }, 'ttlSeconds'],
    [{ capacity: 5, expiresAt: 'tomorrow' }, 'expiresAt'],
    [{ capacity: 5, expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    [{ capacity: 5, color: 'red' }, 'color'],
    [[1, 2], 'body'],
  ])('refuses override body %j with 400 BAD_REQUEST naming %s', async (body, field) => {
    const r = await call(server.url, 'PUT', '/admin/clients/alice/override', { body });
    expect(r.status).toBe(400);
    expect(codeOf(r.json)).toBe('BAD_REQUEST');
    expect(fieldOf(r.json)).toBe(field);
    expect((await store.getClient('alice', nowMs))?.override).toBeUndefined();
  });

  it('answers bad JSON, bad queries, long ids, unknown routes and wrong methods with their codes', async () => {
    const cases: Array<[string, string, { rawBody?: string }, number, string, string?]> = [
      ['PUT', '/admin/clients/alice/override', { rawBody: '{"capacity":' }, 400, 'BAD_REQUEST', 'body'],
      ['PUT', '/admin/clients/alice/override', { rawBody: `{"reason":"${'x'.repeat(20_000)}"}` }, 413, 'REQUEST_TOO_LARGE'],
      ['GET', '/admin/clients?limit=0', {}, 400, 'BAD_REQUEST', 'limit'],
      ['GET', '/admin/clients?limit=abc', {}, 400, 'BAD_REQUEST', 'limit'],
      ['GET', '/admin/clients?offset=-1', {}, 400, 'BAD_REQUEST', 'offset'],
      ['GET', '/admin/clients?sort=random', {}, 400, 'BAD_REQUEST', 'sort'],
      ['GET', `/admin/clients/${'a'.repeat(257)}`, {}, 400, 'BAD_REQUEST', 'clientId'],
      ['GET', '/admin/clients/%E0%A4%A', {}, 400, 'BAD_REQUEST', 'path'],
      ['GET', `/admin/audit?client=${'a'.repeat(257)}`, {}, 400, 'BAD_REQUEST', 'client'],
      ['GET', '/admin/nowhere', {}, 404, 'NOT_FOUND'],
      ['GET', '/admin/clients/alice/override/extra', {}, 404, 'NOT_FOUND'],
      ['DELETE', '/admin/clients', {}, 405, 'METHOD_NOT_ALLOWED'],
      ['GET', '/admin/clients/alice/reset', {}, 405, 'METHOD_NOT_ALLOWED'],
      ['GET', '/admin/recommendations', {}, 404, 'NOT_FOUND'],
    ];
    for (const [method, path, options, status, code, field] of cases) {
      const r = await call(server.url, method, path, options);
      expect({ method, path, status: r.status, code: codeOf(r.json) }).toEqual({ method, path, status, code });
      if (field) expect(fieldOf(r.json)).toBe(field);
    }
    const wrongMethod = await call(server.url, 'DELETE', '/admin/clients');
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    const id = 'a'.repeat(256);
    await store.charge(id, { cost: 1, tierLimits, nowMs });
    expect((await call(server.url, 'GET', `/admin/clients/${id}`)).status).toBe(200);
  });

  it('serves metrics behind the credential', async () => {
    expect((await call(server.url, 'GET', '/admin/metrics', { token: null })).status).toBe(401);
    const r = await call(server.url, 'GET', '/admin/metrics');
    expect(r.status).toBe(200);
    expect(r.json).toContain('loopgate_requests_total{outcome="ok"} 1');
  });

  it('serves the dashboard shell without data and without a credential, locked down by CSP', async () => {
    for (const path of ['/admin', '/admin/', '/admin/dashboard']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
      const html = await response.text();
      expect(html).not.toContain('alice');
      expect(html).not.toMatch(/(src|href)="https?:/);
      expect(html).toContain('data-api="/admin"');
    }
    expect((await call(server.url, 'POST', '/admin/')).status).toBe(405);
  });

  it('keeps a bounded cost series per client from recordCostSample', async () => {
    const { handler } = server;
    handler.recordCostSample('alice', 5, t0 - 120_000);
    handler.recordCostSample('alice', 7, t0 - 1000);
    handler.recordCostSample('alice', 3, t0);
    const r = await call(server.url, 'GET', '/admin/clients/alice');
    const series = r.json.client.costSeries;
    expect(series.slotMs).toBe(60_000);
    expect(series.costs).toHaveLength(60);
    expect(series.costs.slice(-3)).toEqual([5, 7, 3]);
    expect(series.costs.reduce((a: number, b: number) => a + b, 0)).toBe(15);
    expect((await call(server.url, 'GET', '/admin/clients/bob')).json.client.costSeries).toBeNull();
  });
});
