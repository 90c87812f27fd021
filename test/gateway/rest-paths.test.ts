import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/server';
import { errorCodes, postGraphQL, startTestGateway, type GraphQLResponse } from '../support/gateway';
import { backendLog, broadToken, calls, coreConfig } from './helpers';

// Every Query/Mutation field the supergraph generates from the Petstore document, with the
// method and path its @httpOperation names, proven from the embedded backend's request log.

let gateway: RunningGateway;
let token: string;

beforeAll(async () => {
  gateway = await startTestGateway(coreConfig);
  token = await broadToken();
});
afterAll(() => gateway?.close());

/** Runs one operation and returns the response plus the Petstore calls it caused. */
async function run(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse & { rest: string[]; bodies: Array<string | undefined> }> {
  const log = backendLog(gateway, 'petstore');
  const before = log.length;
  const response = await postGraphQL(gateway, { query, variables }, { token });
  return { ...response, rest: calls(log, before), bodies: log.slice(before).map((e) => e.body) };
}

function expectClean(response: GraphQLResponse): void {
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
}

describe('pet reads', () => {
  it('findPetsByStatus: GET /pet/findByStatus?status=...', async () => {
    const r = await run('{ findPetsByStatus(status: [available, pending]) { id name status } }');
    expectClean(r);
    expect(r.body.data).toEqual({
      findPetsByStatus: [
        { id: 1, name: 'Rex', status: 'available' },
        { id: 2, name: 'Tom', status: 'available' },
        { id: 3, name: 'Fido', status: 'pending' },
        { id: 5, name: 'Bella', status: 'available' },
      ],
    });
    expect(r.rest).toEqual(['GET /v2/pet/findByStatus?status=available&status=pending']);
  });

  it('findPetsByTags: GET /pet/findByTags?tags=...', async () => {
    const r = await run('{ findPetsByTags(tags: ["friendly"]) { id name tags { name } } }');
    expectClean(r);
    expect(r.body.data).toEqual({
      findPetsByTags: [
        { id: 1, name: 'Rex', tags: [{ name: 'friendly' }] },
        { id: 3, name: 'Fido', tags: [{ name: 'friendly' }, { name: 'old' }] },
      ],
    });
    expect(r.rest).toEqual(['GET /v2/pet/findByTags?tags=friendly']);
  });

  it('getPetById found: GET /pet/{petId}', async () => {
    const r = await run('{ getPetById(petId: 2) { id name category { name } photoUrls tags { id name } status } }');
    expectClean(r);
    expect(r.body.data).toEqual({
      getPetById: { id: 2, name: 'Tom', category: { name: 'Cats' }, photoUrls: ['https://example.com/tom.png'], tags: [{ id: 2, name: 'lazy' }], status: 'available' },
    });
    expect(r.rest).toEqual(['GET /v2/pet/2']);
  });

  it('getPetById 404: NOT_FOUND at that path, null there, other root fields keep their data', async () => {
    const r = await run('{ missing: getPetById(petId: 999) { name } found: getPetById(petId: 1) { name } reviewsForPet(petId: 2) { text } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ missing: null, found: { name: 'Rex' }, reviewsForPet: [{ text: 'Tom sleeps all day' }] });
    expect(r.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['NOT_FOUND', ['missing']]]);
    expect(r.rest.sort()).toEqual(['GET /v2/pet/1', 'GET /v2/pet/999']);
  });

  it('getPetById with an id that is not an int64: BAD_USER_INPUT, and the backend is not called', async () => {
    const r = await run('query ($id: BigInt!) { getPetById(petId: $id) { name } }', { id: 'abc' });
    expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.body.data?.getPetById ?? null).toBeNull();
    expect(r.rest).toEqual([]);
  });
});

