import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopgateConfig } from '../../src/config';
import type { RunningGateway } from '../../src/server';
import { errorCodes, postGraphQL, startTestGateway, tokenFor, type GraphQLResponse } from '../support/gateway';

/**
 * Operation limits and cost through the real gateway (issue 5): each limit at, below and above
 * its bound with its own code and status and no upstream call; measure mode; hidden limit
 * values; variables that change the cost of one cached document; estimated and actual cost
 * against hand-computed values; hostile documents.
 */

const small = { maxDepth: 3, maxAliases: 2, maxRootFields: 2, maxDirectives: 2, maxTokens: 50, maxDocumentBytes: 300, maxBatch: 2, maxCost: 50 };
// Budgets and feedback out of the way: this file is about limits and cost.
const quiet: LoopgateConfig = {
  budgets: { tiers: { anonymous: { capacity: 1_000_000, restoreRatePerSecond: 1_000_000 } } },
  feedback: { mode: 'off' },
};

function upstreamCount(gw: RunningGateway): number {
  return Object.values(gw.sources.embedded).reduce((n, b) => n + b.requests.length, 0);
}

async function traced(gw: RunningGateway, body: unknown, token?: string): Promise<{ res: GraphQLResponse; upstream: number }> {
  const before = upstreamCount(gw);
  const res = await postGraphQL(gw, body, { token });
  return { res, upstream: upstreamCount(gw) - before };
}

/** A document of exactly `bytes` UTF-8 bytes: a tiny query padded with a comment (comments are not tokens). */
function documentOfBytes(bytes: number): string {
  const base = '{ review(id: "r1") { id } } #';
  return base + 'x'.repeat(bytes - base.length);
}

/** `{ review(id: "r1") { id id ... } }`: 10 tokens around the fields, one token per field. */
function documentOfTokens(tokens: number): string {
  return `{ review(id: "r1") { ${'id '.repeat(tokens - 10)}} }`;
}

const one = { query: '{ review(id: "r1") { id } }' };

interface LimitCase {
  limit: string;
  code: string;
  status: number;
  /** At the bound, below it, above it. */
  at: unknown;
  below: unknown;
  above: unknown;
}

// Depth is counted as graphql-depth-limit counts: root fields are depth 0.
const cases: LimitCase[] = [
  {
    limit: 'maxDepth 3',
    code: 'MAX_DEPTH_LIMIT',
    status: 400,
    below: { query: '{ reviewsForPet(petId: 1, first: 1) { author { name } } }' },
    at: { query: '{ reviewsForPet(petId: 1, first: 1) { author { reviews { text } } } }' },
    above: { query: '{ reviewsForPet(petId: 1, first: 1) { author { reviews { author { name } } } } }' },
  },
  {
    limit: 'maxAliases 2',
    code: 'MAX_ALIASES_LIMIT',
    status: 400,
    below: { query: '{ reviewsForPet(petId: 1, first: 1) { a: text } }' },
    at: { query: '{ reviewsForPet(petId: 1, first: 1) { a: text b: text } }' },
    above: { query: '{ reviewsForPet(petId: 1, first: 1) { a: text b: text c: text } }' },
  },
  {
    limit: 'maxRootFields 2',
    code: 'MAX_ROOT_FIELDS_LIMIT',
    status: 400,
    below: { query: '{ review(id: "r1") { id } }' },
    at: { query: '{ review(id: "r1") { id } reviewsForPet(petId: 1, first: 1) { text } }' },
    above: { query: '{ review(id: "r1") { id } reviewsForPet(petId: 1, first: 1) { text } search(text: "x", first: 1) { __typename } }' },
  },
  {
    limit: 'maxDirectives 2',
    code: 'MAX_DIRECTIVES_LIMIT',
    status: 400,
    below: { query: '{ review(id: "r1") { id @include(if: true) } }' },
    at: { query: '{ review(id: "r1") { id @include(if: true) text @skip(if: false) } }' },
    above: { query: '{ review(id: "r1") { id @include(if: true) text @skip(if: false) rating @include(if: true) } }' },
  },
  {
    limit: 'maxTokens 50',
    code: 'MAX_TOKENS_LIMIT',
    status: 400,
    below: { query: documentOfTokens(49) },
    at: { query: documentOfTokens(50) },
    above: { query: documentOfTokens(51) },
  },
  {
    limit: 'maxDocumentBytes 300',
    code: 'REQUEST_TOO_LARGE',
    status: 413,
    below: { query: documentOfBytes(299) },
    at: { query: documentOfBytes(300) },
    above: { query: documentOfBytes(301) },
  },
  {
    limit: 'maxBatch 2',
    code: 'MAX_BATCH_LIMIT',
    status: 400,
    below: [one],
    at: [one, one],
    above: [one, one, one],
  },
  {
    // reviewsForPet(first: n) { text }: n reviews x object weight 1 = n.
    limit: 'maxCost 50 (reviewsForPet first: n costs n)',
    code: 'COST_ESTIMATED_TOO_EXPENSIVE',
    status: 400,
    below: { query: '{ reviewsForPet(petId: 1, first: 49) { text } }' },
    at: { query: '{ reviewsForPet(petId: 1, first: 50) { text } }' },
    above: { query: '{ reviewsForPet(petId: 1, first: 51) { text } }' },
  },
];

