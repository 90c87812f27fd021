import { isIP } from 'node:net';
import {
  isRecord,
  nonEmptyString,
  nonNegativeInt,
  normalizeKeySource,
  type KeySourceOptions,
  type NormalizedKeySource,
} from './key-source-options';

export type { KeySourceOptions, NormalizedKeySource } from './key-source-options';

/**
 * Where a token is looked for. The header is tried first, then the cookie; a header that is
 * present but malformed is an invalid token, never a reason to try the cookie.
 */
export interface TokenSourcesOptions {
  /** The header source; null turns it off. Default `{ name: 'authorization', scheme: 'Bearer' }`. */
  header?: { name?: string; scheme?: string } | null;
  /** The cookie source; null turns it off. Default null (cookies need CSRF care). */
  cookie?: { name: string } | null;
}

export interface AuthOptions {
  /** Refuse requests without a token with UNAUTHENTICATED. Default false: anonymous principal. */
  required?: boolean;
  /** Where tokens come from. Default: the Authorization header with the Bearer scheme only. */
  tokenSources?: TokenSourcesOptions;
  /** Key sources, one per issuer. Default [] (the dev key is used then, see `devKey`). */
  keySources?: KeySourceOptions[];
  /** Leeway for exp, nbf and iat checks. Default 30 seconds. */
  clockToleranceSeconds?: number;
  /** Refuse tokens whose `iat` is older than this (iat then required). Default null: no limit. */
  maxTokenAgeSeconds?: number | null;
  /** Refuse tokens longer than this, before any decoding. Default 8192 bytes. */
  maxTokenBytes?: number;
  /** Refuse tokens without `exp`. Default true. */
  requireExp?: boolean;
  /** Claims tried in order for the client id. Default ['azp', 'client_id', 'sub']. */
  clientIdClaims?: string[];
  /** Claim holding scopes (space-separated string or array). Default 'scope'. */
  scopeClaim?: string;
  /** Claim holding the client's tier. Default 'tier'. */
  tierClaim?: string;
  /** Peers whose X-Forwarded-For is believed: exact IPs or CIDR ranges. Default []. */
  trustedProxies?: string[];
  /** Claims sent upstream as headers, `{ 'x-user-id': 'sub' }`; incoming copies are stripped. Default {}. */
  forwardClaims?: Record<string, string>;
  /** Verified-token cache; maxEntries 0 turns it off. Default { maxEntries: 10000, maxTtlSeconds: 300 }. */
  tokenCache?: { maxEntries?: number; maxTtlSeconds?: number };
  /** Accept encrypted tokens (JWE). Default false; true is refused: not supported yet. */
  allowEncryptedTokens?: boolean;
  /** Dev key, used only when no key source is configured. Default { enabled: true, path: '.loopgate/dev-key.json' }. */
  devKey?: { enabled?: boolean; path?: string };
}

export interface NormalizedAuthOptions {
  required: boolean;
  tokenSources: { header: { name: string; scheme: string } | null; cookie: { name: string } | null };
  keySources: readonly NormalizedKeySource[];
  clockToleranceSeconds: number;
  maxTokenAgeSeconds: number | null;
  maxTokenBytes: number;
  requireExp: boolean;
  clientIdClaims: readonly string[];
  scopeClaim: string;
  tierClaim: string;
  trustedProxies: readonly string[];
  forwardClaims: Readonly<Record<string, string>>;
  tokenCache: { maxEntries: number; maxTtlSeconds: number };
  allowEncryptedTokens: false;
  /** Set only when no key source is configured and the dev key is enabled; path as given (cwd-relative). */
  devKey: { path: string } | null;
}

/** The issuer of tokens signed with the dev key. */
export const devKeyIssuer = 'loopgate-dev';

export const defaultAuthOptions = {
  required: false,
  tokenSources: { header: { name: 'authorization', scheme: 'Bearer' }, cookie: null },
  keySources: [],
  clockToleranceSeconds: 30,
  maxTokenAgeSeconds: null,
  maxTokenBytes: 8192,
  requireExp: true,
  clientIdClaims: ['azp', 'client_id', 'sub'],
  scopeClaim: 'scope',
  tierClaim: 'tier',
  trustedProxies: [],
  forwardClaims: {},
  tokenCache: { maxEntries: 10_000, maxTtlSeconds: 300 },
  allowEncryptedTokens: false,
  devKey: { enabled: true, path: '.loopgate/dev-key.json' },
} satisfies Required<AuthOptions>;

