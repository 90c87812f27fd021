import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/server';
import { startTestGateway } from '../support/gateway';
import { broadToken, coreConfig } from './helpers';

// Malformed HTTP, JSON and GraphQL: each gets a JSON answer with a code and the right status,
// and no answer ever carries a stack trace or the internal error behind it.

const maxBodyBytes = 4_096;
let gateway: RunningGateway;
let token: string;

beforeAll(async () => {
  gateway = await startTestGateway({ ...coreConfig, server: { maxBodyBytes } });
  token = await broadToken();
});
afterAll(() => gateway?.close());

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: { errors?: Array<{ extensions?: { code?: unknown } }>; data?: unknown };
}

async function send(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(`${gateway.url}${path}`, {
    ...init,
    headers: { accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}`, ...init.headers },
  });
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body };
}

function post(body: string, contentType = 'application/json'): Promise<Answer> {
  return send('/graphql', { method: 'POST', headers: { 'content-type': contentType }, body });
}

/** A JSON error answer with one code, and nothing internal in it. */
function expectRefusal(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(answer.contentType).toMatch(/json/);
  expect(answer.body.data ?? null).toBeNull();
  for (const internal of ['originalError', 'stacktrace', '"stack"', '    at ', 'node_modules', 'SyntaxError']) {
    expect(answer.text).not.toContain(internal);
  }
}

describe('bad requests', () => {
  it('malformed JSON: 400 BAD_REQUEST', async () => {
    expectRefusal(await post('{"query": '), 400, 'BAD_REQUEST');
  });

  it('a JSON body that is not an object: 400 BAD_REQUEST', async () => {
    expectRefusal(await post('"{ __typename }"'), 400, 'BAD_REQUEST');
  });

  it('a missing query: 400 BAD_REQUEST', async () => {
    expectRefusal(await post('{"variables": {}}'), 400, 'BAD_REQUEST');
  });

  it('a query that is not a string: 400 BAD_REQUEST', async () => {
    expectRefusal(await post('{"query": 42}'), 400, 'BAD_REQUEST');
  });

  it('a wrong content type (text/plain): 415 BAD_REQUEST', async () => {
    expectRefusal(await post(JSON.stringify({ query: '{ __typename }' }), 'text/plain'), 415, 'BAD_REQUEST');
  });

  it('GET for a mutation: 405 METHOD_NOT_ALLOWED, and the backend is not called', async () => {
    const before = gateway.sources.embedded.petstore!.requests.length;
    const query = encodeURIComponent('mutation { deleteUser(username: "alice") }');
    const answer = await send(`/graphql?query=${query}`, { method: 'GET' });
    expectRefusal(answer, 405, 'METHOD_NOT_ALLOWED');
    expect(gateway.sources.embedded.petstore!.requests.length).toBe(before);
  });

  it('PUT on /graphql: 405 METHOD_NOT_ALLOWED', async () => {
    expectRefusal(await send('/graphql', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }), 405, 'METHOD_NOT_ALLOWED');
  });

  it('an unknown path: 404 NOT_FOUND as JSON', async () => {
    expectRefusal(await send('/graphq1', { method: 'GET' }), 404, 'NOT_FOUND');
    expectRefusal(await send('/admin/../etc/passwd', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 404, 'NOT_FOUND');
  });

  it('a GraphQL syntax error: 400 BAD_REQUEST', async () => {
    expectRefusal(await post(JSON.stringify({ query: '{ getPetById(petId: ' })), 400, 'BAD_REQUEST');
  });

  it('a validation error: 400 GRAPHQL_VALIDATION_FAILED', async () => {
    expectRefusal(await post(JSON.stringify({ query: '{ getPetById(petId: 1) { nickname } }' })), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('a body over server.maxBodyBytes (with Content-Length): 413 REQUEST_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(maxBodyBytes) } });
    expectRefusal(await post(body), 413, 'REQUEST_TOO_LARGE');
  });

  it('a body over server.maxBodyBytes sent chunked (no Content-Length): 413 REQUEST_TOO_LARGE', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(maxBodyBytes) } }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    // A streamed body goes out with Transfer-Encoding: chunked, so only reading it can tell its size.
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit;
    expectRefusal(await send('/graphql', init as RequestInit & { headers: Record<string, string> }), 413, 'REQUEST_TOO_LARGE');
  });

  it('a body just under the limit is served', async () => {
    const answer = await post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(maxBodyBytes - 100) } }));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ __typename: 'Query' });
  });
});

describe('health', () => {
  it('/healthcheck and /readiness answer 200', async () => {
    for (const path of ['/healthcheck', '/readiness']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      await response.arrayBuffer();
    }
  });
});
