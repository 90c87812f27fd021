import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPetstoreBackend } from '../../mesh/backends/petstore-server';
import type { RunningBackend } from '../../mesh/backends/listen';
import type { LoopgateConfig } from '../../src/config';
import { useArgumentValidation } from '../../src/openapi/use-argument-validation';
import type { RunningGateway } from '../../src/server';
import { errorCodes, postGraphQL, startTestGateway, tokenFor } from '../support/gateway';

/**
 * REST calls through the real gateway and the embedded Petstore: a path argument can never
 * change the path it is put in (refused before any upstream call, the request log proves it),
 * query arguments cannot add parameters, and no REST write is open to a caller without its scope.
 */

const quiet: LoopgateConfig = {
  budgets: { tiers: { anonymous: { capacity: 1_000_000, restoreRatePerSecond: 1_000_000 } } },
  feedback: { mode: 'off' },
};

let gw: RunningGateway;
let subjects = 0;
const tokenWith = (scope: string) => tokenFor({ sub: `rest-security-${++subjects}`, ...(scope ? { scope } : {}) });

beforeAll(async () => {
  gw = await startTestGateway(quiet);
});
afterAll(() => gw?.close());

/** Runs one request and returns the response and the Petstore calls it caused. */
async function traced(body: unknown, token?: string) {
  const log = gw.sources.embedded.petstore!.requests;
  const before = log.length;
  const res = await postGraphQL(gw, body, { token });
  return { res, petstore: log.slice(before).map((e) => `${e.method} ${e.url}`) };
}

function pathRefusal(res: Awaited<ReturnType<typeof traced>>['res'], coordinate: string) {
  expect(res.status).toBe(400);
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.body.errors![0]!.extensions).toMatchObject({ coordinate, argument: 'username', rule: 'pathSegment' });
}

