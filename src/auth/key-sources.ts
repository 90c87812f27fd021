import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { devKeyAlgorithm, loadOrCreateDevKey } from './dev-key';
import { devKeyIssuer, type NormalizedAuthOptions, type NormalizedKeySource } from './options';
import { createResilientRemoteJwks } from './remote-jwks';

/** A key source ready to verify: the checks jwtVerify needs and a key resolver. */
export interface VerifierSource {
  issuer: string;
  audience: string | string[] | undefined;
  algorithms: string[];
  typ: string | undefined;
  getKey: JWTVerifyGetKey;
}

/** Builds every key source once, at start; unreadable files and bad keys throw a TypeError. */
export async function buildVerifierSources(
  options: NormalizedAuthOptions,
  now: () => number,
  cwd: string = process.cwd(),
): Promise<VerifierSource[]> {
  const sources = await Promise.all(options.keySources.map((s, i) => buildSource(s, `auth.keySources[${i}]`, now, cwd)));
  if (options.devKey !== null) {
    const dev = await loadOrCreateDevKey(options.devKey.path, cwd);
    sources.push({
      issuer: devKeyIssuer,
      audience: undefined,
      algorithms: [devKeyAlgorithm],
      typ: undefined,
      getKey: createLocalJWKSet({ keys: [dev.publicJwk] }),
    });
  }
  return sources;
}

async function buildSource(
  source: NormalizedKeySource,
  at: string,
  now: () => number,
  cwd: string,
): Promise<VerifierSource> {
  const common = {
    issuer: source.issuer,
    audience: source.audience,
    algorithms: [...source.algorithms],
    typ: source.typ,
  };
  switch (source.kind) {
    case 'jwks-url':
      return { ...common, getKey: createResilientRemoteJwks({ ...source, now }) };
    case 'jwks-file': {
      const text = await readText(resolve(cwd, source.path), `${at}.path`);
      try {
        return { ...common, getKey: createLocalJWKSet(JSON.parse(text) as JSONWebKeySet) };
      } catch {
        throw new TypeError(`${at}.path does not hold a JSON Web Key Set`);
      }
    }
    case 'pem': {
      const pem = source.pem ?? (await readText(resolve(cwd, source.pemFile as string), `${at}.pemFile`));
      if (pem.includes('PRIVATE KEY')) throw new TypeError(`${at} holds a private key: configure the public key only`);
      let key: KeyObject;
      try {
        key = createPublicKey(pem);
      } catch {
        throw new TypeError(`${at} is not a PEM public key or certificate`);
      }
      // jose turns the KeyObject into a CryptoKey per algorithm and caches it.
      return { ...common, getKey: async () => key };
    }
    case 'hmac':
      return { ...common, getKey: await hmacKeys(source.secret, common.algorithms) };
  }
}

/** One imported key per allowed HS algorithm, so no verification re-imports the secret. */
async function hmacKeys(secret: string, algorithms: string[]): Promise<JWTVerifyGetKey> {
  const raw = new TextEncoder().encode(secret);
  const keys = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    const hash = `SHA-${alg.slice(2)}`;
    keys.set(alg, await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash }, false, ['verify']));
  }
  return async (header) => {
    const key = header.alg === undefined ? undefined : keys.get(header.alg);
    if (key === undefined) throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    return key;
  };
}

async function readText(path: string, at: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TypeError(`${at}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
