import { decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions, type KeyObject } from 'jose';
import type { VerifierSource } from './key-sources';

export interface VerifySettings {
  clockToleranceSeconds: number;
  maxTokenAgeSeconds: number | null;
  requireExp: boolean;
}

export type VerifyOutcome =
  | { ok: true; claims: JWTPayload }
  | {
      ok: false;
      code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED';
      /** For logs only: may carry jose's message, never the token. */
      reason: string;
      /** Set only when the signature was verified (a claim check failed after it). */
      verifiedClaims?: JWTPayload;
    };

/** Picks the key source for a token: the only one, or the one whose issuer the token names. */
export type SourceRouter = (token: string) => VerifierSource | string;

export function createSourceRouter(sources: readonly VerifierSource[]): SourceRouter {
  if (sources.length === 0) return () => 'no key source is configured';
  if (sources.length === 1) return () => sources[0];
  const byIssuer = new Map(sources.map((s) => [s.issuer, s]));
  return (token) => {
    let iss: unknown;
    try {
      // Unverified, and used only to choose where to verify: the chosen source checks iss again.
      iss = decodeJwt(token).iss;
    } catch {
      return 'payload is not a decodable JWT';
    }
    return (typeof iss === 'string' && byIssuer.get(iss)) || 'no key source for the token issuer';
  };
}

/** Verifies a compact token against the source the router picks; never throws. */
export async function verifyToken(
  token: string,
  route: SourceRouter,
  settings: VerifySettings,
  nowMs: number,
): Promise<VerifyOutcome> {
  const parts = token.split('.').length;
  if (parts === 5) return { ok: false, code: 'INVALID_TOKEN', reason: 'encrypted tokens (JWE) are not accepted' };
  if (parts !== 3) return { ok: false, code: 'INVALID_TOKEN', reason: 'not a compact JWS (3 parts)' };
  const source = route(token);
  if (typeof source === 'string') return { ok: false, code: 'INVALID_TOKEN', reason: source };
  const options: JWTVerifyOptions = {
    algorithms: source.algorithms,
    issuer: source.issuer,
    audience: source.audience,
    typ: source.typ,
    clockTolerance: settings.clockToleranceSeconds,
    currentDate: new Date(nowMs),
    ...(settings.maxTokenAgeSeconds === null ? {} : { maxTokenAge: settings.maxTokenAgeSeconds }),
    ...(settings.requireExp ? { requiredClaims: ['exp'] } : {}),
  };
  try {
    const { payload } = await jwtVerify(token, source.getKey, options);
    return checkIssuedAt(payload, settings, nowMs);
  } catch (error) {
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      const outcome = await tryEach(token, error, options);
      return outcome.ok ? checkIssuedAt(outcome.claims, settings, nowMs) : outcome;
    }
    return failure(error);
  }
}

/**
 * jose checks `iat` only against a maximum age; a token issued in the future (beyond the clock
 * tolerance) comes from a wrong clock or a forger who wants a token that never ages.
 */
function checkIssuedAt(claims: JWTPayload, settings: VerifySettings, nowMs: number): VerifyOutcome {
  if (typeof claims.iat === 'number' && claims.iat > nowMs / 1000 + settings.clockToleranceSeconds) {
    return { ok: false, code: 'INVALID_TOKEN', reason: 'iat is in the future', verifiedClaims: claims };
  }
  return { ok: true, claims };
}

/** A token without `kid` while the set holds several candidate keys: try each (rotation periods). */
async function tryEach(
  token: string,
  candidates: errors.JWKSMultipleMatchingKeys,
  options: JWTVerifyOptions,
): Promise<VerifyOutcome> {
  let last: unknown = candidates;
  for await (const key of candidates as unknown as AsyncIterable<CryptoKey | KeyObject>) {
    try {
      const { payload } = await jwtVerify(token, key, options);
      return { ok: true, claims: payload };
    } catch (error) {
      last = error;
      // A claim failure means this key verified the signature: no other key will change that.
      if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) break;
    }
  }
  return failure(last);
}

function failure(error: unknown): VerifyOutcome {
  // JWTExpired covers exp and maxTokenAge; both checks run only after the signature verified.
  if (error instanceof errors.JWTExpired) {
    return { ok: false, code: 'TOKEN_EXPIRED', reason: describe(error), verifiedClaims: error.payload };
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const notYet = error.claim === 'nbf' && error.reason === 'check_failed';
    return { ok: false, code: notYet ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN', reason: describe(error), verifiedClaims: error.payload };
  }
  return { ok: false, code: 'INVALID_TOKEN', reason: describe(error) };
}

function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return 'verification failed';
}