describe('store reads', () => {
  it('getInventory: GET /store/inventory', async () => {
    const r = await run('{ getInventory }');
    expectClean(r);
    // Before any mutation in this file: counts of the seed pets by status.
    expect(r.body.data).toEqual({ getInventory: { available: 3, pending: 1, sold: 1 } });
    expect(r.rest).toEqual(['GET /v2/store/inventory']);
  });

  it('getOrderById found: GET /store/order/{orderId}', async () => {
    const r = await run('{ getOrderById(orderId: 1) { id petId quantity status complete } }');
    expectClean(r);
    expect(r.body.data).toEqual({ getOrderById: { id: 1, petId: 4, quantity: 1, status: 'delivered', complete: true } });
    expect(r.rest).toEqual(['GET /v2/store/order/1']);
  });

  it('getOrderById 11 (the document allows 1..10): BAD_USER_INPUT and no order', async () => {
    const r = await run('{ getOrderById(orderId: 11) { id } }');
    expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.body.data?.getOrderById ?? null).toBeNull();
    // Refused by the gateway from the document's maximum, or by the backend with its 400.
    expect(r.rest.filter((c) => c !== 'GET /v2/store/order/11')).toEqual([]);
    expect(r.rest.length).toBeLessThanOrEqual(1);
  });

  it('a 400 from the backend reaches the client as BAD_USER_INPUT on that path only', async () => {
    // No tags: the document sets no minimum, so only the backend can refuse it.
    const r = await run('{ findPetsByTags(tags: []) { id } getPetById(petId: 1) { name } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ findPetsByTags: null, getPetById: { name: 'Rex' } });
    expect(r.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['BAD_USER_INPUT', ['findPetsByTags']]]);
    expect(r.rest.sort()).toEqual(['GET /v2/pet/1', 'GET /v2/pet/findByTags']);
  });
});