function expectServed(res: GraphQLResponse): void {
  expect(res.status).toBe(200);
  const results = (Array.isArray(res.body) ? res.body : [res.body]) as GraphQLResponse['body'][];
  for (const r of results) {
    expect(r.errors).toBeUndefined();
    expect(r.data).toBeTruthy();
  }
}

let gw: RunningGateway;
let exposed: RunningGateway;
let measured: RunningGateway;
let costs: RunningGateway;
let roomy: RunningGateway;
beforeAll(async () => {
  [gw, exposed, measured, costs, roomy] = await Promise.all([
    startTestGateway({ ...quiet, limits: small }),
    startTestGateway({ ...quiet, limits: { ...small, exposeLimits: true }, responses: { costExtension: true } }),
    startTestGateway({ ...quiet, limits: { ...small, mode: 'measure' } }),
    // Default limits; the top-level exposeLimits is the default of limits.exposeLimits.
    startTestGateway({ ...quiet, exposeLimits: true, responses: { costExtension: true } }),
    // Size and token caps opened wide so that the analyses themselves meet the hostile shapes.
    startTestGateway({ ...quiet, limits: { maxDocumentBytes: 900_000, maxTokens: 200_000 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([gw?.close(), exposed?.close(), measured?.close(), costs?.close(), roomy?.close()]);
});

describe('operation limits (enforce)', () => {

  for (const c of cases) {
    it(`${c.limit}: below and at the bound served; above -> ${c.status} ${c.code}, no upstream call, values hidden`, async () => {
      expectServed((await traced(gw, c.below)).res);
      expectServed((await traced(gw, c.at)).res);
      const { res, upstream } = await traced(gw, c.above);
      expect(res.status).toBe(c.status);
      expect(errorCodes(res)).toEqual([c.code]);
      expect(res.body.data ?? null).toBeNull();
      expect(upstream).toBe(0);
      // Clients learn the code only: no limit or measured value anywhere in the error.
      expect(Object.keys(res.body.errors![0]!.extensions!).filter((k) => k !== 'http')).toEqual(['code']);
      expect(res.body.extensions?.cost).toBeUndefined();
    });

    it(`${c.limit}: exposeLimits puts the limit and the measured value in the error`, async () => {
      const { res, upstream } = await traced(exposed, c.above);
      expect(res.status).toBe(c.status);
      expect(errorCodes(res)).toEqual([c.code]);
      expect(upstream).toBe(0);
      const ext = res.body.errors![0]!.extensions as { limit?: number; actual?: number };
      const bound = Number(/(\d+)/.exec(c.limit)![1]);
      expect(ext.limit).toBe(bound);
      expect(ext.actual).toBeGreaterThan(bound);
    });

    it(`${c.limit}: measure mode lets the operation over the bound through`, async () => {
      const { res, upstream } = await traced(measured, c.above);
      expectServed(res);
      expect(upstream).toBeGreaterThan(0);
    });
  }

  it.each([
    ['directives', '{ review(id: "r1") { id @nope @nope @nope } }', 'MAX_DIRECTIVES_LIMIT'],
    ['depth', '{ review(id: "r1") { a { b { c { d { e } } } } } }', 'MAX_DEPTH_LIMIT'],
    ['aliases', '{ review(id: "r1") { a: nope b: nope c: nope } }', 'MAX_ALIASES_LIMIT'],
  ])('%s over the limit in a document that would also fail validation: the limit answers, not validation', async (_, query, code) => {
    const { res, upstream } = await traced(gw, { query });
    expect([res.status, errorCodes(res)]).toEqual([400, [code]]);
    expect(upstream).toBe(0);
  });

  it('a variable named $__proto__ (which execution would lose, pricing the list at 0) is refused before any call', async () => {
    const { res, upstream } = await traced(gw, {
      query: 'query($__proto__: Int) { reviewsForPet(petId: 1, first: $__proto__) { text } }',
      variables: JSON.parse('{"__proto__": 0}'),
    });
    expect([res.status, errorCodes(res)]).toEqual([400, ['BAD_REQUEST']]);
    expect(upstream).toBe(0);
  });

  it('one cached document, cost driven by a variable: n=1 served, n=1000 refused over maxCost, n=1 served again', async () => {
    const query = 'query($n: Int) { reviewsForPet(petId: 1, first: $n) { text } }';
    const first = await traced(gw, { query, variables: { n: 1 } });
    expect(first.res.body).toEqual({ data: { reviewsForPet: [{ text: 'Rex is a good boy' }] } });
    const big = await traced(gw, { query, variables: { n: 1000 } });
    expect(big.res.status).toBe(400);
    expect(errorCodes(big.res)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(big.upstream).toBe(0);
    const again = await traced(gw, { query, variables: { n: 1 } });
    expect(again.res.body).toEqual({ data: { reviewsForPet: [{ text: 'Rex is a good boy' }] } });
    // An omitted variable falls back to the schema default (first: Int = 10): cost 10, served.
    const omitted = await traced(gw, { query });
    expectServed(omitted.res);
  });

  it('top-level exposeLimits: true is the default for limits.exposeLimits (default maxDepth 10)', async () => {
    const deep = `{ review(id: "r1") { ${'author { reviews { '.repeat(6)}id ${'} } '.repeat(6)}} }`;
    const { res, upstream } = await traced(costs, { query: deep });
    expect(res.status).toBe(400);
    // review is depth 0, twelve nested author/reviews levels, id at depth 13.
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'MAX_DEPTH_LIMIT', limit: 10, actual: 13 });
    expect(upstream).toBe(0);
  });
});

describe('estimated and actual cost in extensions.cost', () => {
  let petReader: string;
  beforeAll(async () => {
    petReader = await tokenFor({ sub: 'cost-reader', scope: 'pet:read review:write' });
  });

  async function costOf(query: string, token?: string) {
    const res = await postGraphQL(costs, { query }, { token });
    expect(res.body.errors).toBeUndefined();
    return res.body.extensions?.cost as { requestedQueryCost: number; actualQueryCost: number };
  }

  it('reviewsForPet(first: 5) { text author { name } }: estimate 5 x (Review 1 + Owner 1) = 10; actual 2 reviews x 2 = 4', async () => {
    expect(await costOf('{ reviewsForPet(petId: 1, first: 5) { text author { name } } }')).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 4 });
  });

  it('reviewsForPet without first: the schema default first = 10 sizes it: estimate 10 x 1 = 10; actual 2', async () => {
    expect(await costOf('{ reviewsForPet(petId: 1) { text } }')).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 2 });
  });

  it('REST findPetsByStatus (assumedSize 50) { name category { name } }: estimate 50 x (Pet 1 + Category 1) = 100; actual 3 available pets x 2 = 6', async () => {
    expect(await costOf('{ findPetsByStatus(status: [available]) { name category { name } } }', petReader)).toMatchObject({
      requestedQueryCost: 100,
      actualQueryCost: 6,
    });
  });

  it('getPetById { name } + search(first: 3) over a union: estimate 1 + 3 x max(Owner 1, Review 1 + author 1) = 7; actual 1 + (2 + 2 + 1) = 6', async () => {
    const query = '{ getPetById(petId: 1) { name } search(text: "o", first: 3) { ... on Owner { name } ... on Review { text author { name } } } }';
    expect(await costOf(query, petReader)).toMatchObject({ requestedQueryCost: 7, actualQueryCost: 6 });
  });

  it('mutation addReview { id }: mutation weight 10 + Review 1 = 11, estimate and actual', async () => {
    expect(await costOf('mutation { addReview(petId: 3, rating: 4, text: "cost test") { id } }', petReader)).toMatchObject({
      requestedQueryCost: 11,
      actualQueryCost: 11,
    });
  });

  it('a refused operation over maxCost reports its estimate (costExtension on) and, with exposeLimits, the maximum', async () => {
    const { res, upstream } = await traced(exposed, { query: '{ reviewsForPet(petId: 1, first: 60) { text } }' });
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(res.body.extensions?.cost).toEqual({ requestedQueryCost: 60, maximumQueryCost: 50 });
    expect(upstream).toBe(0);
  });
});

