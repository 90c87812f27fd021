import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { normalizeConfig, type LoopgateConfig, type NormalizedConfig, type NormalizedServerOptions } from './config';
import { resolveSources, type ResolvedSources } from './gateway/embedded-backends';
import { readSupergraph, subgraphNamesOf } from './gateway/supergraph';
import type { FeedbackLogger } from './feedback/feedback-loop';
import { createPlugins, type GatewayFeature, type GatewayServices } from './gateway/plugins';
import { nodeListener } from './admin/node-adapter';
import { httpStatusByCode, type GatewayErrorCode } from './errors';

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
      cors: corsOption(config.server.cors),
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
      const path = pathOf(req);
      if (operator.owns?.(path)) return operatorListener(req, res);
      const early = rejectEarly(req, path, config);
      if (early) return sendError(res, early.code, early.message);
      // The answer depends on Origin once CORS is on; shared caches must not mix origins.
      if (config.server.cors) res.setHeader('vary', 'Origin');
      // The runtime matches its probe endpoints by the whole URL: a probe that adds a query
      // string (cache busting, some load balancers) must still reach them.
      if (path !== '/graphql' && req.url !== path) req.url = path;
      void runtime(req, res);
    });
    server.on('clientError', answerClientError);
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
function rejectEarly(req: http.IncomingMessage, path: string, config: NormalizedConfig): { code: GatewayErrorCode; message: string } | undefined {
  if (!servedPaths.has(path)) return { code: 'NOT_FOUND', message: `Nothing is served at this path; GraphQL is at /graphql.` };
  const length = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(length) && length > config.server.maxBodyBytes) {
    return { code: 'REQUEST_TOO_LARGE', message: `Request body is larger than the allowed size.` };
  }
  // Node keeps only the first of several Authorization headers; which credential the client
  // meant is unknowable, so none is used (other header names arrive joined and fail to parse).
  if (countHeader(req.rawHeaders, 'authorization') > 1) {
    return { code: 'INVALID_TOKEN', message: 'The request carries more than one Authorization header.' };
  }
  // Yoga would run the operation and only then find no media type to answer in. A CORS
  // preflight is answered (204) before any of that.
  const preflight = req.method === 'OPTIONS' && config.server.cors !== false;
  if (path === '/graphql' && !preflight && !acceptableMemo(req.headers.accept, answerTypes(req, config))) {
    return { code: 'NOT_ACCEPTABLE', message: 'The Accept header allows no media type /graphql answers in; accept application/json.' };
  }
  return undefined;
}

function countHeader(rawHeaders: readonly string[], lowerCaseName: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.length === lowerCaseName.length && rawHeaders[i]!.toLowerCase() === lowerCaseName) count++;
  return count;
}

/** What /graphql answers in: Yoga's result processors, and the GraphiQL page for GET outside production. */
const resultTypes = ['application/graphql-response+json', 'application/json', 'text/event-stream', 'multipart/mixed'];
const resultAndPageTypes = [...resultTypes, 'text/html'];
function answerTypes(req: http.IncomingMessage, config: NormalizedConfig): string[] {
  return req.method === 'GET' && !config.server.production ? resultAndPageTypes : resultTypes;
}

/** Reads Accept the way Yoga does (q-values ignored, utf-8 only), so what passes here Yoga can answer. */
// Clients send the same few Accept values over and over: remember the answers (bounded, since
// the header is the client's to choose).
const acceptAnswers = new Map<string, boolean>();
function acceptableMemo(accept: string | undefined, offered: string[]): boolean {
  const key = `${offered.length}\u0000${accept ?? ''}`;
  let answer = acceptAnswers.get(key);
  if (answer === undefined) {
    answer = acceptable(accept, offered);
    if (acceptAnswers.size >= 256) acceptAnswers.clear();
    acceptAnswers.set(key, answer);
  }
  return answer;
}

function acceptable(accept: string | undefined, offered: string[]): boolean {
  return (accept || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .some((range) => {
      const [type = '', ...params] = range.split(';');
      if ((params.find((p) => p.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8') return false;
      const [pre, suf] = type.split('/');
      return offered.some((o) => {
        const [oPre, oSuf] = o.split('/');
        return (pre === '*' || pre === oPre) && (suf === '*' || suf === oSuf);
      });
    });
}

/** CORS headers only for the configured origins; `false` (the default) sends none at all. */
function corsOption(cors: NormalizedServerOptions['cors']) {
  if (cors === false) return false;
  const anyOrigin = cors.origins.includes('*');
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !(anyOrigin || cors.origins.includes(origin))) return false;
    return { origin, credentials: cors.credentials, methods: ['GET', 'POST'] };
  };
}

function errorBody(code: GatewayErrorCode, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

function sendError(res: http.ServerResponse, code: GatewayErrorCode, message: string): void {
  res.writeHead(httpStatusByCode[code], { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(errorBody(code, message));
}

/** Node's parser refusals (a status and code per llhttp error), with fixed messages: the raw bytes are never echoed. */
const clientErrors: Record<string, { status: number; code: GatewayErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'REQUEST_TOO_LARGE', message: 'The request headers are larger than the allowed size.' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, code: 'REQUEST_TOO_LARGE', message: 'The chunk extensions are larger than the allowed size.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'BAD_REQUEST', message: 'The request was not received in time.' },
};
const malformedRequest = { status: 400, code: 'BAD_REQUEST' as const, message: 'The request is not valid HTTP/1.1.' };

/**
 * What Node answers by default to a request its parser refuses (a bare status line), with a
 * JSON body and a code; written on the socket only when no response to it has started.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // Node's own rule: a response in flight on this socket must not be corrupted.
  const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, code, message } = clientErrors[error.code ?? ''] ?? malformedRequest;
  const body = errorBody(code, message);
  const head = [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
