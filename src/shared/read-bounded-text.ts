/** A body read in full, or why it was not: larger than allowed, or the client stopped sending. */
export type BoundedText = { text: string } | { refused: 'too-large' | 'incomplete' };

/**
 * Reads a request body as UTF-8 text, counting bytes as they stream in, so that a chunked or
 * endless body is cut off at `maxBytes` instead of being buffered whole (the rest is cancelled).
 * No body reads as ''. A client that goes away mid-body is its own fault, not the gateway's:
 * that is `incomplete`, never a thrown error.
 */
export async function readBoundedText(request: Request, maxBytes: number): Promise<BoundedText> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) {
    // Refused by its declared length, the body is left unread; the server closes the connection.
    if (Number(declared) > maxBytes) return { refused: 'too-large' };
    // Node's HTTP parser delivers exactly the declared length, never more, so the body can be
    // read in one go: several times cheaper than pulling it chunk by chunk through a web stream.
    return request.text().then(
      (text) => ({ text }),
      () => ({ refused: 'incomplete' as const }),
    );
  }
  const reader = request.body?.getReader();
  if (!reader) return { text: '' };
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return { refused: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { refused: 'incomplete' };
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}
