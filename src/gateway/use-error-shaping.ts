import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCode, httpStatusByCode, type GatewayErrorCode } from '../errors';
import { classifyError } from '../upstream/classify-error';

export interface ErrorShapingOptions {
  /** Whether this request may see "Did you mean" hints (only when it may see the schema). Default: never. */
  showSuggestions?: (request: Request) => boolean;
  /** Where unexpected errors are reported in full (never sent to clients). Default: stderr. */
  logUnexpected?: (error: GraphQLError) => void;
}

/**
 * The last word on every response: each error gets a loopgate code and a public message
 * (upstream addresses, bodies and stack traces are dropped), and the HTTP status follows the
 * rule "partial data is 200; otherwise the most severe error decides".
 */
export function useErrorShaping(options: ErrorShapingOptions = {}): Plugin {
  const logUnexpected = options.logUnexpected ?? ((e) => process.stderr.write(`loopgate: unexpected error: ${e.message}\n`));
  const showSuggestions = options.showSuggestions ?? (() => false);
  return {
    onResultProcess({ request, result, setResult }) {
      const shape = (r: ExecutionResult) => {
        const shaped = shapeResult(r, logUnexpected);
        return showSuggestions(request) ? shaped : withoutSchemaHints(shaped);
      };
      if (Array.isArray(result)) setResult(result.map((r) => shape(r as ExecutionResult)));
      else if (isExecutionResult(result)) setResult(shape(result));
    },
  };
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === 'object' && value !== null && ('errors' in value || 'data' in value);
}

export function shapeResult(result: ExecutionResult, logUnexpected: (e: GraphQLError) => void): ExecutionResult {
  if (!result.errors?.length) return result;
  const hasData = result.data !== null && result.data !== undefined;
  // No `data` key: nothing executed (request, parse, validation, variables, limits, budget).
  const requestLevel = !('data' in result);
  const errors = result.errors.map((error) => {
    const code = errorCode(error);
    const fromUpstream = (error.extensions as { serviceName?: unknown }).serviceName !== undefined;
    if (code && !fromUpstream) return publicError(error, code, hasData, requestLevel);
    const shaped = classifyError(error);
    if (shaped.code === 'INTERNAL') logUnexpected(error);
    return new GraphQLError(shaped.message, {
      path: error.path,
      // Locations point into the client's own document; they reveal nothing of ours.
      source: error.source,
      positions: error.positions,
      extensions: {
        code: shaped.code,
        ...(hasData ? {} : { http: { status: shaped.status } }),
      },
    });
  });
  return { ...result, errors };
}

/** Hides "Did you mean ...?" hints, which would let a client map the schema by guessing. */
// What a validation message tells about the schema beyond what was sent: "Did you mean" lists
// real names, and "may not be used on" (against "Unknown directive") confirms that a directive
// exists, the gateway's internal ones included.
const suggestion = / Did you mean .*$/s;
const directiveHint = /^(?:Unknown directive "@([^"]+)"\.|Directive "@([^"]+)" may not be used on [A-Z_]+\.)$/;

/** The result without schema hints, for clients that may not introspect. */
function withoutSchemaHints(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((e) => suggestion.test(e.message) || directiveHint.test(e.message))) return result;
  return {
    ...result,
    errors: result.errors.map((e) => {
      const directive = directiveHint.exec(e.message);
      const message = directive ? `Directive "@${directive[1] ?? directive[2]}" is unknown or not allowed here.` : e.message.replace(suggestion, '');
      return message === e.message ? e : new GraphQLError(message, { source: e.source, positions: e.positions, path: e.path, extensions: e.extensions });
    }),
  };
}

/** Extensions that may carry internals (causes, stacks, upstream requests): never sent. */
const internalExtensions = ['originalError', 'stacktrace', 'exception', 'unexpected', 'serviceName', 'request', 'response'];

type HttpExtension = { status?: number; headers?: Record<string, string>; spec?: boolean };

/**
 * An error that already has a loopgate code, with internal extensions dropped. Its HTTP status
 * only counts when no data came back. Yoga's 405 for a mutation over GET gets its own code.
 */
function publicError(error: GraphQLError, code: GatewayErrorCode, hasData: boolean, requestLevel: boolean): GraphQLError {
  const ext = error.extensions as Record<string, unknown> & { http?: HttpExtension };
  const finalCode = ext.http?.status === 405 && code === 'BAD_REQUEST' ? 'METHOD_NOT_ALLOWED' : code;
  const http = hasData ? partialHttp(ext.http) : requestLevel ? requestHttp(finalCode, ext.http) : ext.http;
  if (finalCode === code && http === ext.http && !internalExtensions.some((k) => k in ext)) return error;
  const rest: Record<string, unknown> = { ...ext, code: finalCode, http };
  for (const key of internalExtensions) delete rest[key];
  if (http === undefined) delete rest.http;
  return new GraphQLError(error.message, { path: error.path, source: error.source, positions: error.positions, extensions: rest });
}

/** Partial data is 200 whatever the error asked for; its headers (e.g. Retry-After) still go out. */
function partialHttp(http: HttpExtension | undefined): HttpExtension | undefined {
  return http?.headers ? { headers: http.headers, status: 200 } : undefined;
}

/**
 * A request-level error's status follows its code. Yoga marks its own protocol, parse and
 * validation errors `spec` (and with that answers 200 to `Accept: application/json`); a
 * status loopgate set on purpose without that mark (415, a throttle configured to 200) stays.
 */
function requestHttp(code: GatewayErrorCode, http: HttpExtension | undefined): HttpExtension {
  const status = http?.status !== undefined && !http.spec ? http.status : httpStatusByCode[code];
  if (http?.status === status && !http.spec) return http;
  return { ...(http?.headers ? { headers: http.headers } : {}), status };
}
