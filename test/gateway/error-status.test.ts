import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusByCode, type GatewayErrorCode } from '../../src/errors';
import type { RunningGateway } from '../../src/server';
import { startTestGateway, tokenFor } from '../support/gateway';
import { coreConfig } from './helpers';

// A request that never executed answers with the status of its code (src/errors.ts), whatever
// the client accepts: Yoga answers 200 to `Accept: application/json` for the errors it raises
// in parsing and validation unless told otherwise. A response with data stays 200.

// Tokens are capped above the deep list below, so that the list reaches the parser's depth guard.
const maxTokens = 30_000;
let gateway: RunningGateway;
let token: string;

beforeAll(async () => {
  gateway = await startTestGateway({ ...coreConfig, limits: { maxTokens } });
  token = await tokenFor({ scope: 'pet:read' });
});
afterAll(() => gateway?.close());

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> };
}

async function call(accept: string, request: { body?: unknown; query?: string }): Promise<Answer> {
  const url = request.query === undefined ? gateway.graphqlUrl : `${gateway.graphqlUrl}?${request.query}`;
  const response = await fetch(url, {
    method: request.body === undefined ? 'GET' : 'POST',
    headers: { accept, authorization: `Bearer ${token}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const deepList = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

const refusals: Array<[string, GatewayErrorCode, { body?: unknown; query?: string }]> = [
  ['an empty JSON object', 'BAD_REQUEST', { body: {} }],
  ['GET without a query', 'BAD_REQUEST', { query: '' }],
  ['a persisted-query hash only', 'BAD_REQUEST', { body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } } }],
  ['a syntax error', 'BAD_REQUEST', { body: { query: '{ getPetById(petId: ' } }],
  ['a fragment cycle', 'GRAPHQL_VALIDATION_FAILED', { body: { query: 'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }' } }],
  ['an unknown field', 'GRAPHQL_VALIDATION_FAILED', { body: { query: '{ getPetById(petId: 1) { nickname } }' } }],
  ['more tokens than maxTokens', 'MAX_TOKENS_LIMIT', { body: { query: `{ ${'a '.repeat(maxTokens + 1)}}` } }],
  ['a document over maxDocumentBytes (default 100000)', 'REQUEST_TOO_LARGE', { body: { query: `{ __typename }${' '.repeat(150_000)}` } }],
  ['a list literal nested too deep for the parser', 'MAX_DEPTH_LIMIT', { body: { query: `{ reviewsForPet(petId: 1, first: ${deepList(12_000)}) { text } }` } }],
  ['selections nested too deep', 'MAX_DEPTH_LIMIT', { body: { query: `{ getPetById(petId: 1) { ${'reviews { author { '.repeat(6)}name${' } }'.repeat(6)} } }` } }],
  ['a bad variable value', 'BAD_USER_INPUT', { body: { query: 'query($n: Int) { reviewsForPet(petId: 1, first: $n) { text } }', variables: { n: 1.5 } } }],
];

describe.each(['application/json', 'application/graphql-response+json', '*/*'])('Accept %s', (accept) => {
  it.each(refusals)('%s: the status of %s', async (_, code, request) => {
    const answer = await call(accept, request);
    expect({ status: answer.status, codes: answer.body.errors?.map((e) => e.extensions?.code) }).toEqual({ status: httpStatusByCode[code], codes: [code] });
    expect(answer.body.data ?? null).toBeNull();
  });

  it('partial data (a field pruned for a missing scope) stays 200', async () => {
    const answer = await call(accept, { body: { query: '{ getPetById(petId: 1) { name reviews { author { name email } } } }' } });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ getPetById: { name: 'Rex' } });
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });
});
