export { authFailureError, publicAuthMessages } from './auth-error';
export { createProxyTrust, resolveClientAddress, type ProxyTrust } from './client-address';
export {
  createAuthenticator,
  type AuthenticateInput,
  type Authenticator,
  type AuthenticatorHooks,
  type AuthFailureCode,
  type AuthFailureEvent,
  type AuthResult,
} from './create-authenticator';
export { loadOrCreateDevKey, type DevKeyFile } from './dev-key';
export { extractToken, type ExtractedToken } from './extract-token';
export { buildForwardHeaders, claimToHeaderValue } from './forward-headers';
export {
  defaultAuthOptions,
  devKeyIssuer,
  normalizeAuthOptions,
  type AuthOptions,
  type KeySourceOptions,
  type NormalizedAuthOptions,
  type NormalizedKeySource,
  type TokenSourcesOptions,
} from './options';
export { anonymousPrincipal, identityFromClaims, parseScopes, type Principal } from './principal';
