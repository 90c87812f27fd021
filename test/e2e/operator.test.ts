import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningGateway } from '../../src/server';
import { parsePrometheus } from '../metrics/parse-prometheus';
import { errorCodes, postGraphQL, startTestGateway, tokenFor } from '../support/gateway';

const adminToken = 'operator-test-admin-token-0123456789';
const admin = (gateway: RunningGateway, path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${gateway.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token === undefined ? { authorization: `Bearer ${adminToken}` } : init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });

describe('operator surface through the gateway', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ admin: { token: adminToken }, feedback: { mode: 'off' } });
  });
  afterAll(() => gateway.close());

  it('counts known traffic in /metrics, behind the admin credential', async () => {
    const token = await tokenFor({ sub: 'metrics-client', scope: 'pet:read' });
    for (let i = 0; i < 3; i++) await postGraphQL(gateway, { query: '{ reviewsForPet(petId: 1, first: 2) { text } }' }, { token });
    await postGraphQL(gateway, { query: '{ adoptions { id } }' }, { token }); // denied: data null
    await postGraphQL(gateway, { query: '{ __typename }' }, { token: 'not.a.token' });

    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    const response = await admin(gateway, '/metrics');
    expect(response.status).toBe(200);
    const samples = parsePrometheus(await response.text());
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('loopgate_requests_total', { outcome: 'ok' })).toBe(3);
    expect(value('loopgate_requests_total', { outcome: 'UNAUTHORIZED_FIELD_OR_TYPE' })).toBe(1);
    expect(value('loopgate_requests_total', { outcome: 'INVALID_TOKEN' })).toBe(1);
    // reviewsForPet(first: 2) on review 1's pet: 2 reviews come back, actual cost 2 each time.
    expect(value('loopgate_client_cost_total', { client: 'metrics-client' })).toBe(6);
  });

  it('refuses missing and wrong admin credentials and a gateway JWT without the admin scope', async () => {
    expect((await admin(gateway, '/admin/clients', { token: '' })).status).toBe(401);
    const wrong = await admin(gateway, '/admin/clients', { token: 'wrong-token-wrong-token-wrong' });
    expect(wrong.status).toBe(401);
    const plain = await admin(gateway, '/admin/clients', { token: await tokenFor({ sub: 'someone', scope: 'pet:read' }) });
    expect(plain.status).toBe(403);
    const adminJwt = await admin(gateway, '/admin/clients', { token: await tokenFor({ sub: 'ops-1', scope: 'loopgate:admin' }) });
    expect(adminJwt.status).toBe(200);
  });

  it('recommends list sizes and a maximum cost from observed traffic, with evidence', async () => {
    const token = await tokenFor({ sub: 'reco-client', scope: 'pet:read' });
    for (let i = 0; i < 25; i++) await postGraphQL(gateway, { query: '{ reviewsForPet(petId: 1) { text } }' }, { token });
    const body = (await (await admin(gateway, '/admin/recommendations')).json()) as {
      listSizes: Array<{ coordinate: string; assumedSize: number; evidence: { samples: number; max: number } }>;
    };
    const reviews = body.listSizes.find((l) => l.coordinate === 'Query.reviewsForPet');
    expect(reviews?.evidence.max).toBe(2); // pet 1 has two reviews
    expect(reviews?.assumedSize).toBeGreaterThanOrEqual(2);
    const sdl = await (await admin(gateway, '/admin/recommendations.graphql')).text();
    expect(sdl).toContain('reviewsForPet');
  });

  it('proposes tier budgets under the tiers clients are really in (no tier claim -> the default tier)', async () => {
    const [none, free] = await Promise.all([tokenFor({ sub: 'tierless', scope: 'pet:read' }), tokenFor({ sub: 'free-one', scope: 'pet:read', tier: 'free' })]);
    for (const token of [none, free, undefined]) await postGraphQL(gateway, { query: '{ __typename }' }, { token });
    const body = (await (await admin(gateway, '/admin/recommendations')).json()) as { tiers: Array<{ tier: string }> };
    const tiers = body.tiers.map((t) => t.tier).sort();
    expect(tiers).toEqual(['anonymous', 'free']);
  });
});

describe('an override set on one instance is enforced by another sharing Redis', () => {
  let a: RunningGateway;
  let b: RunningGateway;
  beforeAll(async () => {
    const store = { kind: 'redis' as const, url: inject('redisUrl'), prefix: `operator-${Date.now()}:` };
    [a, b] = await Promise.all([
      startTestGateway({ admin: { token: adminToken }, store, feedback: { mode: 'off' } }),
      startTestGateway({ admin: { token: adminToken }, store, feedback: { mode: 'off' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('throttles on B what the operator capped on A', async () => {
    const token = await tokenFor({ sub: 'shared-client', scope: 'pet:read', tier: 'free' });
    const query = { query: '{ reviewsForPet(petId: 1, first: 5) { text } }' }; // estimate 5
    expect((await postGraphQL(b, query, { token })).status).toBe(200);
    const set = await admin(a, '/admin/clients/shared-client/override', { method: 'PUT', body: JSON.stringify({ capacity: 3, ttlSeconds: 600, reason: 'test' }) });
    expect(set.status).toBe(200);
    const refused = await postGraphQL(b, query, { token });
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['THROTTLED']);
    const audit = (await (await admin(b, '/admin/audit?client=shared-client')).json()) as { events: Array<{ actor: string; rule: string }> };
    expect(audit.events[0]).toMatchObject({ actor: 'token', rule: 'override' });
  });
});