const topKeys = Object.keys(defaultAuthOptions);
// RFC 7230 token characters: anything else cannot be a header name.
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const cookieName = headerName;

/** Validates and fills in auth options once, at start; throws a TypeError naming the bad key. */
export function normalizeAuthOptions(
  input: unknown = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): NormalizedAuthOptions {
  if (!isRecord(input)) throw new TypeError('auth options must be an object');
  for (const key of Object.keys(input)) {
    if (!topKeys.includes(key)) throw new TypeError(`auth.${key} is not an auth option`);
  }
  const d = defaultAuthOptions;
  const keySourcesInput = input.keySources ?? [];
  if (!Array.isArray(keySourcesInput)) throw new TypeError('auth.keySources must be an array');
  const keySources = keySourcesInput.map((s, i) => normalizeKeySource(s, `auth.keySources[${i}]`, env));
  const issuers = new Set<string>();
  for (const [i, s] of keySources.entries()) {
    if (issuers.has(s.issuer)) throw new TypeError(`auth.keySources[${i}].issuer ${s.issuer} is used by another key source`);
    issuers.add(s.issuer);
  }
  if (input.allowEncryptedTokens !== undefined && input.allowEncryptedTokens !== false) {
    throw new TypeError('auth.allowEncryptedTokens: encrypted tokens (JWE) are not supported yet; leave it false');
  }
  const maxTokenAge = input.maxTokenAgeSeconds;
  return {
    required: bool(input.required, d.required, 'auth.required'),
    tokenSources: tokenSources(input.tokenSources),
    keySources,
    clockToleranceSeconds: nonNegativeInt(input.clockToleranceSeconds, d.clockToleranceSeconds, 'auth.clockToleranceSeconds'),
    maxTokenAgeSeconds:
      maxTokenAge === undefined || maxTokenAge === null ? null : positiveInt(maxTokenAge, 'auth.maxTokenAgeSeconds'),
    maxTokenBytes: positiveInt(input.maxTokenBytes ?? d.maxTokenBytes, 'auth.maxTokenBytes'),
    requireExp: bool(input.requireExp, d.requireExp, 'auth.requireExp'),
    clientIdClaims: stringList(input.clientIdClaims ?? d.clientIdClaims, 'auth.clientIdClaims', false),
    scopeClaim: nonEmptyString(input.scopeClaim ?? d.scopeClaim, 'auth.scopeClaim'),
    tierClaim: nonEmptyString(input.tierClaim ?? d.tierClaim, 'auth.tierClaim'),
    trustedProxies: trustedProxies(input.trustedProxies ?? d.trustedProxies),
    forwardClaims: forwardClaims(input.forwardClaims ?? d.forwardClaims),
    tokenCache: tokenCache(input.tokenCache),
    allowEncryptedTokens: false,
    devKey: devKey(input.devKey, keySources.length > 0),
  };
}

