import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/server';
import { freePort } from '../support/free-port';
import { postGraphQL, startTestGateway, type GraphQLResponse } from '../support/gateway';
import { broadToken, coreConfig } from './helpers';

// One source points at a faulty upstream, the other stays embedded. The affected paths must
// fail with UPSTREAM_UNAVAILABLE, the healthy source must still answer, nothing about the
// upstream (address, body, headers) may reach the client, and no request may hang: the
// upstream timeout is 500 ms and the slow upstream answers after 2 s.

type Fault = 'down' | 'slow' | 'status500' | 'html';

/** Text the fault server puts in its bodies and headers; it must never reach a client. */
const secretBody = 'fault-body-d41d8cd9';
const secretHeader = 'fault-header-8f00b204';

interface FaultServer {
  port: number;
  mode: Fault;
  hits: number;
  /** Slow calls whose connection the gateway closed before the answer was due (cancelled). */
  cancelled: number;
  close(): Promise<void>;
}

async function startFaultServer(): Promise<FaultServer> {
  const timers = new Set<NodeJS.Timeout>();
  const state = { mode: 'status500' as Fault, hits: 0, cancelled: 0 };
  const server = http.createServer((req, res) => {
    state.hits += 1;
    req.resume();
    if (state.mode === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { note: secretBody } }));
      }, 2_000);
      timers.add(timer);
      res.once('close', () => {
        if (res.writableFinished) return;
        clearTimeout(timer);
        timers.delete(timer);
        state.cancelled += 1;
      });
      return;
    }
    if (state.mode === 'html') {
      res.writeHead(200, { 'content-type': 'text/html', 'x-upstream-secret': secretHeader });
      res.end(`<html><body>${secretBody}</body></html>`);
      return;
    }
    res.writeHead(500, { 'content-type': 'text/plain', 'x-upstream-secret': secretHeader });
    res.end(`${secretBody} at /srv/app/server.js:42`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

let faults: FaultServer;
let closedPort: number;
let token: string;

beforeAll(async () => {
  faults = await startFaultServer();
  // A port that was free a moment ago and that nobody listens on: connections are refused.
  closedPort = await freePort();
  token = await broadToken();
});
afterAll(() => faults?.close());

function baseUrl(fault: Fault): string {
  return `http://127.0.0.1:${fault === 'down' ? closedPort : faults.port}`;
}

/** Nothing about the upstream may leak: address, body, headers, stack traces. */
function expectNoLeak(response: GraphQLResponse): void {
  const text = JSON.stringify(response.body);
  for (const forbidden of ['127.0.0.1', String(faults.port), String(closedPort), secretBody, secretHeader, 'server.js', 'originalError', 'stack']) {
    expect(text).not.toContain(forbidden);
  }
}

function codesByPath(response: GraphQLResponse): Array<[unknown, string]> {
  return (response.body.errors ?? []).map((e) => [e.extensions?.code, (e.path ?? []).join('.')]);
}

const allFaults: Fault[] = ['down', 'slow', 'status500', 'html'];

/** Resolves once the fault server has seen more than `before` cancelled calls. */
async function cancelledAfter(before: number): Promise<number> {
  for (let i = 0; i < 100 && faults.cancelled <= before; i++) await new Promise((r) => setTimeout(r, 20));
  return faults.cancelled;
}

describe.each(['reviews', 'petstore'] as const)('a timed-out call to %s', (source) => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    faults.mode = 'slow';
    const url = source === 'reviews' ? `${baseUrl('slow')}/graphql` : `${baseUrl('slow')}/v2`;
    gateway = await startTestGateway({ ...coreConfig, upstream: { timeoutMs: 300 }, sources: { [source]: { url } } });
  });
  afterAll(() => gateway?.close());

  it('is cancelled at the upstream, not left running after the client got its answer', async () => {
    faults.mode = 'slow';
    const before = faults.cancelled;
    const query = source === 'reviews' ? '{ review(id: "r1") { text } }' : '{ getPetById(petId: 1) { name } }';
    const r = await postGraphQL(gateway, { query }, { token });
    expect(codesByPath(r)[0]?.[0]).toBe('UPSTREAM_UNAVAILABLE');
    // The upstream would answer after 2 s; the gateway must have closed the call well before.
    expect(await cancelledAfter(before)).toBeGreaterThan(before);
  });
});

