import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamMode = 'ok' | 'down' | 'slow' | 'garbage' | 'wrong-shape';

export interface FaultyUpstream {
  /** The URL to configure as the source: the proxy's origin plus the target's path. */
  url: string;
  mode: UpstreamMode;
  /** Switches the fault; 'down' closes the listener (connection refused), leaving it re-listens on the same port. */
  setMode(mode: UpstreamMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of a real upstream that can be switched into a fault: down
 * (nothing listens), slow (answers after `slowMs`), garbage (200 with an HTML body) or
 * wrong-shape (200 JSON that is not a GraphQL response).
 */
export async function startFaultyUpstream(targetUrl: string, slowMs = 3_000): Promise<FaultyUpstream> {
  const target = new URL(targetUrl);
  let mode: UpstreamMode = 'ok';
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      if (mode === 'wrong-shape') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":[1,2,3]}');
      const forward = () => {
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      };
      if (mode === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) forward();
        }, slowMs);
        timers.add(timer);
        return;
      }
      forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const closeListener = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get mode() {
      return mode;
    },
    async setMode(next) {
      if (next === 'down' && mode !== 'down') await closeListener();
      if (next !== 'down' && mode === 'down') await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      mode = next;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      if (mode !== 'down') await closeListener();
    },
  };
}
