/**
 * Reads a request body as UTF-8 text, counting bytes as they stream in, so that a chunked or
 * endless body is cut off at `maxBytes` instead of being buffered whole. Returns `undefined`
 * when the body is larger than that (the rest is cancelled) and '' when there is no body.
 */
export async function readBoundedText(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) {
    // Refused by its declared length, the body is left unread; the server closes the connection.
    if (Number(declared) > maxBytes) return undefined;
    // Node's HTTP parser delivers exactly the declared length, never more, so the body can be
    // read in one go: several times cheaper than pulling it chunk by chunk through a web stream.
    return request.text();
  }
  const reader = request.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
