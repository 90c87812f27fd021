import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningGateway } from '../../src/server';
import { startTestGateway } from '../support/gateway';
import { backendLog, broadToken, coreConfig } from './helpers';

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

function post(body: string, contentType = 'application/json', accept?: string): Promise<Answer> {
  return send('/graphql', { method: 'POST', headers: { 'content-type': contentType, ...(accept ? { accept } : {}) }, body });
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

/** Every Accept a client commonly sends: Yoga picks the status rules by it. */
const accepts = ['application/json', 'application/graphql-response+json', '*/*'];

describe.each(accepts)('invalid variable values (Accept %s): 400 BAD_USER_INPUT, not INTERNAL', (accept) => {
  const reviews = 'query($n: Int) { reviewsForPet(petId: 1, first: $n) { text } }';
  const review = 'query($i: ID!) { review(id: $i) { text } }';
  const include = 'query($b: Boolean!) { __typename @include(if: $b) }';
  it.each([
    ['Int given 1.5', reviews, { n: 1.5 }],
    ['Int given "abc"', reviews, { n: 'abc' }],
    ['ID! given an object', review, { i: { x: 1 } }],
    ['ID! given a list', review, { i: [1] }],
    ['ID! not given', review, {}],
    ['Boolean! given "yes"', include, { b: 'yes' }],
  ])('%s', async (_, query, variables) => {
    const before = backendLog(gateway, 'reviews').length;
    const answer = await send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query, variables }) });
    expectRefusal(answer, 400, 'BAD_USER_INPUT');
    expect(backendLog(gateway, 'reviews').length).toBe(before);
  });

  it('anonymous clients get the same', async () => {
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query: include, variables: { b: 'yes' } }),
    });
    expect({ status: response.status, code: ((await response.json()) as Answer['body']).errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
  });
});

describe.each(accepts)('request-level errors without a loopgate code (Accept %s): 400 BAD_REQUEST', (accept) => {
  it.each([
    ['an operation name that matches nothing', { query: '{ __typename }', operationName: 'Nope' }],
    ['two operations and no name', { query: 'query A { __typename } query B { __typename }' }],
    ['variables that are not an object', { query: '{ __typename }', variables: 'x' }],
  ])('%s', async (_, body) => {
    expectRefusal(await send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) }), 400, 'BAD_REQUEST');
  });
});

describe('an Accept header /graphql cannot answer: 406 NOT_ACCEPTABLE as JSON, before anything runs', () => {
  it.each(['application/xml', 'text/plain', 'application/json; charset=iso-8859-1'])('%s', async (accept) => {
    const before = backendLog(gateway, 'petstore').length;
    const answer = await post(JSON.stringify({ query: 'mutation { deleteUser(username: "alice") }' }), 'application/json', accept);
    expectRefusal(answer, 406, 'NOT_ACCEPTABLE');
    expect(backendLog(gateway, 'petstore').length).toBe(before);
  });

  it('OPTIONS too, when CORS is off (there is no preflight to answer)', async () => {
    expectRefusal(await send('/graphql', { method: 'OPTIONS', headers: { accept: 'text/html' } }), 406, 'NOT_ACCEPTABLE');
  });

  it('wildcards and a list with one acceptable type are served', async () => {
    for (const accept of ['*/*', 'application/*', 'application/xml, application/json;q=0.5']) {
      const answer = await post(JSON.stringify({ query: '{ __typename }' }), 'application/json', accept);
      expect({ accept, status: answer.status, data: answer.body.data }).toEqual({ accept, status: 200, data: { __typename: 'Query' } });
    }
  });
});

/** Sends raw bytes (what fetch refuses to send) and reads the answer up to the close. */
function raw(text: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(gateway.port, '127.0.0.1', () => socket.end(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      resolve({ status, contentType: /^content-type: *(.*)$/im.exec(head)?.[1] ?? '', body });
    });
  });
}

describe("requests Node's HTTP parser refuses: a JSON body with a code, not a bare status line", () => {
  it.each([
    ['both Content-Length and Transfer-Encoding', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a negative Content-Length', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 400, 'BAD_REQUEST'],
    ['an unknown method', 'FOO /graphql HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['not HTTP at all', 'hello\r\n\r\n', 400, 'BAD_REQUEST'],
    ['headers over 16 KB', `GET /graphql HTTP/1.1\r\nHost: x\r\nx-pad: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'REQUEST_TOO_LARGE'],
  ])('%s: %i %s', async (_, request, status, code) => {
    const answer = await raw(request);
    const body = JSON.parse(answer.body) as Answer['body'];
    expect({ status: answer.status, code: body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
    expect(answer.contentType).toMatch(/json/);
    expect(answer.body).not.toContain('HPE_');
  });

  it('the gateway still serves afterwards', async () => {
    expect((await post(JSON.stringify({ query: '{ __typename }' }))).body.data).toEqual({ __typename: 'Query' });
  });
});

describe('two Authorization headers', () => {
  it('are refused as INVALID_TOKEN (Node would silently keep the first), even two valid ones', async () => {
    const body = '{"query":"{ __typename }"}';
    const answer = await raw(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nauthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    // The body may come chunked: take the JSON object out of the chunk framing.
    const json = JSON.parse(/\{.*\}/s.exec(answer.body)![0]) as Answer['body'];
    expect({ status: answer.status, code: json.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'INVALID_TOKEN' });
  });
});

describe('a client that stops sending mid-body', () => {
  const outcomes = async () => {
    const text = await gateway.services.metrics.registry.getSingleMetricAsString('loopgate_requests_total');
    return Object.fromEntries([...text.matchAll(/outcome="([^"]+)"\} (\d+)/g)].map((m) => [m[1], Number(m[2])]));
  };

  it('is its own fault: BAD_REQUEST in the metrics, never INTERNAL', async () => {
    const before = await outcomes();
    await new Promise<void>((resolve) => {
      const socket = net.connect(gateway.port, '127.0.0.1', () => {
        socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query"');
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
    await vi.waitFor(async () => expect((await outcomes()).BAD_REQUEST ?? 0).toBeGreaterThan(before.BAD_REQUEST ?? 0), { timeout: 5_000 });
    expect((await outcomes()).INTERNAL ?? 0).toBe(before.INTERNAL ?? 0);
  });
});

describe('CORS is off by default', () => {
  it('a foreign origin gets no CORS headers, preflight or POST', async () => {
    const origin = 'https://evil.example';
    const preflight = await fetch(gateway.graphqlUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    await preflight.arrayBuffer();
    const answer = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', cookie: 'session=x' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await answer.arrayBuffer();
    for (const response of [preflight, answer]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('health', () => {
  it('/healthcheck and /readiness answer 200, with or without a query string', async () => {
    for (const path of ['/healthcheck', '/readiness', '/healthcheck?probe=1', '/readiness?x']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      await response.arrayBuffer();
    }
  });
});
