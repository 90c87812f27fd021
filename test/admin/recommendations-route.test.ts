import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObservationLog, type ObservationLog } from '../../src/admin';
import { createMemoryStore } from '../../src/store';
import { adminToken, call, startAdminServer, type AdminServer } from './support';

describe('GET /admin/recommendations', () => {
  let server: AdminServer;
  let log: ObservationLog;

  beforeAll(async () => {
    log = createObservationLog({ maxSamples: 1000, now: () => 0 });
    for (let i = 0; i < 100; i++) {
      log.recordObservation({ clientId: `c${i % 4}`, tier: 'free', estimatedCost: 20, actualCost: 10 + (i % 10), listSizes: { 'Query.findPetsByStatus': i % 10 } });
    }
    server = await startAdminServer({
      store: createMemoryStore(),
      credentials: { token: adminToken },
      recommendations: { log, options: { margin: 2 }, fieldType: (c) => (c === 'Query.findPetsByStatus' ? '[Pet]' : undefined) },
    });
  });
  afterAll(() => server.close());

  it('answers JSON with the evidence and both text exports; nothing is applied', async () => {
    const r = await call(server.url, 'GET', '/admin/recommendations');
    expect(r.status).toBe(200);
    expect(r.json.margin).toBe(2);
    expect(r.json.listSizes).toEqual([
      { coordinate: 'Query.findPetsByStatus', assumedSize: 18, evidence: { samples: 100, p50: 4, p95: 9, p99: 9, max: 9 }, enoughEvidence: true },
    ]);
    expect(r.json.maxCost.maxCost).toBe(38);
    // Every observation is in one window: each client's sum, the p99 of 4 sums is the largest.
    const sums = [0, 0, 0, 0];
    for (let i = 0; i < 100; i++) sums[i % 4] += 10 + (i % 10);
    expect(r.json.tiers[0]).toMatchObject({ tier: 'free', clients: 4, capacity: 2 * Math.max(...sums) });
    expect(r.json.policySdl).toContain('findPetsByStatus: [Pet] @listSize(assumedSize: 18)');
    expect(r.json.config).toContain('maxCost: 38,');
  });

  it('serves the policy SDL as text', async () => {
    const r = await fetch(`${server.url}/admin/recommendations.graphql`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/graphql/);
    const text = await r.text();
    expect(text).toContain('extend type Query {');
    expect(() => parse(text)).not.toThrow();
    expect((await fetch(`${server.url}/admin/recommendations.graphql`)).status).toBe(401);
  });
});
