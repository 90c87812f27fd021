/**
 * Key sources: where the keys that verify a token's signature come from, one source per issuer.
 * Types, defaults and normalisation only; building the keys lives in `key-sources.ts`.
 */

/** Asymmetric algorithms accepted by default by jwks-url, jwks-file and pem sources. */
export const defaultAsymmetricAlgorithms = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
] as const;

/** HMAC algorithms accepted by default by an hmac source (and only there). */
export const defaultHmacAlgorithms = ['HS256', 'HS384', 'HS512'] as const;

/** Every algorithm a key source may list; `Ed25519` is the fully specified name of EdDSA. */
const asymmetricAlgorithms = new Set<string>([...defaultAsymmetricAlgorithms, 'Ed25519']);
const hmacAlgorithms = new Set<string>(defaultHmacAlgorithms);

/** RFC 7518 asks for an HMAC key at least as long as the hash; 32 bytes is the floor for HS256. */
export const minHmacSecretBytes = 32;

interface KeySourceCommon {
  /** Expected `iss`; also routes a token to this source. Required. */
  issuer: string;
  /** Expected `aud` (any one of them when an array). Default: not checked. */
  audience?: string | string[];
  /** Algorithm allow-list. Default: the asymmetric list, or HS256/HS384/HS512 for hmac. `none` is never accepted. */
  algorithms?: string[];
  /** Expected JWT `typ` header (e.g. `at+jwt`). Default: not checked. */
  typ?: string;
}

export interface JwksUrlKeySourceOptions extends KeySourceCommon {
  kind: 'jwks-url';
  /** http(s) URL of the JSON Web Key Set. */
  url: string;
  /** Least time between two fetches triggered by an unknown `kid`. Default 30000 ms. */
  cooldownMs?: number;
  /** How long a fetched key set is fresh before it is refetched (served meanwhile). Default 600000 ms. */
  cacheMaxAgeMs?: number;
  /** Abort a JWKS fetch after this long. Default 5000 ms. */
  timeoutMs?: number;
}

export interface JwksFileKeySourceOptions extends KeySourceCommon {
  kind: 'jwks-file';
  /** Path of a JSON Web Key Set file, read once at start. */
  path: string;
}

export interface PemKeySourceOptions extends KeySourceCommon {
  kind: 'pem';
  /** A PEM public key (SPKI) or certificate. Exactly one of `pem` and `pemFile`. */
  pem?: string;
  /** Path of a PEM file, read once at start. */
  pemFile?: string;
}

export interface HmacKeySourceOptions extends KeySourceCommon {
  kind: 'hmac';
  /** The shared secret (UTF-8, at least 32 bytes). Exactly one of `secret` and `secretEnv`. */
  secret?: string;
  /** Name of the environment variable holding the secret, read when options are normalised. */
  secretEnv?: string;
}

export type KeySourceOptions =
  | JwksUrlKeySourceOptions
  | JwksFileKeySourceOptions
  | PemKeySourceOptions
  | HmacKeySourceOptions;

interface NormalizedCommon {
  issuer: string;
  audience: string | string[] | undefined;
  algorithms: readonly string[];
  typ: string | undefined;
}

export type NormalizedKeySource = NormalizedCommon &
  (
    | { kind: 'jwks-url'; url: string; cooldownMs: number; cacheMaxAgeMs: number; timeoutMs: number }
    | { kind: 'jwks-file'; path: string }
    | { kind: 'pem'; pem: string | undefined; pemFile: string | undefined }
    | { kind: 'hmac'; secret: string }
  );

const commonKeys = ['kind', 'issuer', 'audience', 'algorithms', 'typ'];
const keysByKind: Record<KeySourceOptions['kind'], string[]> = {
  'jwks-url': [...commonKeys, 'url', 'cooldownMs', 'cacheMaxAgeMs', 'timeoutMs'],
  'jwks-file': [...commonKeys, 'path'],
  pem: [...commonKeys, 'pem', 'pemFile'],
  hmac: [...commonKeys, 'secret', 'secretEnv'],
};

