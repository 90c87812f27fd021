import { createProxyTrust, resolveClientAddress } from './client-address';
import { extractToken, isCompactJwtShape } from './extract-token';
import { buildForwardHeaders } from './forward-headers';
import { buildVerifierSources } from './key-sources';
import type { NormalizedAuthOptions } from './options';
import { anonymousPrincipal, identityFromClaims, principalFromIdentity, type Identity, type Principal } from './principal';
import { createTokenCache, hashToken } from './token-cache';
import { createSourceRouter, verifyToken } from './verify-token';

export type AuthFailureCode = 'UNAUTHENTICATED' | 'INVALID_TOKEN' | 'TOKEN_EXPIRED';

export type AuthResult =
  | { ok: true; principal: Principal; cached: boolean }
  | {
      ok: false;
      code: AuthFailureCode;
      /** For logs only: may carry jose's message, never the token. Not for clients. */
      reason: string;
      sourceAddress: string;
      /** Set only when the token's signature verified (e.g. expired): unverified claims are never trusted. */
      clientId?: string;
      subject?: string;
    };

/** One auth failure, for the feedback loop and the log. */
export interface AuthFailureEvent {
  clientId?: string;
  subject?: string;
  sourceAddress: string;
  code: AuthFailureCode;
  reason: string;
  atMs: number;
}

export interface AuthenticatorHooks {
  /** The clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Called once per failed authentication; must not throw (errors are swallowed). */
  onAuthFailure?: (event: AuthFailureEvent) => void;
  /** Where the dev key path is resolved. Default process.cwd(). */
  cwd?: string;
}

export interface AuthenticateInput {
  headers: Headers;
  /** The direct peer's address (socket.remoteAddress). */
  remoteAddress: string;
}

export interface Authenticator {
  authenticate(input: AuthenticateInput): Promise<AuthResult>;
  /** The headers to send upstream: forwarded claim headers stripped from `incoming`, then set from the principal. */
  forwardHeaders(incoming: Headers, principal: Principal): Headers;
  dispose(): void;
}

/** Builds the key sources (reads files, loads or makes the dev key) and returns the authenticator. */
export async function createAuthenticator(
  options: NormalizedAuthOptions,
  hooks: AuthenticatorHooks = {},
): Promise<Authenticator> {
  const now = hooks.now ?? Date.now;
  const route = createSourceRouter(await buildVerifierSources(options, now, hooks.cwd));
  const trust = createProxyTrust(options.trustedProxies);
  const cache = options.tokenCache.maxEntries > 0 ? createTokenCache(options.tokenCache.maxEntries) : undefined;
  const maxTtlMs = options.tokenCache.maxTtlSeconds * 1000;

  const fail = (
    code: AuthFailureCode,
    reason: string,
    sourceAddress: string,
    who?: { clientId?: string; subject?: string },
  ): AuthResult => {
    const result = { ok: false as const, code, reason, sourceAddress, ...who };
    try {
      hooks.onAuthFailure?.({ ...who, sourceAddress, code, reason, atMs: now() });
    } catch {
      // A broken listener must not turn an auth answer into a 500.
    }
    return result;
  };

  const cacheExpiry = (identity: Identity, verifiedAtMs: number): number | undefined => {
    const { exp, iat } = identity.claims;
    if (typeof exp !== 'number') return undefined; // nothing bounds it: verify every time
    let until = Math.min(exp * 1000, verifiedAtMs + maxTtlMs);
    if (options.maxTokenAgeSeconds !== null && typeof iat === 'number') {
      until = Math.min(until, (iat + options.maxTokenAgeSeconds) * 1000);
    }
    return until;
  };

  /** The slow path: a full verification, then the cache is filled. */
  const verifyAndCache = async (token: string, cacheKey: string, sourceAddress: string, nowMs: number): Promise<AuthResult> => {
    const outcome = await verifyToken(token, route, options, nowMs);
    if (!outcome.ok) {
      const who = outcome.verifiedClaims ? identityFromClaims(outcome.verifiedClaims, options) : undefined;
      const known = typeof who === 'object' ? { clientId: who.clientId, ...(who.subject ? { subject: who.subject } : {}) } : undefined;
      return fail(outcome.code, outcome.reason, sourceAddress, known);
    }
    const identity = identityFromClaims(outcome.claims, options);
    if (typeof identity === 'string') return fail('INVALID_TOKEN', identity, sourceAddress);
    if (cache) {
      const until = cacheExpiry(identity, nowMs);
      if (until !== undefined) cache.set(cacheKey, identity, until);
    }
    return { ok: true, principal: principalFromIdentity(identity, sourceAddress), cached: false };
  };

  /** Everything up to the cache lookup is synchronous, so a cache hit costs no extra await. */
  const authenticateSync = ({ headers, remoteAddress }: AuthenticateInput): AuthResult | Promise<AuthResult> => {
    const peer = remoteAddress ?? '';
    // Reading X-Forwarded-For costs a header lookup; skip it when the peer could not vouch for it.
    const forwardedFor = trust.isTrusted(peer) ? headers.get('x-forwarded-for') : null;
    const sourceAddress = resolveClientAddress(peer, forwardedFor, trust);
    const found = extractToken(headers, options.tokenSources);
    if (found.kind === 'none') {
      if (options.required) return fail('UNAUTHENTICATED', 'no token', sourceAddress);
      return { ok: true, principal: anonymousPrincipal(sourceAddress), cached: false };
    }
    if (found.kind === 'malformed') return fail('INVALID_TOKEN', found.reason, sourceAddress);
    const { token } = found;
    if (token.length > options.maxTokenBytes) {
      return fail('INVALID_TOKEN', `token longer than ${options.maxTokenBytes} bytes`, sourceAddress);
    }
    const nowMs = now();
    const cacheKey = cache ? hashToken(token) : '';
    const hit = cache?.get(cacheKey, nowMs);
    if (hit) return { ok: true, principal: principalFromIdentity(hit, sourceAddress), cached: true };
    if (!isCompactJwtShape(token)) return fail('INVALID_TOKEN', 'token is not a compact JWT', sourceAddress);
    return verifyAndCache(token, cacheKey, sourceAddress, nowMs);
  };

  return {
    authenticate(input) {
      try {
        return Promise.resolve(authenticateSync(input));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    forwardHeaders(incoming, principal) {
      return buildForwardHeaders(options.forwardClaims, incoming, principal);
    },
    dispose() {
      // Nothing holds a timer or socket: jose fetches JWKS on demand. Kept so callers need not change
      // when a source gains background work.
    },
  };
}
