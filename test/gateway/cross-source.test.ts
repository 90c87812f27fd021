import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/server';
import { postGraphQL, startTestGateway } from '../support/gateway';
import { backendLog, broadToken, calls, coreConfig, graphqlQueries } from './helpers';

let gateway: RunningGateway;
let token: string;

beforeAll(async () => {
  gateway = await startTestGateway(coreConfig);
  token = await broadToken();
});
afterAll(() => gateway?.close());

describe('one query across both sources', () => {
  it('REST -> GraphQL: a pet from the Petstore with its reviews and their authors from the reviews service', async () => {
    const pets = backendLog(gateway, 'petstore').length;
    const reviews = backendLog(gateway, 'reviews').length;
    const response = await postGraphQL(
      gateway,
      { query: '{ getPetById(petId: 1) { name reviews { text author { name } } } }' },
      { token },
    );
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      getPetById: {
        name: 'Rex',
        reviews: [
          { text: 'Rex is a good boy', author: { name: 'Alice' } },
          { text: 'Barks a bit', author: { name: 'Bob' } },
        ],
      },
    });
    expect(calls(backendLog(gateway, 'petstore'), pets)).toEqual(['GET /v2/pet/1']);
    const sent = backendLog(gateway, 'reviews').slice(reviews);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /graphql']);
    expect(graphqlQueries(sent)[0]).toMatch(/reviewsForPet\(/);
    // The link passes the pet's id from the REST answer as the reviews argument.
    expect(JSON.parse(sent[0]!.body!).variables).toMatchObject({ petId: 1 });
  });

  it('GraphQL -> REST: reviews of a pet with the pet fetched from the Petstore', async () => {
    const pets = backendLog(gateway, 'petstore').length;
    const reviews = backendLog(gateway, 'reviews').length;
    const response = await postGraphQL(gateway, { query: '{ reviewsForPet(petId: 2) { text pet { name } } }' }, { token });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ reviewsForPet: [{ text: 'Tom sleeps all day', pet: { name: 'Tom' } }] });
    expect(calls(backendLog(gateway, 'reviews'), reviews)).toEqual(['POST /graphql']);
    expect(graphqlQueries(backendLog(gateway, 'reviews'), reviews)[0]).toMatch(/reviewsForPet\(/);
    expect(calls(backendLog(gateway, 'petstore'), pets)).toEqual(['GET /v2/pet/2']);
  });

  it('GraphQL -> REST with several reviews of one pet: every REST call is for that pet', async () => {
    const pets = backendLog(gateway, 'petstore').length;
    const response = await postGraphQL(gateway, { query: '{ reviewsForPet(petId: 1) { text pet { name } } }' }, { token });
    expect(response.body.data).toEqual({
      reviewsForPet: [
        { text: 'Rex is a good boy', pet: { name: 'Rex' } },
        { text: 'Barks a bit', pet: { name: 'Rex' } },
      ],
    });
    const restCalls = calls(backendLog(gateway, 'petstore'), pets);
    // At most one call per review (the runtime may or may not batch identical keys).
    expect(restCalls.length).toBeGreaterThanOrEqual(1);
    expect(restCalls.length).toBeLessThanOrEqual(2);
    expect(new Set(restCalls)).toEqual(new Set(['GET /v2/pet/1']));
  });

  it('a pet without reviews gets an empty list, and the reviews service is still asked', async () => {
    const reviews = backendLog(gateway, 'reviews').length;
    const response = await postGraphQL(gateway, { query: '{ getPetById(petId: 4) { name reviews { text } } }' }, { token });
    expect(response.body.data).toEqual({ getPetById: { name: 'Kitty', reviews: [] } });
    expect(calls(backendLog(gateway, 'reviews'), reviews)).toEqual(['POST /graphql']);
  });
});