describe.each(allFaults)('reviews upstream %s', (fault) => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    faults.mode = fault;
    gateway = await startTestGateway({ ...coreConfig, upstream: { timeoutMs: 500 }, sources: { reviews: { url: `${baseUrl(fault)}/graphql` } } });
  });
  afterAll(() => gateway?.close());

  it.each(['application/graphql-response+json, application/json', 'application/json', '*/*'])('partial: the REST field keeps its data, the reviews field is null with UPSTREAM_UNAVAILABLE, HTTP 200 (Accept %s)', async (accept) => {
    const hits = faults.hits;
    const r = await postGraphQL(gateway, { query: '{ getPetById(petId: 1) { name } review(id: "r1") { text } }' }, { token, headers: { accept } });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ getPetById: { name: 'Rex' }, review: null });
    expect(codesByPath(r)).toEqual([['UPSTREAM_UNAVAILABLE', 'review']]);
    expectNoLeak(r);
    if (fault !== 'down') expect(faults.hits).toBeGreaterThan(hits);
  });

  it('nothing left (non-null root field): data null, HTTP 502 or 504', async () => {
    const r = await postGraphQL(gateway, { query: '{ reviewsForPet(petId: 1) { text } }' }, { token });
    expect([502, 504]).toContain(r.status);
    expect(r.body.data ?? null).toBeNull();
    expect(codesByPath(r)).toEqual([['UPSTREAM_UNAVAILABLE', 'reviewsForPet']]);
    expectNoLeak(r);
  });

  it('REST -> GraphQL link: the link fails with UPSTREAM_UNAVAILABLE on its path', async () => {
    const r = await postGraphQL(gateway, { query: '{ getPetById(petId: 1) { name reviews { text } } other: getPetById(petId: 2) { name } }' }, { token });
    // Pet.reviews is non-null, so the failure nulls the pet that holds it; the other pet survives.
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ getPetById: null, other: { name: 'Tom' } });
    expect(codesByPath(r)).toEqual([['UPSTREAM_UNAVAILABLE', 'getPetById.reviews']]);
    expectNoLeak(r);
  });

  it('a mutation on the faulty source fails the same way', async () => {
    const r = await postGraphQL(gateway, { query: 'mutation { addReview(petId: 1, rating: 5, text: "x") { id } }' }, { token });
    expect([502, 504]).toContain(r.status);
    expect(codesByPath(r)).toEqual([['UPSTREAM_UNAVAILABLE', 'addReview']]);
    expectNoLeak(r);
  });
});

describe.each(allFaults)('petstore upstream %s', (fault) => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    faults.mode = fault;
    gateway = await startTestGateway({ ...coreConfig, upstream: { timeoutMs: 500 }, sources: { petstore: { url: `${baseUrl(fault)}/v2` } } });
  });
  afterAll(() => gateway?.close());

  it('partial: the reviews field keeps its data, the REST field is null with UPSTREAM_UNAVAILABLE, HTTP 200', async () => {
    const hits = faults.hits;
    const r = await postGraphQL(gateway, { query: '{ getPetById(petId: 1) { name } review(id: "r1") { text } }' }, { token });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ getPetById: null, review: { text: 'Rex is a good boy' } });
    expect(codesByPath(r)).toEqual([['UPSTREAM_UNAVAILABLE', 'getPetById']]);
    expectNoLeak(r);
    if (fault !== 'down') expect(faults.hits).toBeGreaterThan(hits);
  });

  it('GraphQL -> REST link: each review keeps its text, each pet is null with UPSTREAM_UNAVAILABLE', async () => {
    const r = await postGraphQL(gateway, { query: '{ reviewsForPet(petId: 1) { text pet { name } } }' }, { token });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      reviewsForPet: [
        { text: 'Rex is a good boy', pet: null },
        { text: 'Barks a bit', pet: null },
      ],
    });
    expect(codesByPath(r)).toEqual([
      ['UPSTREAM_UNAVAILABLE', 'reviewsForPet.0.pet'],
      ['UPSTREAM_UNAVAILABLE', 'reviewsForPet.1.pet'],
    ]);
    expectNoLeak(r);
  });

  it('only REST fields: each is null with UPSTREAM_UNAVAILABLE', async () => {
    const r = await postGraphQL(gateway, { query: '{ getPetById(petId: 1) { name } getInventory }' }, { token });
    expect(r.body.data ?? { getPetById: null, getInventory: null }).toEqual({ getPetById: null, getInventory: null });
    expect(codesByPath(r).sort()).toEqual([
      ['UPSTREAM_UNAVAILABLE', 'getInventory'],
      ['UPSTREAM_UNAVAILABLE', 'getPetById'],
    ]);
    expectNoLeak(r);
  });

  it('a REST mutation fails the same way', async () => {
    const r = await postGraphQL(gateway, { query: 'mutation { addPet(input: { id: 50, name: "Nemo", photoUrls: [] }) }' }, { token });
    expect(codesByPath(r)).toEqual([['UPSTREAM_UNAVAILABLE', 'addPet']]);
    expectNoLeak(r);
  });
});
