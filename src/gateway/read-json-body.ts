import { gatewayError } from '../errors';
import { readBoundedText } from '../shared/read-bounded-text';

/**
 * Reads a GraphQL request body as JSON within `maxBytes` (chunked bodies included). Malformed
 * JSON is BAD_REQUEST with a message of our own: the parser's text is not echoed.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!request.body) throw gatewayError('BAD_REQUEST', 'POST requests need a JSON body.');
  const body = await readBoundedText(request, maxBytes);
  if ('refused' in body) {
    if (body.refused === 'too-large') throw gatewayError('REQUEST_TOO_LARGE', 'Request body is larger than the allowed size.');
    throw gatewayError('BAD_REQUEST', 'The request body ended before its declared end.');
  }
  try {
    return JSON.parse(body.text);
  } catch {
    throw gatewayError('BAD_REQUEST', 'The request body is not valid JSON.');
  }
}
