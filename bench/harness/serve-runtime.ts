import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request handler that can also be disposed: what `createGatewayRuntime` returns. */
export interface DisposableHandler {
  (req: http.IncomingMessage, res: http.ServerResponse): unknown;
  [Symbol.asyncDispose](): PromiseLike<void>;
}

export interface ServedRuntime {
  /** The GraphQL endpoint, http://127.0.0.1:<port>/graphql. */
  graphqlUrl: string;
  close(): Promise<void>;
}

/**
 * Serves a gateway runtime on node:http at 127.0.0.1 on a free port, with the same timeouts
 * loopgate's server sets, so the bare and peer gateways differ from loopgate only in plugins.
 */
export async function serveRuntime(runtime: DisposableHandler): Promise<ServedRuntime> {
  const server = http.createServer((req, res) => void runtime(req, res));
  server.requestTimeout = 60_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      (closing ??= (async () => {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // The load generator's keep-alive sockets must not hold the close hostage.
          setTimeout(() => server.closeAllConnections(), 1_000).unref();
        });
        await runtime[Symbol.asyncDispose]();
      })()),
  };
}