describe('user reads', () => {
  it('getUserByName: GET /user/{username}', async () => {
    const r = await run('{ getUserByName(username: "alice") { id username firstName lastName email phone userStatus } }');
    expectClean(r);
    expect(r.body.data).toEqual({
      getUserByName: { id: 1, username: 'alice', firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', phone: '+1-555-0101', userStatus: 1 },
    });
    expect(r.rest).toEqual(['GET /v2/user/alice']);
  });

  it('loginUser: GET /user/login?username&password', async () => {
    const r = await run('{ loginUser(username: "alice", password: "secret") }');
    expectClean(r);
    expect(r.body.data?.loginUser).toMatch(/^logged in user session:\d+$/);
    expect(r.rest).toEqual(['GET /v2/user/login?username=alice&password=secret']);
  });

  it('logoutUser: GET /user/logout', async () => {
    const r = await run('{ logoutUser }');
    expectClean(r);
    expect(r.body.data).toEqual({ logoutUser: { code: 200, type: 'unknown', message: 'ok' } });
    expect(r.rest).toEqual(['GET /v2/user/logout']);
  });
});

describe('pet writes', () => {
  it('addPet: POST /pet with the pet as JSON, readable afterwards', async () => {
    const r = await run('mutation ($pet: Pet_Input) { addPet(input: $pet) }', {
      pet: { id: 41, name: 'Nemo', photoUrls: ['https://example.com/nemo.png'], tags: [{ id: 9, name: 'fish' }], status: 'pending' },
    });
    expectClean(r);
    expect(r.body.data?.addPet).toMatchObject({ id: 41, name: 'Nemo', status: 'pending' });
    expect(r.rest).toEqual(['POST /v2/pet']);
    expect(JSON.parse(r.bodies[0]!)).toEqual({ id: 41, name: 'Nemo', photoUrls: ['https://example.com/nemo.png'], tags: [{ id: 9, name: 'fish' }], status: 'pending' });
    const read = await run('{ getPetById(petId: 41) { name status } }');
    expect(read.body.data).toEqual({ getPetById: { name: 'Nemo', status: 'pending' } });
  });

  it('updatePet: PUT /pet', async () => {
    const r = await run('mutation { updatePet(input: { id: 41, name: "Dory", photoUrls: [], status: sold }) }');
    expectClean(r);
    expect(r.body.data?.updatePet).toMatchObject({ id: 41, name: 'Dory', status: 'sold' });
    expect(r.rest).toEqual(['PUT /v2/pet']);
    expect(JSON.parse(r.bodies[0]!)).toMatchObject({ id: 41, name: 'Dory', status: 'sold' });
  });

  it('updatePet of an unknown pet: the backend answers 404, the client gets NOT_FOUND', async () => {
    const r = await run('mutation { updatePet(input: { id: 4242, name: "Ghost", photoUrls: [] }) }');
    expect(r.body.data).toEqual({ updatePet: null });
    expect(errorCodes(r)).toEqual(['NOT_FOUND']);
    expect(r.rest).toEqual(['PUT /v2/pet']);
  });

  it('updatePetWithForm: POST /pet/{petId} with a form body', async () => {
    const r = await run('mutation { updatePetWithForm(petId: 41, input: { name: "Marlin", status: "available" }) }');
    expectClean(r);
    expect(r.body.data?.updatePetWithForm).toMatchObject({ id: 41, name: 'Marlin', status: 'available' });
    expect(r.rest).toEqual(['POST /v2/pet/41']);
    expect(Object.fromEntries(new URLSearchParams(r.bodies[0]))).toEqual({ name: 'Marlin', status: 'available' });
  });

  it('uploadFile (metadata only): POST /pet/{petId}/uploadImage as multipart', async () => {
    const r = await run('mutation { uploadFile(petId: 41, input: { additionalMetadata: "front view" }) { code type message } }');
    expectClean(r);
    expect(r.body.data?.uploadFile).toMatchObject({ code: 200, type: 'unknown' });
    expect(r.rest).toEqual(['POST /v2/pet/41/uploadImage']);
    expect(r.bodies[0]).toMatch(/name="additionalMetadata"\r\n\r\nfront view\r\n/);
  });

  it('deletePet: DELETE /pet/{petId}, gone afterwards', async () => {
    const r = await run('mutation { deletePet(petId: 41, api_key: "k-1") }');
    expectClean(r);
    expect(r.rest).toEqual(['DELETE /v2/pet/41']);
    const read = await run('{ getPetById(petId: 41) { name } }');
    expect(errorCodes(read)).toEqual(['NOT_FOUND']);
  });
});

describe('store writes', () => {
  it('placeOrder: POST /store/order, then deleteOrder: DELETE /store/order/{orderId}', async () => {
    const placed = await run('mutation { placeOrder(input: { id: 7, petId: 2, quantity: 3, status: approved }) { id petId quantity status complete } }');
    expectClean(placed);
    expect(placed.body.data).toEqual({ placeOrder: { id: 7, petId: 2, quantity: 3, status: 'approved', complete: false } });
    expect(placed.rest).toEqual(['POST /v2/store/order']);
    expect(JSON.parse(placed.bodies[0]!)).toEqual({ id: 7, petId: 2, quantity: 3, status: 'approved' });

    const read = await run('{ getOrderById(orderId: 7) { quantity } }');
    expect(read.body.data).toEqual({ getOrderById: { quantity: 3 } });

    const deleted = await run('mutation { deleteOrder(orderId: 7) }');
    expectClean(deleted);
    expect(deleted.rest).toEqual(['DELETE /v2/store/order/7']);
    const gone = await run('{ getOrderById(orderId: 7) { id } }');
    expect(errorCodes(gone)).toEqual(['NOT_FOUND']);
  });
});

describe('user writes', () => {
  it('createUser: POST /user', async () => {
    const r = await run('mutation { createUser(input: { username: "bob", firstName: "Bob", email: "bob@example.com" }) }');
    expectClean(r);
    expect(r.rest).toEqual(['POST /v2/user']);
    expect(JSON.parse(r.bodies[0]!)).toEqual({ username: 'bob', firstName: 'Bob', email: 'bob@example.com' });
    const read = await run('{ getUserByName(username: "bob") { firstName } }');
    expect(read.body.data).toEqual({ getUserByName: { firstName: 'Bob' } });
  });

  it('createUsersWithArrayInput: POST /user/createWithArray', async () => {
    const r = await run('mutation { createUsersWithArrayInput(input: [{ username: "carol" }, { username: "dave" }]) }');
    expectClean(r);
    expect(r.rest).toEqual(['POST /v2/user/createWithArray']);
    expect(JSON.parse(r.bodies[0]!)).toEqual([{ username: 'carol' }, { username: 'dave' }]);
  });

  it('createUsersWithListInput: POST /user/createWithList', async () => {
    const r = await run('mutation { createUsersWithListInput(input: [{ username: "erin", lastName: "E" }]) }');
    expectClean(r);
    expect(r.rest).toEqual(['POST /v2/user/createWithList']);
    expect(JSON.parse(r.bodies[0]!)).toEqual([{ username: 'erin', lastName: 'E' }]);
    const read = await run('{ getUserByName(username: "erin") { lastName } }');
    expect(read.body.data).toEqual({ getUserByName: { lastName: 'E' } });
  });

  it('updateUser: PUT /user/{username}', async () => {
    const r = await run('mutation { updateUser(username: "bob", input: { username: "bob", lastName: "Builder" }) }');
    expectClean(r);
    expect(r.rest).toEqual(['PUT /v2/user/bob']);
    expect(JSON.parse(r.bodies[0]!)).toEqual({ username: 'bob', lastName: 'Builder' });
    const read = await run('{ getUserByName(username: "bob") { firstName lastName } }');
    expect(read.body.data).toEqual({ getUserByName: { firstName: 'Bob', lastName: 'Builder' } });
  });

  it('deleteUser: DELETE /user/{username}', async () => {
    const r = await run('mutation { deleteUser(username: "bob") }');
    expectClean(r);
    expect(r.rest).toEqual(['DELETE /v2/user/bob']);
    const read = await run('{ getUserByName(username: "bob") { username } }');
    expect(errorCodes(read)).toEqual(['NOT_FOUND']);
  });
});