/** Validates one key source; `at` names it in errors (e.g. `auth.keySources[1]`). */
export function normalizeKeySource(
  input: unknown,
  at: string,
  env: Readonly<Record<string, string | undefined>>,
): NormalizedKeySource {
  if (!isRecord(input)) throw new TypeError(`${at} must be an object`);
  const kind = input.kind;
  if (typeof kind !== 'string' || !(kind in keysByKind)) {
    throw new TypeError(`${at}.kind must be one of ${Object.keys(keysByKind).join(', ')}`);
  }
  const k = kind as KeySourceOptions['kind'];
  for (const key of Object.keys(input)) {
    if (!keysByKind[k].includes(key)) throw new TypeError(`${at}.${key} is not an option of a ${k} key source`);
  }
  const common: NormalizedCommon = {
    issuer: nonEmptyString(input.issuer, `${at}.issuer`),
    audience: audience(input.audience, `${at}.audience`),
    algorithms: algorithms(input.algorithms, k === 'hmac', `${at}.algorithms`),
    typ: input.typ === undefined ? undefined : nonEmptyString(input.typ, `${at}.typ`),
  };
  switch (k) {
    case 'jwks-url':
      return {
        ...common,
        kind: k,
        url: httpUrl(input.url, `${at}.url`),
        cooldownMs: nonNegativeInt(input.cooldownMs, 30_000, `${at}.cooldownMs`),
        cacheMaxAgeMs: nonNegativeInt(input.cacheMaxAgeMs, 600_000, `${at}.cacheMaxAgeMs`),
        timeoutMs: nonNegativeInt(input.timeoutMs, 5_000, `${at}.timeoutMs`),
      };
    case 'jwks-file':
      return { ...common, kind: k, path: nonEmptyString(input.path, `${at}.path`) };
    case 'pem': {
      const pem = input.pem === undefined ? undefined : nonEmptyString(input.pem, `${at}.pem`);
      const pemFile = input.pemFile === undefined ? undefined : nonEmptyString(input.pemFile, `${at}.pemFile`);
      if ((pem === undefined) === (pemFile === undefined)) throw new TypeError(`${at} needs exactly one of pem and pemFile`);
      if (pem?.includes('PRIVATE KEY')) throw new TypeError(`${at}.pem holds a private key: configure the public key only`);
      return { ...common, kind: k, pem, pemFile };
    }
    case 'hmac':
      return { ...common, kind: k, secret: hmacSecret(input, at, env) };
  }
}

function hmacSecret(input: Record<string, unknown>, at: string, env: Readonly<Record<string, string | undefined>>): string {
  if ((input.secret === undefined) === (input.secretEnv === undefined)) {
    throw new TypeError(`${at} needs exactly one of secret and secretEnv`);
  }
  let secret: unknown = input.secret;
  let name = `${at}.secret`;
  if (input.secretEnv !== undefined) {
    const variable = nonEmptyString(input.secretEnv, `${at}.secretEnv`);
    secret = env[variable];
    name = `environment variable ${variable} (${at}.secretEnv)`;
  }
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError(`${name} is empty: an hmac source needs a secret`);
  if (Buffer.byteLength(secret, 'utf8') < minHmacSecretBytes) {
    throw new TypeError(`${name} is shorter than ${minHmacSecretBytes} bytes`);
  }
  return secret;
}

function algorithms(value: unknown, hmac: boolean, at: string): readonly string[] {
  if (value === undefined) return hmac ? [...defaultHmacAlgorithms] : [...defaultAsymmetricAlgorithms];
  if (!Array.isArray(value) || value.length === 0) throw new TypeError(`${at} must be a non-empty array of algorithm names`);
  for (const alg of value) {
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') throw new TypeError(`${at}: "none" is never accepted`);
    const allowed = hmac ? hmacAlgorithms : asymmetricAlgorithms;
    if (typeof alg !== 'string' || !allowed.has(alg)) {
      // An HMAC algorithm on a public-key source is the key-confusion attack; say so.
      throw new TypeError(`${at}: ${String(alg)} is not allowed here (allowed: ${[...allowed].join(', ')})`);
    }
  }
  return [...new Set(value as string[])];
}

function audience(value: unknown, at: string): string | string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.length > 0) return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0)) {
    return [...(value as string[])];
  }
  throw new TypeError(`${at} must be a non-empty string or array of non-empty strings`);
}

function httpUrl(value: unknown, at: string): string {
  const text = nonEmptyString(value, at);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${at} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${at} must be an http(s) URL`);
  return url.href;
}

export function nonEmptyString(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${at} must be a non-empty string`);
  return value;
}

export function nonNegativeInt(value: unknown, fallback: number, at: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${at} must be a non-negative integer`);
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
