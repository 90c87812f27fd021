import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestLogEntry {
  method: string;
  url: string;
  /** The GraphQL request body (GraphQL backends) or the JSON body (REST), when there was one. */
  body?: string;
}

export interface RunningBackend {
  url: string;
  port: number;
  /** Every request the backend received, oldest first: tests use it to prove what was (not) called. */
  requests: RequestLogEntry[];
  close(): Promise<void>;
}

/** Serves a node handler on 127.0.0.1 (port 0 = a free port) and logs every request it gets. */
export async function listenOnLoopback(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>,
  port = 0,
  basePath = '',
): Promise<RunningBackend> {
  const requests: RequestLogEntry[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', body: body || undefined });
      Promise.resolve(handler(req, res, body)).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 500, type: 'error', message: 'internal error' }));
      });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}${basePath}`,
    port: actualPort,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