describe('REST path arguments', () => {
  it('a token without scopes cannot read an order through getUserByName("../store/order/1")', async () => {
    const token = await tokenWith('');
    const direct = await traced({ query: '{ getOrderById(orderId: 1) { id } }' }, token);
    expect(errorCodes(direct.res)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    const { res, petstore } = await traced({ query: '{ getUserByName(username: "../store/order/1") { id } }' }, token);
    pathRefusal(res, 'Query.getUserByName');
    expect(res.body.data).toBeUndefined();
    expect(petstore).toEqual([]);
  });

  it('deleteUser("../pet/5") deletes no pet, anonymous or with user:write', async () => {
    const query = 'mutation { deleteUser(username: "../pet/5") }';
    const anonymous = await traced({ query });
    expect(errorCodes(anonymous.res)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(anonymous.petstore).toEqual([]);
    const { res, petstore } = await traced({ query }, await tokenWith('user:write'));
    pathRefusal(res, 'Mutation.deleteUser');
    expect(petstore).toEqual([]);
    const pet = await traced({ query: '{ getPetById(petId: 5) { name } }' }, await tokenWith('pet:read'));
    expect(pet.res.body.data).toEqual({ getPetById: { name: 'Bella' } });
  });

  const refused: Array<[string, string]> = [
    ['a slash', 'alice/x'],
    ['dot dot', '..'],
    ['dot', '.'],
    ['dot dot and a trailing space', '.. '],
    ['an encoded slash', 'alice%2F..%2Fpet%2F5'],
    ['encoded dots', '%2e%2e'],
    ['a backslash', '..\\pet\\5'],
    ['a query', 'alice?x=1'],
    ['a fragment', 'alice#x'],
    ['matrix parameters', '..;'],
    ['a tab', '.\t.'],
    ['a newline', 'alice\n'],
    ['a NUL', 'alice\u0000'],
    ['empty', ''],
    ['a placeholder', '{args.username}'],
    ['a replacement pattern', '$`'],
    ['a leading &', '&alice'],
  ];
  it.each(refused)('refuses %s before any upstream call (as a variable)', async (_, username) => {
    const { res, petstore } = await traced(
      { query: 'mutation($u: String!) { deleteUser(username: $u) }', variables: { u: username } },
      await tokenWith('user:write'),
    );
    pathRefusal(res, 'Mutation.deleteUser');
    expect(petstore).toEqual([]);
  });

  it('a legitimate username still works, and an unusual one arrives as one encoded segment', async () => {
    const token = await tokenWith('');
    const alice = await traced({ query: '{ getUserByName(username: "alice") { id username } }' }, token);
    expect(alice.res.body).toEqual({ data: { getUserByName: { id: 1, username: 'alice' } } });
    expect(alice.petstore).toEqual(['GET /v2/user/alice']);
    const unusual = await traced({ query: '{ getUserByName(username: "Zoë Ann.b") { id } }' }, token);
    expect(errorCodes(unusual.res)).toEqual(['NOT_FOUND']);
    expect(unusual.petstore).toEqual(['GET /v2/user/Zo%C3%AB%20Ann.b']);
  });
});

describe('REST query arguments', () => {
  it('"&", "=", "#" and "?" in a value are encoded: no parameter is added', async () => {
    const { res, petstore } = await traced(
      { query: '{ loginUser(username: "a&admin=1#x", password: "p=q&r?s") }' },
      await tokenWith(''),
    );
    expect(res.body.errors).toBeUndefined();
    expect(petstore).toHaveLength(1);
    const url = new URL(petstore[0]!.split(' ')[1]!, 'http://petstore');
    expect(url.pathname).toBe('/v2/user/login');
    expect([...url.searchParams]).toEqual([
      ['username', 'a&admin=1#x'],
      ['password', 'p=q&r?s'],
    ]);
    expect(url.hash).toBe('');
  });

  it('list items are encoded one by one', async () => {
    const { petstore } = await traced({ query: '{ findPetsByTags(tags: ["friendly&status=sold"]) { id } }' }, await tokenWith('pet:read'));
    const url = new URL(petstore[0]!.split(' ')[1]!, 'http://petstore');
    expect([...url.searchParams]).toEqual([['tags', 'friendly&status=sold']]);
  });
});

describe('REST writes without their scope', () => {
  const writes: Array<[string, string]> = [
    ['addPet', 'mutation { addPet(input: { name: "x", photoUrls: [] }) }'],
    ['updatePet', 'mutation { updatePet(input: { id: 1, name: "x", photoUrls: [] }) }'],
    ['updatePetWithForm', 'mutation { updatePetWithForm(petId: 1, input: { name: "x" }) }'],
    ['deletePet', 'mutation { deletePet(petId: 1) }'],
    ['uploadFile', 'mutation { uploadFile(petId: 1, input: { additionalMetadata: "x" }) { code } }'],
    ['placeOrder', 'mutation { placeOrder(input: { petId: 1, quantity: 1 }) { id } }'],
    ['deleteOrder', 'mutation { deleteOrder(orderId: 1) }'],
    ['createUser', 'mutation { createUser(input: { username: "mallory" }) }'],
    ['createUsersWithArrayInput', 'mutation { createUsersWithArrayInput(input: [{ username: "mallory" }]) }'],
    ['createUsersWithListInput', 'mutation { createUsersWithListInput(input: [{ username: "mallory" }]) }'],
    ['updateUser', 'mutation { updateUser(username: "alice", input: { username: "alice", lastName: "X" }) }'],
    ['deleteUser', 'mutation { deleteUser(username: "alice") }'],
  ];
  it.each(writes)('%s: denied to anonymous callers and to a token with only read scopes, nothing sent', async (field, query) => {
    for (const token of [undefined, await tokenWith('pet:read store:read user:contact')]) {
      const { res, petstore } = await traced({ query }, token);
      expect(errorCodes(res)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      expect(res.body.errors![0]!.path).toEqual([field]);
      expect(petstore).toEqual([]);
    }
  });
});

describe('the path check at fetch time', () => {
  // Only the fetch-time half of the plugin: what a value the gateway passes itself (an entity
  // key, a link argument from another subgraph's data) meets, since the check before execution
  // sees client arguments only.
  let petstore: RunningBackend;
  let runtime: ReturnType<typeof createGatewayRuntime>;
  beforeAll(async () => {
    petstore = await startPetstoreBackend();
    const { onFetch } = useArgumentValidation({ sources: [] });
    runtime = createGatewayRuntime({
      supergraph: readFileSync(resolve(import.meta.dirname, '../../mesh/supergraph.graphql'), 'utf8'),
      transportEntries: { petstore: { location: petstore.url }, reviews: { location: 'http://127.0.0.1:1/graphql' } },
      logging: 'error',
      plugins: () => [{ onFetch } as GatewayPlugin],
    });
  });
  afterAll(async () => {
    await runtime?.[Symbol.asyncDispose]();
    await petstore?.close();
  });

  async function run(query: string) {
    const before = petstore.requests.length;
    const response = await runtime.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
    return { body, calls: petstore.requests.slice(before).map((e) => `${e.method} ${e.url}`) };
  }

  it('refuses the REST call, so nothing reaches the upstream', async () => {
    const { body, calls } = await run('mutation { deleteUser(username: "../pet/5") }');
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0]?.extensions).toMatchObject({ argument: 'username', rule: 'pathSegment' });
    expect(calls).toEqual([]);
  });

  it('lets a safe value through', async () => {
    const { body, calls } = await run('{ getUserByName(username: "alice") { username } }');
    expect(body.data).toEqual({ getUserByName: { username: 'alice' } });
    expect(calls).toEqual(['GET /v2/user/alice']);
  });
});

describe('links into REST data', () => {
  it('Review.pet needs what Query.getPetById needs: no pet for a caller without pet:read, and no Petstore call', async () => {
    for (const token of [undefined, await tokenWith('')]) {
      const { res, petstore } = await traced({ query: '{ review(id: "r1") { text pet { name } } }' }, token);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ review: { text: 'Rex is a good boy', pet: null } });
      expect(errorCodes(res)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      expect(res.body.errors![0]!.path).toEqual(['review', 'pet']);
      expect(petstore).toEqual([]);
    }
    const allowed = await traced({ query: '{ review(id: "r1") { text pet { name } } }' }, await tokenWith('pet:read'));
    expect(allowed.res.body).toMatchObject({ data: { review: { text: 'Rex is a good boy', pet: { name: 'Rex' } } } });
    expect(allowed.petstore.length).toBeGreaterThan(0);
  });
});

