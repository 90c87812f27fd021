/**
 * Seeded generators of hostile requests for the fuzz test. Pure: the same seed gives the same
 * requests, so a failing input can be replayed from its index.
 */

/** mulberry32: a 32-bit PRNG, plenty for choosing mutations. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
export type Random = ReturnType<typeof createRandom>;

export interface FuzzRequest {
  /** What was mutated, for the report. */
  kind: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  /** Path and query string, e.g. '/graphql?query=...'. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Valid operations on the demo supergraph: the starting points of every mutation. */
export const seedDocuments: ReadonlyArray<{ query: string; variables?: Record<string, unknown>; operationName?: string }> = [
  { query: '{ getPetById(petId: 1) { name } }' },
  { query: 'query Pet($id: Int!) { getPetById(petId: $id) { id name status tags { name } category { name } } }', variables: { id: 2 }, operationName: 'Pet' },
  { query: '{ reviewsForPet(petId: 1, first: 5) { id text rating author { name } } }' },
  { query: '{ search(text: "Rex", first: 3) { __typename ... on Review { text } ... on Owner { name } } }' },
  { query: '{ findPetsByStatus(status: [available]) { name } }' },
  { query: 'query A { getPetById(petId: 1) { ...P } } query B { review(id: "r1") { text } } fragment P on Pet { name reviews(first: 2) { text } }', operationName: 'B' },
  { query: '{ node(id: "r1") { id ... on Review { text pet { name } } } }' },
  { query: 'mutation { addReview(petId: 1, rating: 5, text: "fuzz") { id } }' },
  { query: 'query($skip: Boolean!) { getPetById(petId: 1) { name @skip(if: $skip) id } }', variables: { skip: true } },
  { query: '{ __schema { types { name } } }' },
  { query: '{ adoptions(first: 2) { id fee owner { name email } } }' },
  { query: '{ owner(id: "o1") { name phone reviews { text } } }' },
];

const tokens = ['{', '}', '(', ')', '[', ']', '...', '...P', '@skip(if: true)', '@include(if: $v)', '$v', ':', '!', '=', '"', '"""', '#', ',', '|', '&',
  'query', 'mutation', 'subscription', 'fragment F on Pet { name }', '__typename', '__schema { types { name } }', 'on', 'null', 'true', '-1', '1e999',
  '9007199254740993', 'getPetById(petId: 1) { name }', 'alias: getPetById', '\\u0000', '\u0000', '\ud800', '\u202e', '😀', 'ß', '\n', '\t', ' '];

const oddChars = ['\u0000', '\u0001', '\u007f', '\u00a0', '\u2028', '\ufeff', '\ud83d', '\udc00', '😀', '𝕏', 'é', '"', '\\', '{', '}', '$', '@', '\r'];

export function mutateDocument(r: Random, doc: string): { text: string; how: string } {
  switch (r.int(9)) {
    case 0: {
      let text = doc;
      const n = 1 + r.int(5);
      for (let i = 0; i < n; i++) {
        const at = r.int(text.length + 1);
        text = text.slice(0, at) + r.pick(oddChars) + text.slice(at);
      }
      return { text, how: 'insert-chars' };
    }
    case 1: {
      const at = r.int(doc.length);
      return { text: doc.slice(0, at) + doc.slice(at + 1 + r.int(10)), how: 'delete-range' };
    }
    case 2: {
      const at = r.int(doc.length);
      const piece = doc.slice(at, at + 1 + r.int(30));
      return { text: doc.slice(0, at) + piece.repeat(1 + r.int(50)) + doc.slice(at), how: 'duplicate-range' };
    }
    case 3: {
      let text = doc;
      for (let i = 0, n = 1 + r.int(4); i < n; i++) {
        const at = r.int(text.length + 1);
        text = `${text.slice(0, at)} ${r.pick(tokens)} ${text.slice(at)}`;
      }
      return { text, how: 'insert-tokens' };
    }
    case 4: {
      const depth = r.pick([10, 100, 1_000, 5_000, 20_000]);
      const field = r.pick(['reviews { pet', 'author { reviews', 'a { b', '... on Query {', 'pet { reviews']);
      return { text: `{ getPetById(petId: 1) { ${`${field} `.repeat(depth)}name${' }'.repeat(depth * (field.split('{').length - 1))} } }`, how: `deep-nesting-${depth}` };
    }
    case 5: {
      const n = r.pick([100, 1_000, 10_000, 50_000]);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(`a${i}: __typename`);
      return { text: `{ ${parts.join(' ')} }`, how: `aliases-${n}` };
    }
    case 6:
      return { text: doc.replace(/name/g, r.pick(['nаme', 'name\u0000', 'ñame', 'name😀', '\u202ename'])), how: 'unicode-names' };
    case 7:
      return { text: doc.slice(0, r.int(doc.length)), how: 'truncated-document' };
    default: {
      const n = r.pick([50, 500, 5_000]);
      return { text: `${doc} ${`fragment F${r.int(9)} on Pet { ...F${r.int(9)} } `.repeat(n)}`, how: `fragment-spam-${n}` };
    }
  }
}

