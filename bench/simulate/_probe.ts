import { SignJWT } from 'jose';
import { startGateway } from '../../src/server';
let clock = Date.UTC(2026, 0, 1);
const secret = 'simulator-secret-for-loopgate-at-least-32-bytes!';
const iss = 'https://issuer.simulator', aud = 'loopgate-simulator';
async function tok(claims: Record<string, unknown>, sub: string, key = secret) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(iss).setAudience(aud).setSubject(sub)
    .setIssuedAt(Math.floor(clock / 1000)).setExpirationTime(Math.floor(clock / 1000) + 7200).sign(new TextEncoder().encode(key));
}
const gw = await startGateway({ cwd: '/work/main', now: () => clock, config: {
  server: { port: 0, host: '127.0.0.1' }, responses: { costExtension: true },
  auth: { keySources: [{ kind: 'hmac', issuer: iss, audience: aud, secret }], trustedProxies: ['127.0.0.1'] },
}});
async function post(query: string, token?: string, addr = '198.51.100.7', variables?: unknown) {
  const t0 = performance.now();
  const r = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': addr, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  const body = await r.json();
  console.log(r.status, (performance.now() - t0).toFixed(1) + 'ms', JSON.stringify(body).slice(0, 400), r.headers.get('retry-after'));
}
const t = await tok({ scope: 'pet:read', tier: 'free' }, 'prober');
const full = await tok({ scope: 'pet:read store:read owner:contact', tier: 'pro' }, 'heavy');
await post('{ __schema { types { name } } }', t);
await post('{ reviewsForPet(petId: 1) { raitng } }', t);
await post('{ adoptions { id fee } }', t);
await post('{ reviewsForPet(petId: 1, first: 100) { id rating text author { name } } }', t);
await post('{ search(text: "o", first: 100) { ... on Review { id text } ... on Owner { id name } } }', t);
await post('{ findPetsByStatus(status: [available]) { id name category { name } tags { name } } }', full);
await post('{ findPetsByStatus(status: [available]) { id name category { name } tags { name } } reviewsForPet(petId: 1, first: 100) { id author { name email reviews { id } } } }', full);
await post('{ reviewsForPet(petId: 2, first: 10) { id rating text } }', undefined, '203.0.113.9');
await post('{ reviewsForPet(petId: 2, first: 10) { id rating text } }', await tok({}, 'victim-1', 'wrong-secret-wrong-secret-wrong-secret!!'), '203.0.113.9');
for (let i = 0; i < 5; i++) await post('{ reviewsForPet(petId: 1, first: 10) { id rating text author { name } } }', t);
console.log(await gw.services.store.store.listAudit(undefined, 10));
await gw.close();
