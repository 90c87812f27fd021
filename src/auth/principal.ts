/** Who is calling: a verified token's identity, or an anonymous client keyed by its address. */
export interface Principal {
  /** Budget and feedback key: a claim from `clientIdClaims`, or `anon:<address>`. */
  clientId: string;
  /** The token's `sub`, when present. */
  subject?: string;
  /** Scopes granted by the token; empty for anonymous clients. */
  scopes: ReadonlySet<string>;
  /** The client's tier claim, when present and a string. */
  tier?: string;
  /** The verified claims (frozen); empty for anonymous clients. */
  claims: Readonly<Record<string, unknown>>;
  anonymous: boolean;
  /** The client's address (after trusted-proxy resolution). */
  sourceAddress: string;
}

/** Prefix of anonymous client ids; tokens may not claim an id that starts with it. */
export const anonymousPrefix = 'anon:';

/**
 * Longest client id a token may carry: it is a budget key, a metrics label and a path segment
 * of the admin API (whose default limit is this one), so it must stay short and printable.
 */
export const maxClientIdLength = 256;
// Control characters would break log lines and admin URLs.
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** The identity part of a principal, the same for every request that carries one token. */
export type Identity = Omit<Principal, 'sourceAddress' | 'anonymous'>;

export interface ClaimNames {
  clientIdClaims: readonly string[];
  scopeClaim: string;
  tierClaim: string;
}

const emptyScopes: ReadonlySet<string> = new Set();
const emptyClaims: Readonly<Record<string, unknown>> = Object.freeze({});

/** A token's principal for one request. Fields spelled out: an object spread here costs ~1 µs per call. */
export function principalFromIdentity(identity: Identity, sourceAddress: string): Principal {
  return {
    clientId: identity.clientId,
    subject: identity.subject,
    scopes: identity.scopes,
    tier: identity.tier,
    claims: identity.claims,
    anonymous: false,
    sourceAddress,
  };
}

export function anonymousPrincipal(sourceAddress: string): Principal {
  return {
    clientId: `${anonymousPrefix}${sourceAddress}`,
    scopes: emptyScopes,
    claims: emptyClaims,
    anonymous: true,
    sourceAddress,
  };
}

/**
 * Reads the identity out of verified claims. Returns a string reason instead when the token
 * names no usable client id, or one in the anonymous namespace (that would let a token holder
 * share, and drain, the budget of an anonymous address).
 */
export function identityFromClaims(claims: Record<string, unknown>, names: ClaimNames): Identity | string {
  let clientId: string | undefined;
  for (const name of names.clientIdClaims) {
    const value = claims[name];
    if (typeof value === 'string' && value.length > 0) {
      clientId = value;
      break;
    }
  }
  if (clientId === undefined) return `no client id claim (${names.clientIdClaims.join(', ')})`;
  if (clientId.startsWith(anonymousPrefix)) return `client id uses the reserved ${anonymousPrefix} prefix`;
  if (clientId.length > maxClientIdLength) return `client id longer than ${maxClientIdLength} characters`;
  if (controlCharacters.test(clientId)) return 'client id contains control characters';
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  const tier = claims[names.tierClaim];
  return {
    clientId,
    ...(subject === undefined ? {} : { subject }),
    scopes: parseScopes(claims[names.scopeClaim]),
    ...(typeof tier === 'string' ? { tier } : {}),
    claims: Object.freeze({ ...claims }),
  };
}

/** OAuth2 space-separated string or an array of strings; anything else grants nothing. */
export function parseScopes(value: unknown): ReadonlySet<string> {
  if (typeof value === 'string') return new Set(value.split(/\s+/).filter((s) => s.length > 0));
  if (Array.isArray(value)) return new Set(value.filter((s): s is string => typeof s === 'string' && s.length > 0));
  return emptyScopes;
}