function tokenSources(value: unknown): NormalizedAuthOptions['tokenSources'] {
  if (value === undefined) return { header: { ...defaultAuthOptions.tokenSources.header }, cookie: null };
  if (!isRecord(value)) throw new TypeError('auth.tokenSources must be an object');
  only(value, ['header', 'cookie'], 'auth.tokenSources');
  let header: NormalizedAuthOptions['tokenSources']['header'] = { ...defaultAuthOptions.tokenSources.header };
  if (value.header === null) header = null;
  else if (value.header !== undefined) {
    if (!isRecord(value.header)) throw new TypeError('auth.tokenSources.header must be an object or null');
    only(value.header, ['name', 'scheme'], 'auth.tokenSources.header');
    const name = nonEmptyString(value.header.name ?? header.name, 'auth.tokenSources.header.name');
    if (!headerName.test(name)) throw new TypeError('auth.tokenSources.header.name is not a valid header name');
    const scheme = value.header.scheme ?? header.scheme;
    // An empty scheme means the whole header value is the token (e.g. `X-Api-Token: <jwt>`).
    if (typeof scheme !== 'string' || (scheme !== '' && !headerName.test(scheme))) {
      throw new TypeError('auth.tokenSources.header.scheme must be a single word or empty');
    }
    header = { name: name.toLowerCase(), scheme };
  }
  let cookie: NormalizedAuthOptions['tokenSources']['cookie'] = null;
  if (value.cookie !== undefined && value.cookie !== null) {
    if (!isRecord(value.cookie)) throw new TypeError('auth.tokenSources.cookie must be an object or null');
    only(value.cookie, ['name'], 'auth.tokenSources.cookie');
    const name = nonEmptyString(value.cookie.name, 'auth.tokenSources.cookie.name');
    if (!cookieName.test(name)) throw new TypeError('auth.tokenSources.cookie.name is not a valid cookie name');
    cookie = { name };
  }
  return { header, cookie };
}

function trustedProxies(value: unknown): string[] {
  const list = stringList(value, 'auth.trustedProxies', true);
  for (const entry of list) {
    const [address, bits, extra] = entry.split('/');
    const version = isIP(address);
    const okBits =
      bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32));
    if (version === 0 || !okBits || extra !== undefined) {
      throw new TypeError(`auth.trustedProxies: ${entry} is not an IP address or CIDR range`);
    }
  }
  return list;
}

function forwardClaims(value: unknown): Record<string, string> {
  if (!isRecord(value)) throw new TypeError('auth.forwardClaims must be an object { header: claim }');
  const out: Record<string, string> = {};
  for (const [header, claim] of Object.entries(value)) {
    if (!headerName.test(header)) throw new TypeError(`auth.forwardClaims: ${header} is not a valid header name`);
    out[header.toLowerCase()] = nonEmptyString(claim, `auth.forwardClaims.${header}`);
  }
  return out;
}

function tokenCache(value: unknown): NormalizedAuthOptions['tokenCache'] {
  const d = defaultAuthOptions.tokenCache;
  if (value === undefined) return { ...d };
  if (!isRecord(value)) throw new TypeError('auth.tokenCache must be an object');
  only(value, ['maxEntries', 'maxTtlSeconds'], 'auth.tokenCache');
  return {
    maxEntries: nonNegativeInt(value.maxEntries, d.maxEntries, 'auth.tokenCache.maxEntries'),
    maxTtlSeconds: nonNegativeInt(value.maxTtlSeconds, d.maxTtlSeconds, 'auth.tokenCache.maxTtlSeconds'),
  };
}

function devKey(value: unknown, hasKeySources: boolean): NormalizedAuthOptions['devKey'] {
  const d = defaultAuthOptions.devKey;
  if (value !== undefined && !isRecord(value)) throw new TypeError('auth.devKey must be an object');
  const v = value ?? {};
  only(v, ['enabled', 'path'], 'auth.devKey');
  const enabled = bool(v.enabled, d.enabled, 'auth.devKey.enabled');
  const path = nonEmptyString(v.path ?? d.path, 'auth.devKey.path');
  // The dev key must never sit beside real keys: a token it signs would pass in production.
  if (hasKeySources && v.enabled === true) throw new TypeError('auth.devKey.enabled cannot be true when keySources are configured');
  return enabled && !hasKeySources ? { path } : null;
}

function only(value: Record<string, unknown>, keys: string[], at: string): void {
  for (const key of Object.keys(value)) if (!keys.includes(key)) throw new TypeError(`${at}.${key} is not an option`);
}

function bool(value: unknown, fallback: boolean, at: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${at} must be a boolean`);
  return value;
}

function positiveInt(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new TypeError(`${at} must be a positive integer`);
  return value;
}

function stringList(value: unknown, at: string, allowEmpty: boolean): string[] {
  if (!Array.isArray(value) || (!allowEmpty && value.length === 0) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new TypeError(`${at} must be ${allowEmpty ? 'an' : 'a non-empty'} array of non-empty strings`);
  }
  return [...(value as string[])];
}
