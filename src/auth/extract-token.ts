import type { NormalizedAuthOptions } from './options';

export type ExtractedToken =
  | { kind: 'none' }
  | { kind: 'token'; token: string; source: 'header' | 'cookie' }
  | { kind: 'malformed'; reason: string };

// base64url segments separated by dots: the only shape a compact JWS or JWE can have.
const compactShape = /^[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*$/;

/**
 * True when `token` is made of base64url segments and dots. Checked by the authenticator only
 * when the token cache misses: a hit means this exact string passed the check before.
 */
export function isCompactJwtShape(token: string): boolean {
  return compactShape.test(token);
}

/**
 * Finds the token: the header first, then the cookie. A header that is present but unusable
 * is malformed, so a client with a broken token is refused rather than treated as anonymous.
 * The token's characters are not checked here (see `isCompactJwtShape`).
 */
export function extractToken(headers: Headers, sources: NormalizedAuthOptions['tokenSources']): ExtractedToken {
  if (sources.header) {
    const value = headers.get(sources.header.name);
    if (value !== null) return fromHeader(value, sources.header.scheme);
  }
  if (sources.cookie) {
    const cookie = headers.get('cookie');
    if (cookie !== null) return fromCookie(cookie, sources.cookie.name);
  }
  return { kind: 'none' };
}

function fromHeader(value: string, scheme: string): ExtractedToken {
  let token = value.trim();
  if (scheme !== '') {
    const space = token.indexOf(' ');
    // Schemes are case-insensitive (RFC 9110 §11.1); a different scheme is not ours to ignore.
    // The exact spelling is checked first: it is the common case and allocates nothing.
    const sameScheme =
      space === scheme.length && (token.startsWith(scheme) || token.slice(0, space).toLowerCase() === scheme.toLowerCase());
    if (!sameScheme) return { kind: 'malformed', reason: `header does not use the ${scheme} scheme` };
    token = token.slice(space + 1).trimStart();
  }
  return nonEmpty(token, 'header');
}

function fromCookie(header: string, name: string): ExtractedToken {
  let found: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    // Two different values under one name means a cookie was planted (e.g. from a sibling
    // subdomain); refusing is safer than guessing which one the client meant.
    if (found !== undefined && found !== value) return { kind: 'malformed', reason: 'cookie appears twice with different values' };
    found = value;
  }
  if (found === undefined || found === '') return { kind: 'none' };
  return nonEmpty(found, 'cookie');
}

function nonEmpty(token: string, source: 'header' | 'cookie'): ExtractedToken {
  return token === '' ? { kind: 'malformed', reason: `empty token in ${source}` } : { kind: 'token', token, source };
}
