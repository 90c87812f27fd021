import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCode } from '../errors';
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
        return showSuggestions(request) ? shaped : withoutSuggestions(shaped);
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
  const errors = result.errors.map((error) => {
    const code = errorCode(error);
    const fromUpstream = (error.extensions as { serviceName?: unknown }).serviceName !== undefined;
    if (code && !fromUpstream) return publicError(error, code, hasData);
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
function withoutSuggestions(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((e) => e.message.includes(' Did you mean '))) return result;
  return {
    ...result,
    errors: result.errors.map((e) =>
      e.message.includes(' Did you mean ')
        ? new GraphQLError(e.message.replace(/ Did you mean .*$/s, ''), { source: e.source, positions: e.positions, path: e.path, extensions: e.extensions })
        : e,
    ),
  };
}

/** Extensions that may carry internals (causes, stacks, upstream requests): never sent. */
const internalExtensions = ['originalError', 'stacktrace', 'exception', 'unexpected', 'serviceName', 'request', 'response'];

/**
 * An error that already has a loopgate code, with internal extensions dropped; its HTTP status
 * only counts when no data came back. Yoga's 405 for a mutation over GET gets its own code.
 */
function publicError(error: GraphQLError, code: string, hasData: boolean): GraphQLError {
  const ext = error.extensions as Record<string, unknown> & { http?: { status?: number; headers?: Record<string, string> } };
  const needsChange = hasData ? ext.http !== undefined : ext.http?.status === 405;
  if (!needsChange && !internalExtensions.some((k) => k in ext)) return error;
  const rest: Record<string, unknown> = { ...ext };
  for (const key of internalExtensions) delete rest[key];
  if (ext.http?.status === 405 && code === 'BAD_REQUEST') rest.code = 'METHOD_NOT_ALLOWED';
  if (hasData) rest.http = ext.http?.headers ? { headers: ext.http.headers, status: 200 } : undefined;
  if (rest.http === undefined) delete rest.http;
  return new GraphQLError(error.message, { path: error.path, source: error.source, positions: error.positions, extensions: rest });
}
