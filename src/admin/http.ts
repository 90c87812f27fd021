import { httpStatusByCode, type GatewayErrorCode } from '../errors';
import { readBoundedText } from '../shared/read-bounded-text';

/** Headers on every admin answer: nothing here may be cached or framed. */
const baseHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...baseHeaders, 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export function textResponse(body: string, contentType: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { ...baseHeaders, 'content-type': contentType, ...headers } });
}

/**
 * The admin API's error shape, the same as GraphQL's so one client parses both:
 * `{ errors: [{ message, extensions: { code, field? } }] }`.
 */
export function errorResponse(
  code: GatewayErrorCode,
  message: string,
  options: { field?: string; status?: number; headers?: Record<string, string> } = {},
): Response {
  const extensions = { code, ...(options.field !== undefined ? { field: options.field } : {}) };
  return jsonResponse({ errors: [{ message, extensions }] }, options.status ?? httpStatusByCode[code], options.headers);
}

/** A request input the handler refuses; `field` names the offending input for the client. */
export class AdminInputError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdminInputError';
  }
}

/** Reads a JSON body of at most `maxBytes` (see readBoundedText); an empty body is refused. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const body = await readBoundedText(request, maxBytes);
  if ('refused' in body) {
    if (body.refused === 'too-large') throw new AdminInputError('REQUEST_TOO_LARGE', `body larger than ${maxBytes} bytes`);
    throw new AdminInputError('BAD_REQUEST', 'the body ended before its declared end', 'body');
  }
  const text = body.text;
  if (text.trim() === '') throw new AdminInputError('BAD_REQUEST', 'a JSON body is required', 'body');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminInputError('BAD_REQUEST', 'body is not valid JSON', 'body');
  }
}
