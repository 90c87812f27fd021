import type { Principal } from './principal';

// Visible ASCII, space and tab: anything else (CR, LF, NUL, non-Latin-1) cannot be sent safely.
const safeHeaderValue = /^[\t\x20-\x7e]*$/;

/**
 * The headers to send upstream: a copy of the incoming ones with every configured claim header
 * removed (so a client cannot forge them), then set from the principal's verified claims.
 * Anonymous principals get the headers removed and nothing set.
 */
export function buildForwardHeaders(
  forwardClaims: Readonly<Record<string, string>>,
  incoming: Headers,
  principal: Principal,
): Headers {
  const out = new Headers(incoming);
  for (const header of Object.keys(forwardClaims)) out.delete(header);
  if (principal.anonymous) return out;
  for (const [header, claim] of Object.entries(forwardClaims)) {
    const value = claimToHeaderValue(principal.claims[claim]);
    if (value !== undefined) out.set(header, value);
  }
  return out;
}

/** Strings and numbers as they are, arrays joined by spaces (like `scope`), objects as JSON. */
export function claimToHeaderValue(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) text = value.join(' ');
  else if (value !== null && typeof value === 'object') text = JSON.stringify(value);
  else return undefined;
  return safeHeaderValue.test(text) ? text : undefined;
}