describe('hostile documents get a clean 4xx', () => {
  const known = new Set(['MAX_DEPTH_LIMIT', 'MAX_ALIASES_LIMIT', 'MAX_TOKENS_LIMIT', 'REQUEST_TOO_LARGE', 'GRAPHQL_VALIDATION_FAILED', 'COST_ESTIMATED_TOO_EXPENSIVE', 'BAD_REQUEST']);

  const nested = (levels: number) => {
    let open = '';
    let close = '';
    for (let i = 0; i < levels; i++) {
      open += i % 2 === 0 ? 'author { ' : 'reviews { ';
      close += '} ';
    }
    return `{ review(id: "r1") { ${open}name ${close}} }`;
  };
  const aliases = (n: number) => `{ review(id: "r1") { ${Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ')} } }`;
  const cycle = '{ review(id: "r1") { ...A } } fragment A on Review { author { ...B } } fragment B on Owner { reviews { ...A } }';
  // 2^40 fields once expanded: each fragment spreads the next one twice.
  const fanOut = (levels: number) => {
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Owner { name }` : `fragment F${i} on Owner { ...F${i + 1} reviews { author { ...F${i + 1} } } }`,
    );
    return `{ owner(id: "o1") { ...F0 } } ${fragments.join(' ')}`;
  };

  const hostile: Array<[string, string]> = [
    ['10,000 nested selections', nested(10_000)],
    ['2,000 aliases', aliases(2_000)],
    ['a fragment cycle', cycle],
    ['exponential fragment fan-out (40 levels)', fanOut(40)],
  ];

  for (const [name, query] of hostile) {
    for (const which of ['roomy', 'tight'] as const) {
      it(`${name} (${which} limits): 4xx with a known code, no upstream call, the gateway still serves`, { timeout: 20_000 }, async () => {
        const target = which === 'roomy' ? roomy : gw;
        const token = await tokenFor({ sub: 'hostile' });
        const { res, upstream } = await traced(target, { query }, token);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.data ?? null).toBeNull();
        const codes = errorCodes(res);
        expect(codes.length).toBeGreaterThan(0);
        for (const code of codes) expect(known).toContain(code);
        expect(upstream).toBe(0);
        expectServed((await traced(target, one)).res);
      });
    }
  }
});
