import { afterAll, beforeAll, it } from 'vitest';
import { postGraphQL, startTestGateway, tokenFor } from '../support/gateway';
import type { RunningGateway } from '../../src/server';

let gw: RunningGateway;
beforeAll(async () => { gw = await startTestGateway({ responses: { costExtension: true } }); });
afterAll(async () => { await gw?.close(); });

it('probe', async () => {
  const show = async (q: unknown, token?: string) => { const r = await postGraphQL(gw, q, { token }); console.log(JSON.stringify({ s: r.status, b: r.body })); };
  await show({ query: '{ reviewsForPet(petId: 1) { text } }' });
  const t = await tokenFor({ scope: 'pet:read' });
  await show({ query: '{ getPetById(petId: 1) { name } reviewsForPet(petId: 1) { text author { name email } } }' }, t);
  await show({ query: '{ owner(id: "o1") { name email } }' }, t);
  await show({ query: '{ search(text: "o") { ... on Owner { email } } }' }, t);
  console.log(JSON.stringify(gw.sources.embedded.reviews!.requests));
  console.log(JSON.stringify(gw.sources.embedded.petstore!.requests));
});
