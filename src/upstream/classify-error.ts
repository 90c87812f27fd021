import { GraphQLError, Kind } from 'graphql';
import { httpStatusByCode, type GatewayErrorCode } from '../errors';

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

  if (runtimeCode && runtimeCode in requestCodes) return requestError(requestCodes[runtimeCode]!, error.message);
  // A failure to reach an upstream that the runtime did not attribute to a service.
  if (isNetworkFailure(error)) return { code: 'UPSTREAM_UNAVAILABLE', message: 'An upstream service is unavailable.', status: 502 };
  // Request-level errors raised on purpose by graphql-js or Yoga without a code, which the
  // executor marks 4xx when it cannot even start: an operation name that matches nothing,
  // variables that are not JSON, variable values that do not coerce. The client can fix them.
  if (error.path === undefined && (isClientStatus(ext.http?.status) || error.originalError === undefined || error.originalError instanceof SyntaxError)) {
    if (error.originalError instanceof SyntaxError) return requestError('BAD_REQUEST', 'A request parameter is not valid JSON.');
    // graphql-js words its own errors for the client; what a custom scalar threw may carry anything.
    const foreign = hasForeignCause(error);
    const variable = variableOf(error);
    if (variable === undefined) return requestError('BAD_REQUEST', foreign ? 'The request cannot be run.' : error.message);
    // Invalid variable values are BAD_USER_INPUT, as Apollo Server answers.
    return requestError('BAD_USER_INPUT', foreign ? `Variable "$${variable}" got an invalid value.` : error.message);
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
  // Raised by loopgate's own fetch hooks (a path value refused at fetch time) or sent by a
  // GraphQL upstream with the same codes: the messages are written for clients.
  if (runtimeCode === 'NOT_FOUND' || runtimeCode === 'BAD_USER_INPUT') return { code: runtimeCode, message: error.message, status: 200 };
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

/** A request-level error: nothing ran, so the code decides the status. */
function requestError(code: GatewayErrorCode, message: string): PublicError {
  return { code, message, status: httpStatusByCode[code] };
}

function isClientStatus(status: unknown): boolean {
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The variable a request-level error is about: graphql-js points coercion errors at its definition. */
function variableOf(error: GraphQLError): string | undefined {
  const node = error.nodes?.find((n) => n.kind === Kind.VARIABLE_DEFINITION);
  return node?.kind === Kind.VARIABLE_DEFINITION ? node.variable.name.value : undefined;
}

/** Whether something other than graphql-js itself (a custom scalar, our code) threw underneath. */
function hasForeignCause(error: GraphQLError): boolean {
  for (let cause: unknown = error.originalError; cause !== undefined && cause !== null; cause = (cause as GraphQLError).originalError) {
    if (!(cause instanceof GraphQLError)) return true;
  }
  return false;
}

function isNetworkFailure(error: GraphQLError): boolean {
  const text = `${error.message} ${(error.originalError as { cause?: { code?: string } } | undefined)?.cause?.code ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|fetch failed|socket hang up|Unexpected response/i.test(text);
}
