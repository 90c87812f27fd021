import { decodeJwt } from 'jose';
import type { Plugin } from 'graphql-yoga';
import { requestState } from '../gateway/request-state';
import { authFailureError } from './auth-error';
import type { Authenticator } from './create-authenticator';
import { extractToken } from './extract-token';
import type { NormalizedAuthOptions } from './options';

export interface AuthPluginOptions {
  authenticator: Authenticator;
  options: NormalizedAuthOptions;
  /** Told of every token check: success, or the failure code; `cached` when the token cache answered. */
  onVerified?: (ok: boolean, code: string | undefined, cached: boolean) => void;
  /** Told of every failed authentication, with the unverified subject when the token named one. */
  onFailure?: (failure: { sourceAddress: string; code: string; claimedSubject?: string }) => void;
}

/**
 * Ties every GraphQL request to a principal before its body is even parsed: a verified token,
 * or an anonymous principal keyed by source address. A bad token ends the request with 401.
 */
export function useAuth({ authenticator, options, onVerified, onFailure }: AuthPluginOptions): Plugin {
  return {
    async onRequestParse({ request, serverContext }) {
      const remoteAddress = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress ?? 'unknown';
      const result = await authenticator.authenticate({ headers: request.headers, remoteAddress });
      if (result.ok) {
        if (!result.principal.anonymous) onVerified?.(true, undefined, result.cached);
        requestState(request).principal = result.principal;
        return;
      }
      onVerified?.(false, result.code, false);
      onFailure?.({ sourceAddress: result.sourceAddress, code: result.code, claimedSubject: claimedSubject(request.headers, options) });
      throw authFailureError(result);
    },
  };
}

/**
 * The subject a failed token claims, unverified: used only to count distinct subjects tried
 * from one address (credential stuffing), never to charge or penalise that subject.
 */
function claimedSubject(headers: Headers, options: NormalizedAuthOptions): string | undefined {
  try {
    const extracted = extractToken(headers, options.tokenSources);
    if (extracted.kind !== 'token') return undefined;
    const sub = decodeJwt(extracted.token).sub;
    return typeof sub === 'string' ? sub.slice(0, 256) : undefined;
  } catch {
    return undefined;
  }
}
