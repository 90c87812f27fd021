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
    if (code) return hasData ? withoutHttp(error) : error;
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

function withoutHttp(error: GraphQLError): GraphQLError {
  const ext = error.extensions as Record<string, unknown> & { http?: { headers?: Record<string, string> } };
  if (!ext.http) return error;
  const { http, ...rest } = ext;
  return new GraphQLError(error.message, {
    path: error.path,
    extensions: http.headers ? { ...rest, http: { headers: http.headers, status: 200 } } : rest,
  });
}
