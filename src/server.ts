import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { normalizeConfig, type LoopgateConfig, type NormalizedConfig } from './config';
import { resolveSources, type ResolvedSources } from './gateway/embedded-backends';
import { readSupergraph, subgraphNamesOf } from './gateway/supergraph';
import type { FeedbackLogger } from './feedback/feedback-loop';
import { createPlugins, type GatewayFeature, type GatewayServices } from './gateway/plugins';
import { nodeListener } from './admin/node-adapter';
import { gatewayError, type GatewayErrorCode } from './errors';

export interface StartOptions {
  config: LoopgateConfig;
  /** Environment overrides (PORT, HOST, NODE_ENV, LOOPGATE_<SOURCE>_URL). Default: none. */
  env?: NodeJS.ProcessEnv;
  /** Folder that relative paths (supergraph) are resolved from. Default: process.cwd(). */
  cwd?: string;
  /** The clock every budget, feedback and token decision reads, in epoch ms. Default Date.now (the simulator drives its own). */
  now?: () => number;
  /** Features left out, for benchmarks that add them one by one (authz and budgets need auth). */
  disabled?: ReadonlySet<GatewayFeature>;
  /** Where feedback decisions are logged. Default: JSON lines on stdout. */
  feedbackLogger?: FeedbackLogger;
}

export interface RunningGateway {
  url: string;
  graphqlUrl: string;
  port: number;
  config: NormalizedConfig;
  sources: ResolvedSources;
  services: GatewayServices;
  close(): Promise<void>;
}

/**
 * Starts loopgate: checks the config, gives each subgraph an upstream (embedded demo backends
 * where none is configured), builds the Hive gateway runtime with loopgate's plugins and
 * serves it on node:http.
 */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const config = normalizeConfig(options.config, options.env ?? {});
  const cwd = options.cwd ?? process.cwd();
  const supergraph = readSupergraph(config.supergraphPath, cwd);
  const sources = await resolveSources(subgraphNamesOf(supergraph), config.sources);
  let services: GatewayServices | undefined;
  try {
    const created = await createPlugins(config, {
      cwd,
      now: options.now ?? Date.now,
      supergraphSdl: supergraph,
      disabled: options.disabled,
      feedbackLogger: options.feedbackLogger,
    });
    services = created.services;
    const runtime = createGatewayRuntime({
      supergraph,
      transportEntries: Object.fromEntries(Object.entries(sources.locations).map(([name, location]) => [name, { location }])),
      graphqlEndpoint: '/graphql',
      healthCheckEndpoint: '/healthcheck',
      readinessCheckEndpoint: '/readiness',
      landingPage: false,
      // Masking is done by useErrorShaping, which also keeps upstream details out of responses.
      maskedErrors: false,
      graphiql: !config.server.production,
      // Batches are accepted; their size is limited (with its own code) by useLimits.
      batching: { limit: 1_000 },
      logging: process.env.LOOPGATE_DEBUG ? 'debug' : 'error',
      plugins: () => created.plugins as GatewayPlugin[],
      // Upstreams get the configured claim headers of the verified principal, nothing else.
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => {
          const principal = created.services.principalOf(request);
          return principal ? Object.fromEntries(created.services.authenticator.forwardHeaders(new Headers(), principal)) : {};
        },
      },
    });
    const operator = created.services.operator;
    const operatorListener = nodeListener(operator);
    const server = http.createServer((req, res) => {
      if (operator.owns?.(pathOf(req))) return operatorListener(req, res);
      const early = rejectEarly(req, config);
      if (early) return sendError(res, early.code, early.message);
      void runtime(req, res);
    });
    server.requestTimeout = 60_000;
    server.headersTimeout = 15_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
    const url = `http://${host}:${port}`;
    let closing: Promise<void> | undefined;
    return {
      url,
      graphqlUrl: `${url}/graphql`,
      port,
      config,
      sources,
      services: created.services,
      close: () =>
        (closing ??= (async () => {
          server.closeIdleConnections();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            // Keep-alive clients must not hold the exit hostage.
            setTimeout(() => server.closeAllConnections(), 2_000).unref();
          });
          await runtime[Symbol.asyncDispose]();
          await created.services.close();
          await sources.close();
        })()),
    };
  } catch (error) {
    await services?.close();
    await sources.close();
    throw error;
  }
}

const servedPaths = new Set(['/graphql', '/healthcheck', '/readiness']);

function pathOf(req: http.IncomingMessage): string {
  return (req.url ?? '/').split('?', 1)[0] ?? '/';
}

/** Refusals decided from the request line and headers alone, before Yoga reads a byte. */
function rejectEarly(req: http.IncomingMessage, config: NormalizedConfig): { code: GatewayErrorCode; message: string } | undefined {
  if (!servedPaths.has(pathOf(req))) return { code: 'NOT_FOUND', message: `Nothing is served at this path; GraphQL is at /graphql.` };
  const length = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(length) && length > config.server.maxBodyBytes) {
    return { code: 'REQUEST_TOO_LARGE', message: `Request body is larger than the allowed size.` };
  }
  return undefined;
}

function sendError(res: http.ServerResponse, code: GatewayErrorCode, message: string): void {
  const error = gatewayError(code, message);
  const status = (error.extensions.http as { status: number }).status;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
