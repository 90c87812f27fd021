import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusByCode } from '../../src/errors';
import type { RunningGateway } from '../../src/server';
import { postGraphQL, startTestGateway, tokenFor } from '../support/gateway';
import { createRandom, fuzzRequest, type FuzzRequest } from './support/fuzz-inputs';

/**
 * A seeded fuzz run against one gateway on loopback: mutated documents, JSON bodies, headers
 * and tokens. Every answer must be JSON carrying a documented code (or data), no 5xx except
 * the documented upstream/store ones, no hang, and the gateway must still answer at the end.
 * A failing input is printed with its index: rerun with the same seed to replay it.
 */

const seed = 20_260_806;
const count = 1_500;
const concurrency = Number(process.env.FUZZ_CONCURRENCY ?? 8);
const knownCodes = new Set(Object.keys(httpStatusByCode));
/** The only 5xx a client may see, each with the code that explains it. */
const documented5xx: Record<number, string[]> = { 502: ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_ERROR'], 503: ['STORE_UNAVAILABLE'], 504: ['UPSTREAM_UNAVAILABLE'] };

interface Failure {
  index: number;
  kind: string;
  request: string;
  problem: string;
  status?: number;
  response?: string;
}

/** What is wrong with one GraphQL result (an object, or one element of a batch's array). */
function judgeResult(status: number, body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'result is not a JSON object';
  const { data, errors: rawErrors } = body as { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> };
  const errors = Array.isArray(rawErrors) ? rawErrors : [];
  const codes = errors.map((e) => e?.extensions?.code);
  const unknown = codes.filter((c) => typeof c !== 'string' || !knownCodes.has(c));
  if (unknown.length) return `error without a documented code: ${JSON.stringify(unknown)}`;
  if (codes.includes('INTERNAL')) return 'INTERNAL error';
  if (status >= 500) {
    const allowed = documented5xx[status];
    if (!allowed || codes.length === 0 || !codes.every((c) => allowed.includes(c as string))) return `undocumented ${status}`;
  }
  if (errors.length === 0 && data === undefined) return 'neither data nor errors';
  if (status !== 200 && errors.length === 0) return `status ${status} without errors`;
  return undefined;
}

/**
 * Judges one answer: `failure` breaks the contract; `note` is a protocol answer chosen by the
 * client's own Accept header (GraphiQL, GraphQL over SSE), counted and printed. Everything
 * else, 406 and OPTIONS included, must be JSON with documented codes (CORS is off by default).
 */
export function judge(request: FuzzRequest, status: number, contentType: string, text: string): { failure?: string; note?: string } {
  const accept = request.headers.accept ?? '';
  if (contentType.startsWith('text/html') && request.method === 'GET' && accept.includes('text/html')) return { note: 'GraphiQL page (not production)' };
  let results: unknown[];
  if (contentType.startsWith('text/event-stream')) {
    // GraphQL over SSE, chosen by Accept: each "data:" line is one result.
    results = [];
    for (const line of text.split('\n')) {
      if (!line.startsWith('data:') || line.slice(5).trim() === '') continue;
      try {
        results.push(JSON.parse(line.slice(5)));
      } catch {
        return { failure: 'SSE data line is not JSON' };
      }
    }
    if (results.length === 0) return status >= 500 ? { failure: `undocumented ${status} (SSE, no data)` } : { note: `SSE without data (${status})` };
  } else {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { failure: 'response is not JSON' };
    }
    results = Array.isArray(body) ? body : [body];
    if (results.length === 0) return { failure: 'empty batch answer' };
  }
  for (const result of results) {
    const failure = judgeResult(status, result);
    if (failure) return { failure };
  }
  return {};
}

describe('fuzzing one gateway', () => {
  let gateway: RunningGateway;
  let validToken: string;
  beforeAll(async () => {
    gateway = await startTestGateway({
      // Budgets big enough that throttling does not hide the deeper paths from the fuzzer.
      budgets: { tiers: { anonymous: { capacity: 1_000_000, restoreRatePerSecond: 100_000 } } },
      responses: { costExtension: true, rateLimitHeaders: true },
      exposeLimits: true,
    });
    validToken = await tokenFor({ sub: 'fuzzer', scope: 'pet:read review:write adoption:read owner:contact' });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it(`answers ${count} hostile requests (seed ${seed}) with documented codes, no 5xx, no hang, no crash`, async () => {
    const random = createRandom(seed);
    // Generated up front, in order: the run is the same whatever the scheduling.
    const requests: FuzzRequest[] = Array.from({ length: count }, () => fuzzRequest(random, validToken));
    const failures: Failure[] = [];
    const statuses = new Map<string, number>();
    const notes = new Map<string, number>();
    const startedAt = Date.now();
    let nextIndex = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (nextIndex < requests.length) {
          const index = nextIndex++;
          const request = requests[index]!;
          const summary = `${request.method} ${request.path.slice(0, 120)} headers=${JSON.stringify(request.headers).slice(0, 200)} body=${JSON.stringify(request.body?.slice(0, 200))}`;
          try {
            const response = await fetch(`${gateway.url}${request.path}`, {
              method: request.method,
              headers: request.headers,
              body: request.body,
              signal: AbortSignal.timeout(10_000),
            });
            const text = await response.text();
            const label = `${response.status}`;
            statuses.set(label, (statuses.get(label) ?? 0) + 1);
            const verdict = judge(request, response.status, response.headers.get('content-type') ?? '', text);
            if (verdict.note) notes.set(verdict.note, (notes.get(verdict.note) ?? 0) + 1);
            if (verdict.failure) failures.push({ index, kind: request.kind, request: summary, problem: verdict.failure, status: response.status, response: text.slice(0, 300) });
          } catch (error) {
            const name = (error as Error).name;
            failures.push({ index, kind: request.kind, request: summary, problem: name === 'TimeoutError' ? 'no answer within 10 s' : `connection failed: ${(error as Error).message}` });
          }
        }
      }),
    );
    const elapsedMs = Date.now() - startedAt;
    console.log(`[fuzz] seed ${seed}: ${count} requests in ${elapsedMs} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; failures ${failures.length}`);
    console.log(`[fuzz] notes (not failures): ${JSON.stringify(Object.fromEntries(notes))}`);
    for (const f of failures) console.log(`[fuzz] FAILURE #${f.index} (${f.kind}): ${f.problem}\n  request: ${f.request}\n  status ${f.status ?? '-'}: ${f.response ?? ''}`);

    // Still alive and still correct after all of it.
    const after = await postGraphQL(gateway, { query: '{ getPetById(petId: 1) { name } }' }, { token: validToken });
    expect(after.status).toBe(200);
    expect(after.body.data).toEqual({ getPetById: { name: 'Rex' } });
    expect(failures.map((f) => `#${f.index} ${f.kind}: ${f.problem} (${f.status ?? '-'})`)).toEqual([]);
  }, 60_000);
});
