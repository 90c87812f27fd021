/**
 * µs per authenticate(): a fresh signature verification (token cache off) against a cache hit,
 * for ES256 and RS256, measured in interleaved rounds so drift hits every variant alike.
 * Target: a cache hit at least 100x cheaper than a fresh verification.
 *
 *   npx tsx bench/auth-verify.ts [rounds]
 */
import { performance } from 'node:perf_hooks';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createAuthenticator, type Authenticator } from '../src/auth/create-authenticator';
import { normalizeAuthOptions } from '../src/auth/options';

const rounds = Number(process.argv[2] ?? 15);
const nowMs = 1_700_000_000_000;
const issuer = 'https://bench.test';

interface Variant {
  name: string;
  auth: Authenticator;
  headers: Headers;
  iterations: number;
  samples: number[];
}

async function variantsFor(alg: 'ES256' | 'RS256'): Promise<Variant[]> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const token = await new SignJWT({ scope: 'pet:read pet:write', tier: 'free' })
    .setProtectedHeader({ alg, kid: 'k1' })
    .setIssuer(issuer)
    .setSubject('client-1')
    .setIssuedAt(nowMs / 1000)
    .setExpirationTime(nowMs / 1000 + 3600)
    .sign(privateKey);
  const make = async (maxEntries: number) =>
    createAuthenticator(
      normalizeAuthOptions({
        keySources: [{ kind: 'pem', issuer, pem: await exportSPKI(publicKey) }],
        tokenCache: { maxEntries },
      }),
      { now: () => nowMs },
    );
  const headers = new Headers({ authorization: `Bearer ${token}` });
  return [
    { name: `${alg} fresh verify`, auth: await make(0), headers, iterations: 200, samples: [] },
    { name: `${alg} cache hit`, auth: await make(1000), headers, iterations: 20_000, samples: [] },
  ];
}

async function measure(v: Variant): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < v.iterations; i++) {
    const result = await v.auth.authenticate({ headers: v.headers, remoteAddress: '127.0.0.1' });
    if (!result.ok) throw new Error(`${v.name}: ${result.code} ${result.reason}`);
  }
  return ((performance.now() - start) * 1000) / v.iterations;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const variants = [...(await variantsFor('ES256')), ...(await variantsFor('RS256'))];
for (const v of variants) await measure(v); // warm-up: JIT, key import, first cache fill
for (let r = 0; r < rounds; r++) {
  // Rotate the starting variant each round so no variant always runs first.
  for (let i = 0; i < variants.length; i++) {
    const v = variants[(i + r) % variants.length];
    v.samples.push(await measure(v));
  }
}

console.log(`authenticate() cost, median of ${rounds} interleaved rounds (node ${process.version})`);
for (const v of variants) console.log(`  ${v.name.padEnd(20)} ${median(v.samples).toFixed(2).padStart(9)} µs`);
for (const alg of ['ES256', 'RS256']) {
  const fresh = median(variants.find((v) => v.name === `${alg} fresh verify`)!.samples);
  const hit = median(variants.find((v) => v.name === `${alg} cache hit`)!.samples);
  const ratio = fresh / hit;
  console.log(`  ${alg} fresh / hit ratio: ${ratio.toFixed(0)}x ${ratio >= 100 ? '(target >= 100x met)' : '(BELOW the 100x target)'}`);
}