const hugeNumbers = [1e308, -1e308, 2 ** 64, -0, 9_007_199_254_740_993, 1e-320, Number.MAX_SAFE_INTEGER + 2];
const wrongTypes: unknown[] = [null, true, 0, -1, 1.5, [], [1, 2], {}, { query: '{ a }' }, '', 'x'.repeat(10), ...hugeNumbers];

function jsonWith(r: Random, seed: (typeof seedDocuments)[number]): { body: string; how: string } {
  const base: Record<string, unknown> = { query: seed.query, ...(seed.variables ? { variables: seed.variables } : {}), ...(seed.operationName ? { operationName: seed.operationName } : {}) };
  switch (r.int(10)) {
    case 0:
      return { body: JSON.stringify({ ...base, query: r.pick(wrongTypes) }), how: 'query-wrong-type' };
    case 1:
      return { body: JSON.stringify({ ...base, variables: r.pick([...wrongTypes, '{"id":1}', { id: r.pick(hugeNumbers) }, { id: 'x' }, { id: null }, { skip: 'yes' }]) }), how: 'variables-wrong-type' };
    case 2:
      return { body: JSON.stringify({ ...base, operationName: r.pick([...wrongTypes, 'Nope', 'A', '']) }), how: 'operationName-wrong' };
    case 3: {
      const n = r.pick([0, 1, 2, 5, 50, 2_000]);
      return { body: JSON.stringify(Array.from({ length: n }, () => (r.chance(0.8) ? base : r.pick(wrongTypes)))), how: `batch-${n}` };
    }
    case 4: {
      const text = JSON.stringify(base);
      return { body: text.slice(0, r.int(text.length)), how: 'truncated-json' };
    }
    case 5:
      return { body: JSON.stringify({ ...base, extensions: r.pick([...wrongTypes, { persistedQuery: { version: 1, sha256Hash: 'x' } }, { persistedQuery: 1 }]) }), how: 'extensions-garbage' };
    case 6:
      return { body: `{"query":${JSON.stringify(seed.query)},"variables":{"id":1e999999},"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}`, how: 'proto-and-overflow' };
    case 7:
      return { body: r.pick(['', ' ', 'null', '[]', '[[[]]]', '"query"', '123', '{', '}{', '\u0000\u0000', '{"query":"{ a }"}garbage', '[' .repeat(5_000) + ']'.repeat(5_000), '{"a":'.repeat(3_000)]), how: 'raw-junk' };
    case 8:
      return { body: JSON.stringify({ ...base, query: `${seed.query}${'\u0000'.repeat(1 + r.int(20))}` }), how: 'nul-bytes' };
    default:
      return { body: JSON.stringify({ ...base, query: `${seed.query} #${'x'.repeat(r.pick([1_000, 100_000, 900_000]))}` }), how: 'huge-comment' };
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Token mutations: every one of them must be refused with a 401 code, never a 5xx. */
export function mutateToken(r: Random, valid: string): { token: string; how: string } {
  const [h, p, s] = valid.split('.') as [string, string, string];
  switch (r.int(9)) {
    case 0: {
      const chars = [...valid];
      for (let i = 0, n = 1 + r.int(3); i < n; i++) {
        const at = r.int(chars.length);
        if (chars[at] !== '.') chars[at] = String.fromCharCode((chars[at]!.charCodeAt(0) ^ (1 << r.int(6))) & 0x7f || 65);
      }
      return { token: chars.join('').replace(/[^\x21-\x7e]/g, 'A'), how: 'flipped-bits' };
    }
    case 1:
      return { token: `${p}.${h}.${s}`, how: 'swapped-segments' };
    case 2:
      return { token: `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`, how: 'alg-none' };
    case 3:
      return { token: `${h}.${p}.${s}`.repeat(r.pick([2, 50, 200])), how: 'huge-token' };
    case 4:
      return { token: `${b64({ alg: r.pick(['RS256', 'HS512', 'ES256', 'none', 'HS256 ', '']), kid: r.pick(['../../etc/passwd', 'x'.repeat(500), 1, null]) })}.${p}.${s}`, how: 'header-garbage' };
    case 5:
      return {
        token: `${h}.${b64(r.pick([{ sub: 1 }, { sub: null, exp: 'soon' }, [], 'string', { exp: 1e308, sub: 'x' }, { tier: { __proto__: 1 }, sub: 'a' }]))}.${s}`,
        how: 'payload-garbage',
      };
    case 6:
      return { token: r.pick([`${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}..${s}`, '..', '.', `${h}.${p}.${s.slice(0, 5)}`]), how: 'segment-count' };
    case 7:
      return { token: `${h}.${p}.${Buffer.from(s, 'base64url').toString('base64')}`, how: 'base64-not-url' };
    default:
      return { token: valid.slice(0, r.int(valid.length)), how: 'truncated-token' };
  }
}

const contentTypes = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/graphql-response+json',
  'application/graphql', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '', 'application/json;;;', 'application/jsonx', '*/*'];
const accepts = ['application/json', 'application/graphql-response+json', '*/*', 'text/html', 'text/event-stream', 'application/xml', '', 'application/json;q=0'];

/** One hostile request, chosen by `r`; `validToken` is a token the gateway accepts. */
export function fuzzRequest(r: Random, validToken: string): FuzzRequest {
  const seed = r.pick(seedDocuments);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const kinds: string[] = [];
  let bodyText: string;
  const bodyKind = r.int(3);
  if (bodyKind === 0) {
    const { text, how } = mutateDocument(r, seed.query);
    bodyText = JSON.stringify({ query: text, ...(seed.variables ? { variables: seed.variables } : {}) });
    kinds.push(`doc:${how}`);
  } else if (bodyKind === 1) {
    const { body, how } = jsonWith(r, seed);
    bodyText = body;
    kinds.push(`body:${how}`);
  } else {
    bodyText = JSON.stringify(seed);
    kinds.push('body:valid');
  }
  const auth = r.int(4);
  if (auth === 1) headers.authorization = `Bearer ${validToken}`;
  else if (auth === 2) {
    const { token, how } = mutateToken(r, validToken);
    headers.authorization = `Bearer ${token}`;
    kinds.push(`token:${how}`);
  } else if (auth === 3) {
    headers.authorization = r.pick(['Bearer', 'Bearer ', 'bearer  x', 'Basic dXNlcjpwYXNz', 'Token abc', `Bearer ${'A'.repeat(12_000)}`, 'Bearer a.b.c', 'Bearer ' + validToken + ' ' + validToken, 'Bearer\t' + validToken]);
    kinds.push('auth:garbage');
  }
  if (r.chance(0.2)) {
    headers['content-type'] = r.pick(contentTypes);
    kinds.push(`ct:${headers['content-type']}`);
  }
  if (r.chance(0.15)) {
    headers.accept = r.pick(accepts);
    kinds.push(`accept:${headers.accept}`);
  }
  if (r.chance(0.1)) {
    headers[r.pick(['x-forwarded-for', 'x-junk', 'cookie', 'x-real-ip'])] = r.pick(['1.2.3.4, 5.6.7.8', 'not-an-ip', '::1', 'x'.repeat(8_000), '999.999.999.999']);
    kinds.push('header:extra');
  }
  // Past its 16 KiB header limit Node refuses the request before the gateway sees it (431, with
  // a JSON body from the server's clientError handler): fuzz inside the limit, where the gateway answers.
  for (const name of ['x-forwarded-for', 'x-junk', 'cookie', 'x-real-ip', 'authorization']) {
    if (Object.values(headers).join('').length > 14_000 && headers[name]) headers[name] = headers[name]!.slice(0, 2_000);
  }
  const methodRoll = r.int(20);
  if (methodRoll === 0) {
    // The same operation as a GET, with its text in the query string.
    const params = new URLSearchParams();
    try {
      const parsed = JSON.parse(bodyText) as Record<string, unknown>;
      for (const [k, v] of Object.entries(parsed ?? {})) params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    } catch {
      params.set('query', bodyText);
    }
    const path = `/graphql?${params}`;
    // Node refuses request lines beyond its header limit itself; stay inside it.
    return { kind: ['get', ...kinds].join(' '), method: 'GET', path: path.length > 8_000 ? path.slice(0, 8_000) : path, headers: withoutContentType(headers) };
  }
  if (methodRoll === 1) return { kind: ['method', ...kinds].join(' '), method: r.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const), path: '/graphql', headers, body: bodyText };
  if (methodRoll === 2) return { kind: ['path', ...kinds].join(' '), method: 'POST', path: r.pick(['/graphql/', '/GRAPHQL', '/graphql?x=%zz', '/', '/admin', '/graphql%00', '/../graphql']), headers, body: bodyText };
  return { kind: kinds.join(' '), method: 'POST', path: '/graphql', headers, body: bodyText };
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _ignored, ...rest } = headers;
  return rest;
}
