import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A fetch-style handler that may decline a request (undefined) so another one can answer it. */
export type FetchHandler = ((request: Request) => Promise<Response | undefined>) & {
  /** When present, paths it returns false for never become a Request (their body stays unread). */
  owns?: (pathname: string) => boolean;
};

export interface RequestFromNodeOptions {
  /** Origin the Request URL is built on; the Host header is not trusted for it. Default 'http://localhost'. */
  origin?: string;
}

/**
 * A web Request for a node request. The body is streamed, not buffered, so the handler decides
 * how much to read; the Request's signal aborts when the client goes away.
 */
export function requestFromNode(req: IncomingMessage, res?: ServerResponse, options: RequestFromNodeOptions = {}): Request {
  const url = new URL(req.url ?? '/', options.origin ?? 'http://localhost');
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const controller = new AbortController();
  res?.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a web Response to a node response, streaming its body (none for HEAD). */
export async function sendResponse(res: ServerResponse, response: Response, method = 'GET'): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (method === 'HEAD' || response.body === null) {
    await response.body?.cancel();
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), res);
}

/**
 * A node:http listener over a fetch-style handler; requests it declines (or does not own) go
 * to `fallback`, or get a plain 404. A handler that throws answers 500 without details.
 */
export function nodeListener(handler: FetchHandler, fallback?: RequestListener, options: RequestFromNodeOptions = {}): RequestListener {
  return (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (handler.owns && !handler.owns(pathname)) {
      decline(req, res);
      return;
    }
    const request = requestFromNode(req, res, options);
    handler(request)
      .then(async (response) => {
        if (response === undefined) {
          decline(req, res);
          return;
        }
        await sendResponse(res, response, req.method);
      })
      .catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL' } }] }));
        } else {
          res.destroy();
        }
      });
  };

  function decline(req: IncomingMessage, res: ServerResponse): void {
    if (fallback) {
      fallback(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] }));
  }
}
