import { gatewayError } from '../errors';

/**
 * Reads a request body as JSON, counting bytes as they stream in, so that a chunked body
 * (no Content-Length) cannot get past the size limit. Malformed JSON is BAD_REQUEST with a
 * message of our own: the parser's text is not echoed.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const reader = request.body?.getReader();
  if (!reader) throw gatewayError('BAD_REQUEST', 'POST requests need a JSON body.');
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw gatewayError('REQUEST_TOO_LARGE', 'Request body is larger than the allowed size.');
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw gatewayError('BAD_REQUEST', 'The request body is not valid JSON.');
  }
}
