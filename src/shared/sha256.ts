import * as nodeCrypto from 'node:crypto';

// crypto.hash (Node >= 20.12) is the one-shot form, about a third cheaper than createHash; it is
// on the request path (token cache keys, operation ids), so the cheaper form is worth a check.
const oneShot = (nodeCrypto as { hash?: (alg: string, data: string, encoding: 'base64url') => string }).hash;

/** SHA-256 of a string, base64url-encoded. */
export function sha256Base64url(value: string): string {
  return oneShot ? oneShot('sha256', value, 'base64url') : nodeCrypto.createHash('sha256').update(value).digest('base64url');
}
