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
  server: { port: 0, host: '127.0.0.1' }, responses: { costExtension: true }, feedback: { mode: 'off' },
  auth: { keySources: [{ kind: 'hmac', issuer: iss, audience: aud, secret }], trustedProxies: ['127.0.0.1'] },
}});
async function post(query: string, token?: string, addr = '198.51.100.7') {
  const r = await fetch(gw.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': addr, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) });
  return r.json();
}
const t = await tok({ scope: 'pet:read', tier: 'pro' }, 'x');
const q = '{ reviewsForPet(petId: 1, first: 10) { id rating text author { name } } }';
const q2 = '{ findPetsByStatus(status: [available]) { id name } }';
for (const [name, query] of [['reviews', q], ['pets', q2], ['invalid', '{ nope }']] as const) {
  for (let i = 0; i < 50; i++) await post(query, t);
  let t0 = performance.now(); const c0 = process.cpuUsage();
  for (let i = 0; i < 200; i++) await post(query, t);
  const seq = (performance.now() - t0) / 200; const cu = process.cpuUsage(c0); console.log('cpu ms/req', ((cu.user + cu.system) / 1000 / 200).toFixed(2));
  t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < 25; i++) await post(query, t); }));
  console.log(name, 'seq', seq.toFixed(2), 'ms/req; 8 concurrent', ((performance.now() - t0) / 200).toFixed(2), 'ms/req');
}
let t0 = performance.now();
for (let i = 0; i < 200; i++) clock += 10, await post(q, await tok({}, 'v' + i, 'wrong-secret-wrong-secret-wrong-secret!!'), '203.0.113.9');
console.log('bad token', ((performance.now() - t0) / 200).toFixed(2));
await gw.close();
