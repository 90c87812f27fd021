import type { GraphQLError } from 'graphql';
import { gatewayError } from '../errors';
import type { AuthFailureCode } from './create-authenticator';

/** Fixed public messages: they never echo the token, jose's message or the internal reason. */
export const publicAuthMessages: Record<AuthFailureCode, string> = {
  UNAUTHENTICATED: 'Authentication is required.',
  INVALID_TOKEN: 'The access token is invalid.',
  TOKEN_EXPIRED: 'The access token is expired or not yet valid.',
};

/** The client-facing error for a failed authentication, with an RFC 6750 WWW-Authenticate header. */
export function authFailureError(failure: { code: AuthFailureCode }): GraphQLError {
  const challenge =
    failure.code === 'UNAUTHENTICATED' ? 'Bearer realm="loopgate"' : 'Bearer realm="loopgate", error="invalid_token"';
  return gatewayError(failure.code, publicAuthMessages[failure.code], { headers: { 'WWW-Authenticate': challenge } });
}