describe('REST header arguments', () => {
  it.each([
    ['CR LF (header injection)', 'a\r\nx-evil: 1'],
    ['NUL', 'a\u0000b'],
    ['beyond Latin-1', 'clé-✓'],
  ])('deletePet(api_key: %s) is BAD_USER_INPUT before any call, not an upstream outage', async (_, value) => {
    const token = await tokenWith('pet:write');
    const { res, petstore } = await traced({ query: 'mutation($k: String) { deletePet(petId: 3, api_key: $k) }', variables: { k: value } }, token);
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors![0]!.extensions).toMatchObject({ coordinate: 'Mutation.deletePet', argument: 'api_key', rule: 'headerValue' });
    expect(petstore).toEqual([]);
  });

  it('a plain header value still goes through', async () => {
    const token = await tokenWith('pet:write pet:read');
    const { res, petstore } = await traced({ query: 'mutation { deletePet(petId: 99, api_key: "special-key") }' }, token);
    expect(errorCodes(res)).not.toContain('BAD_USER_INPUT');
    expect(petstore).toEqual(['DELETE /v2/pet/99']);
  });
});

describe('REST refusals without a JSON body', () => {
  it('a URL too long for the Petstore (431, no body) is BAD_USER_INPUT on the field, never an empty string as data', async () => {
    const token = await tokenWith('pet:read');
    const { res } = await traced({ query: 'query($u: String!) { loginUser(username: $u, password: "b") }', variables: { u: 'a'.repeat(100_000) } }, token);
    expect(res.body.data).toEqual({ loginUser: null });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    const fine = await traced({ query: '{ loginUser(username: "alice", password: "b") }' }, token);
    expect(fine.res.body.data?.loginUser).toMatch(/logged in/);
  });
});

describe('REST integer arguments', () => {
  it.each([
    ['a list around a number past the maximum', 'query($o: BigInt!) { getOrderById(orderId: $o) { id } }', { o: [11] }],
    ['a boolean', 'query($p: BigInt!) { getPetById(petId: $p) { id } }', { p: true }],
    ['a hexadecimal string', 'query($p: BigInt!) { getPetById(petId: $p) { id } }', { p: '0x2' }],
    ['a number beyond 64 bits', 'query($p: BigInt!) { getPetById(petId: $p) { id } }', { p: 12345678901234567890123 }],
  ])('%s is BAD_USER_INPUT (400) before any call', async (_, query, variables) => {
    const { res, petstore } = await traced({ query, variables }, await tokenWith('pet:read store:read'));
    expect([res.status, errorCodes(res)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(res.body.errors![0]!.extensions).toMatchObject({ rule: 'integer' });
    expect(petstore).toEqual([]);
  });
});
