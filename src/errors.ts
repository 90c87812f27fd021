import { GraphQLError } from 'graphql';

/**
 * Every error loopgate returns carries one of these codes in `extensions.code`.
 * Tests and clients switch on the code, never on message text.
 */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'UNAUTHORIZED_FIELD_OR_TYPE'
  | 'FORBIDDEN'
  | 'COST_ESTIMATED_TOO_EXPENSIVE'
  | 'MAX_DEPTH_LIMIT'
  | 'MAX_ALIASES_LIMIT'
  | 'MAX_ROOT_FIELDS_LIMIT'
  | 'MAX_TOKENS_LIMIT'
  | 'MAX_DIRECTIVES_LIMIT'
  | 'MAX_BATCH_LIMIT'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'STORE_UNAVAILABLE'
  | 'BAD_REQUEST'
  | 'BAD_USER_INPUT'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'INTROSPECTION_DISABLED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_ACCEPTABLE'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'INTERNAL';

/** HTTP status per code when the error decides the response on its own. */
export const httpStatusByCode: Record<GatewayErrorCode, number> = {
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  UNAUTHORIZED_FIELD_OR_TYPE: 403,
  FORBIDDEN: 403,
  COST_ESTIMATED_TOO_EXPENSIVE: 400,
  MAX_DEPTH_LIMIT: 400,
  MAX_ALIASES_LIMIT: 400,
  MAX_ROOT_FIELDS_LIMIT: 400,
  MAX_TOKENS_LIMIT: 400,
  MAX_DIRECTIVES_LIMIT: 400,
  MAX_BATCH_LIMIT: 400,
  REQUEST_TOO_LARGE: 413,
  THROTTLED: 429,
  STORE_UNAVAILABLE: 503,
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  INTROSPECTION_DISABLED: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  UPSTREAM_UNAVAILABLE: 502,
  UPSTREAM_ERROR: 502,
  INTERNAL: 500,
};

export interface GatewayErrorOptions {
  /** Override the HTTP status from the table (e.g. 200 for a throttle when configured). */
  status?: number;
  /** Response headers to set when this error decides the response (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Extra public extensions; never put secrets, tokens or internal addresses here. */
  extensions?: Record<string, unknown>;
  path?: ReadonlyArray<string | number>;
}

/** The one factory for errors that reach clients. */
export function gatewayError(
  code: GatewayErrorCode,
  message: string,
  options: GatewayErrorOptions = {},
): GraphQLError {
  const status = options.status ?? httpStatusByCode[code];
  return new GraphQLError(message, {
    path: options.path,
    extensions: {
      ...options.extensions,
      code,
      http: { status, ...(options.headers ? { headers: options.headers } : {}) },
    },
  });
}

/** Reads the loopgate code of an error, if it has one. */
export function errorCode(error: unknown): GatewayErrorCode | undefined {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === 'string' && code in httpStatusByCode ? (code as GatewayErrorCode) : undefined;
}
