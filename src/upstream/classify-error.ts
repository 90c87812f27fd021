import type { GraphQLError } from 'graphql';
import type { GatewayErrorCode } from '../errors';

export interface PublicError {
  code: GatewayErrorCode;
  message: string;
  /** The status this error asks for when nothing else in the response succeeded. */
  status: number;
}

interface RuntimeErrorExtensions {
  code?: unknown;
  serviceName?: unknown;
  response?: { status?: unknown };
  http?: { status?: unknown };
}

const requestCodes: Record<string, GatewayErrorCode> = {
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'BAD_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_REQUEST',
};

/**
 * Turns any error the runtime produced into what a client may see: a loopgate code and a
 * message that never carries upstream addresses, bodies, headers or stack traces.
 * Errors that already carry a loopgate code (from our own plugins) are left to the caller.
 */
export function classifyError(error: GraphQLError): PublicError {
  const ext = (error.extensions ?? {}) as RuntimeErrorExtensions;
  const runtimeCode = typeof ext.code === 'string' ? ext.code : undefined;
  const service = typeof ext.serviceName === 'string' ? ext.serviceName : undefined;
  if (service !== undefined) return classifyUpstreamError(error, service, runtimeCode, ext);

  if (runtimeCode && runtimeCode in requestCodes) {
    const code = requestCodes[runtimeCode]!;
    const status = typeof ext.http?.status === 'number' ? ext.http.status : 400;
    return { code, message: error.message, status };
  }
  // A failure to reach an upstream that the runtime did not attribute to a service.
  if (isNetworkFailure(error)) return { code: 'UPSTREAM_UNAVAILABLE', message: 'An upstream service is unavailable.', status: 502 };
  // Request-level errors raised on purpose by graphql-js or Yoga without a code: an operation
  // name that matches nothing, variables that are not JSON. The client can fix them.
  if (error.path === undefined && (error.originalError === undefined || error.originalError instanceof SyntaxError)) {
    const message = error.originalError instanceof SyntaxError ? 'A request parameter is not valid JSON.' : error.message;
    return { code: 'BAD_REQUEST', message, status: 400 };
  }
  // Anything else is ours: the details go to the log only.
  return { code: 'INTERNAL', message: 'Unexpected error.', status: 500 };
}

function classifyUpstreamError(error: GraphQLError, service: string, runtimeCode: string | undefined, ext: RuntimeErrorExtensions): PublicError {
  if (runtimeCode === 'UPSTREAM_UNAVAILABLE') {
    return { code: 'UPSTREAM_UNAVAILABLE', message: `Upstream "${service}" is unavailable.`, status: 502 };
  }
  // "aborted": a call that shared an in-flight request (the HTTP executor deduplicates
  // identical ones) whose owner hit the upstream timeout.
  if (runtimeCode === 'GATEWAY_TIMEOUT' || /timeout|timed out|operation was aborted/i.test(error.message)) {
    return { code: 'UPSTREAM_UNAVAILABLE', message: `Upstream "${service}" did not answer in time.`, status: 504 };
  }
  // The runtime refusing an argument before calling the upstream (e.g. a malformed BigInt) says 400.
  if (ext.http?.status === 400 && ext.response === undefined) {
    return { code: 'BAD_USER_INPUT', message: `An argument for "${service}" is not valid.`, status: 400 };
  }
  const upstreamStatus = typeof ext.response?.status === 'number' ? ext.response.status : undefined;
  if (upstreamStatus === 404) return { code: 'NOT_FOUND', message: `Upstream "${service}" found no such resource.`, status: 200 };
  if (upstreamStatus !== undefined && upstreamStatus >= 400 && upstreamStatus < 500) {
    return { code: 'BAD_USER_INPUT', message: `Upstream "${service}" rejected the input (HTTP ${upstreamStatus}).`, status: 200 };
  }
  if (
    (upstreamStatus !== undefined && upstreamStatus >= 500) ||
    runtimeCode === 'RESPONSE_VALIDATION_FAILED' ||
    runtimeCode === 'DOWNSTREAM_SERVICE_ERROR' ||
    isNetworkFailure(error)
  ) {
    return { code: 'UPSTREAM_UNAVAILABLE', message: `Upstream "${service}" is unavailable.`, status: 502 };
  }
  // A GraphQL upstream answered with an error of its own: its message is meant for clients.
  return { code: 'UPSTREAM_ERROR', message: error.message, status: 200 };
}

function isNetworkFailure(error: GraphQLError): boolean {
  const text = `${error.message} ${(error.originalError as { cause?: { code?: string } } | undefined)?.cause?.code ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|fetch failed|socket hang up|Unexpected response/i.test(text);
}
