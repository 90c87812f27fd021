import { createHash, timingSafeEqual } from 'node:crypto';
import { errorResponse } from './http';
import type { NormalizedAdminOptions } from './options';

export type AdminAuthResult = { actor: string } | { response: Response };

/** Digests have a fixed length, so comparing them leaks neither the token nor its length. */
function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), expected);
}

/** The bearer token of an Authorization header, or undefined when there is none. */
export function bearerToken(header: string | null): string | undefined {
  if (header === null) return undefined;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/**
 * Checks the admin credential of a request: the static token first (cheap, constant time), then
 * the JWT verifier. Missing -> 401 UNAUTHENTICATED, wrong -> 401 INVALID_TOKEN, a valid JWT
 * without the admin scope -> 403 FORBIDDEN.
 */
export function createAdminAuthenticator(credentials: NormalizedAdminOptions['credentials']): (request: Request) => Promise<AdminAuthResult> {
  const expected = credentials.token !== undefined ? createHash('sha256').update(credentials.token).digest() : undefined;
  const challenge = { 'www-authenticate': 'Bearer realm="loopgate-admin"' };
  return async (request) => {
    const token = bearerToken(request.headers.get('authorization'));
    if (token === undefined) {
      return { response: errorResponse('UNAUTHENTICATED', 'an admin bearer token is required', { headers: challenge }) };
    }
    if (expected !== undefined && sameSecret(token, expected)) return { actor: 'token' };
    if (credentials.verifyJwt !== undefined) {
      let identity;
      try {
        identity = await credentials.verifyJwt(token);
      } catch {
        identity = undefined;
      }
      if (identity !== undefined) {
        if (!identity.scopes.has(credentials.adminScope)) {
          return { response: errorResponse('FORBIDDEN', `the token lacks the ${credentials.adminScope} scope`) };
        }
        return { actor: identity.subject };
      }
    }
    return { response: errorResponse('INVALID_TOKEN', 'the admin token is not valid', { headers: challenge }) };
  };
}
