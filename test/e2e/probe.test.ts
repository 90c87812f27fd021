import { afterAll, beforeAll, it } from 'vitest';
import { postGraphQL, startTestGateway, tokenFor } from '../support/gateway';
import type { RunningGateway } from '../../src/server';

let gw: RunningGateway;
beforeAll(async () => { gw = await startTestGateway({}); });
afterAll(async () => { await gw?.close(); });

it('probe', async () => {
  const show = async (label: string, q: unknown, token?: string) => { const r = await postGraphQL(gw, q, { token }); console.log(label, JSON.stringify({ s: r.status, b: r.body })); };
  const none = await tokenFor({ sub: 'n' });
  const adopt = await tokenFor({ sub: 'a', scope: 'adoption:read' });
  await show('node a1 no scope', { query: '{ node(id: "a1") { id ... on Adoption { petId } } }' }, none);
  await show('node o1 id no scope', { query: '{ node(id: "o1") { id ... on Owner { email } } }' }, none);
  await show('adoptions + reviews', { query: '{ reviewsForPet(petId: 1) { text } adoptions { id } }' }, none);
  await show('adoptions ok', { query: '{ adoptions { id fee owner { name } } }' }, adopt);
  await show('inv + reviews', { query: '{ reviewsForPet(petId: 1) { text } getInventory }' }, none);
  await show('pet only', { query: '{ getPetById(petId: 1) { name } }' }, none);
  await show('owner anon', { query: '{ owner(id: "o1") { name } }' });
  await show('aliases', { query: '{ a: owner(id: "o1") { e1: email e2: email name } b: owner(id: "o2") { email } }' }, none);
  await show('adoptPet', { query: 'mutation { adoptPet(petId: 2, ownerId: "o2") { id } }' }, await tokenFor({ scope: 'adoption:write pet:read' }));
  console.log(JSON.stringify(gw.sources.embedded.reviews!.requests.map(r => r.body)));
});
