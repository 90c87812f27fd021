/**
 * The operator's options for the whole gateway, their defaults, environment overrides and
 * normalisation. Config that cannot work is refused here, at start-up, with a TypeError that
 * names the key and the reason. Each concern (auth, authz, cost, limits, budgets, feedback,
 * store) owns its options type and normaliser; this file only assembles them.
 */

/** Where one upstream lives. Omit `url` to run the embedded demo backend for it. */
export interface SourceOptions {
  /** Base URL of the upstream (REST base path or GraphQL endpoint). Default: the embedded backend. */
  url?: string;
  /**
   * The OpenAPI document (JSON) of a REST source: its constraints are checked on arguments before
   * any call, and its list bounds price the fields. Default for `petstore`: the composed document
   * (`LOOPGATE_PETSTORE_OPENAPI` or mesh/petstore/openapi.json).
   */
  openapi?: string;
}

export interface ServerOptions {
  /** TCP port. Env `PORT`. Default 4000. */
  port?: number;
  /** Interface to bind. Env `HOST`. Default `127.0.0.1` (loopback): set `0.0.0.0` in containers. */
  host?: string;
  /** Production mode hides GraphiQL and introspection. Env `NODE_ENV=production`. Default false. */
  production?: boolean;
  /** Largest accepted request body, in bytes. Default 1_000_000. */
  maxBodyBytes?: number;
  /**
   * Browser origins allowed to call /graphql. Default `false`: no CORS headers at all, so
   * browsers only call from the gateway's own origin.
   */
  cors?: false | CorsOptions;
}

export interface CorsOptions {
  /** Exact origins (`https://app.example`, no path) that may call, or `['*']` for any. */
  origins: string[];
  /** Let browsers send cookies and HTTP auth (`Access-Control-Allow-Credentials`); not with `'*'`. Default false. */
  credentials?: boolean;
}

export interface UpstreamOptions {
  /** Time an upstream call may take before it fails with UPSTREAM_UNAVAILABLE, in ms. Default 10_000. */
  timeoutMs?: number;
}

export interface LoopgateConfig {
  server?: ServerOptions;
  /** The composed supergraph file. Default `mesh/supergraph.graphql`. */
  supergraphPath?: string;
  /** Upstreams by subgraph name (`petstore`, `reviews` in the demo). Env `LOOPGATE_<NAME>_URL`. */
  sources?: Record<string, SourceOptions>;
  upstream?: UpstreamOptions;
  /** Opt in to showing limits, costs and budgets to clients in `extensions`. Default false. */
  exposeLimits?: boolean;
  /** What clients are shown of their budget (src/budget/use-budget.ts). */
  responses?: ResponseOptions;
  /** Concern options, each normalised by its own module. */
  auth?: unknown;
  authz?: unknown;
  limits?: unknown;
  cost?: unknown;
  budgets?: unknown;
  feedback?: unknown;
  store?: unknown;
  admin?: unknown;
  metrics?: unknown;
}

export interface ResponseOptions {
  /** Add `extensions.cost` (Shopify's shape) to every response. Default false. */
  costExtension?: boolean;
  /** Send RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset headers. Default false. */
  rateLimitHeaders?: boolean;
  /** HTTP status of a throttled response: 429 (with Retry-After) or 200. Default 429. */
  throttleStatus?: 429 | 200;
}

export const defaultResponseOptions = {
  costExtension: false,
  rateLimitHeaders: false,
  throttleStatus: 429,
} satisfies Required<ResponseOptions>;

export type NormalizedServerOptions = Required<Omit<ServerOptions, 'cors'>> & { cors: false | Required<CorsOptions> };

export interface NormalizedConfig {
  server: NormalizedServerOptions;
  supergraphPath: string;
  sources: Record<string, SourceOptions>;
  upstream: Required<UpstreamOptions>;
  exposeLimits: boolean;
  responses: Required<ResponseOptions>;
  env: NodeJS.ProcessEnv;
  raw: LoopgateConfig;
}

export const defaultServerOptions = {
  port: 4000,
  host: '127.0.0.1',
  production: false,
  maxBodyBytes: 1_000_000,
  cors: false,
} satisfies Required<ServerOptions>;

export const defaultUpstreamOptions = { timeoutMs: 10_000 } satisfies Required<UpstreamOptions>;

/** The embedded demo's subgraphs: a source left without a URL runs in-process. */
export const embeddedSourceNames = ['petstore', 'reviews'] as const;

const topLevelKeys = new Set([
  'server', 'supergraphPath', 'sources', 'upstream', 'exposeLimits', 'responses',
  'auth', 'authz', 'limits', 'cost', 'budgets', 'feedback', 'store', 'admin', 'metrics',
]);

/** Typed identity helper for `gateway.config.ts`. */
export function defineConfig(config: LoopgateConfig): LoopgateConfig {
  return config;
}

export class ConfigError extends TypeError {
  constructor(key: string, reason: string) {
    super(`loopgate config: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}

function checkKeys(value: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ConfigError(`${where}${key}`, `unknown option (known: ${allowed.join(', ')})`);
  }
}

function checkObject(value: unknown, where: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new ConfigError(where, 'must be an object');
  }
}

function integerIn(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(where, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkHttpUrl(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ConfigError(where, 'must be a URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(where, `is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(where, `must be http(s), got ${url.protocol}`);
  return value.replace(/\/+$/, '');
}

/** `server.cors`: origins are compared exactly, so each must be a bare origin as browsers send it. */
function normalizeCors(value: unknown): false | Required<CorsOptions> {
  if (value === false || value === undefined) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError('server.cors', 'must be false or { origins, credentials? }');
  checkKeys(value as object, ['origins', 'credentials'], 'server.cors.');
  const { origins, credentials = false } = value as Partial<CorsOptions>;
  if (!Array.isArray(origins) || origins.length === 0) throw new ConfigError('server.cors.origins', 'must be a non-empty array of origins');
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (typeof origin !== 'string' || parsed?.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new ConfigError('server.cors.origins', `must hold origins like https://app.example (scheme, host, port; no path), got ${JSON.stringify(origin)}`);
    }
  }
  if (typeof credentials !== 'boolean') throw new ConfigError('server.cors.credentials', 'must be a boolean');
  // Any origin with credentials would let every site act with the user's cookies.
  if (credentials && origins.includes('*')) throw new ConfigError('server.cors', "credentials cannot be combined with the origin '*'");
  return { origins: [...origins], credentials };
}

/** Environment variables that override the file, read once at start-up. */
export function environmentOverrides(env: NodeJS.ProcessEnv): LoopgateConfig {
  const server: ServerOptions = {};
  if (env.PORT !== undefined) {
    if (!/^\d+$/.test(env.PORT)) throw new ConfigError('PORT', `must be a port number, got ${JSON.stringify(env.PORT)}`);
    server.port = Number(env.PORT);
  }
  if (env.HOST) server.host = env.HOST;
  if (env.NODE_ENV === 'production') server.production = true;
  const sources: Record<string, SourceOptions> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^LOOPGATE_([A-Z0-9_]+)_URL$/.exec(key);
    // LOOPGATE_REDIS_URL names the store, not an upstream (src/store/store-from-config.ts).
    if (match && value && match[1] !== 'REDIS') sources[match[1]!.toLowerCase()] = { url: value };
  }
  return { server, sources };
}

/** Merges file config and environment overrides and checks everything that can be checked now. */
export function normalizeConfig(fileConfig: LoopgateConfig, env: NodeJS.ProcessEnv = {}): NormalizedConfig {
  checkObject(fileConfig, 'config');
  checkKeys(fileConfig, [...topLevelKeys], '');
  const overrides = environmentOverrides(env);

  checkObject(fileConfig.server, 'server');
  checkKeys(fileConfig.server ?? {}, Object.keys(defaultServerOptions), 'server.');
  const server = { ...defaultServerOptions, ...fileConfig.server, ...overrides.server };
  integerIn(server.port, 'server.port', 0, 65_535);
  integerIn(server.maxBodyBytes, 'server.maxBodyBytes', 1, 1_000_000_000);
  if (typeof server.host !== 'string' || server.host === '') throw new ConfigError('server.host', 'must be a host name or address');
  if (typeof server.production !== 'boolean') throw new ConfigError('server.production', 'must be a boolean');
  const cors = normalizeCors(server.cors);

  checkObject(fileConfig.upstream, 'upstream');
  checkKeys(fileConfig.upstream ?? {}, Object.keys(defaultUpstreamOptions), 'upstream.');
  const upstream = { ...defaultUpstreamOptions, ...fileConfig.upstream };
  integerIn(upstream.timeoutMs, 'upstream.timeoutMs', 1, 600_000);

  checkObject(fileConfig.sources, 'sources');
  const sources: Record<string, SourceOptions> = {};
  const merged: Record<string, SourceOptions> = { ...fileConfig.sources };
  for (const [name, source] of Object.entries(overrides.sources ?? {})) merged[name] = { ...merged[name], ...source };
  if (!merged.petstore?.openapi) merged.petstore = { ...merged.petstore, openapi: env.LOOPGATE_PETSTORE_OPENAPI ?? 'mesh/petstore/openapi.json' };
  for (const [name, source] of Object.entries(merged)) {
    checkObject(source, `sources.${name}`);
    checkKeys(source ?? {}, ['url', 'openapi'], `sources.${name}.`);
    if (source?.openapi !== undefined && typeof source.openapi !== 'string') throw new ConfigError(`sources.${name}.openapi`, 'must be a file path');
    sources[name] = {
      ...(source?.url === undefined ? {} : { url: checkHttpUrl(source.url, `sources.${name}.url`) }),
      ...(source?.openapi === undefined ? {} : { openapi: source.openapi }),
    };
  }

  if (fileConfig.exposeLimits !== undefined && typeof fileConfig.exposeLimits !== 'boolean') {
    throw new ConfigError('exposeLimits', 'must be a boolean');
  }
  if (fileConfig.supergraphPath !== undefined && typeof fileConfig.supergraphPath !== 'string') {
    throw new ConfigError('supergraphPath', 'must be a file path');
  }
  checkObject(fileConfig.responses, 'responses');
  checkKeys(fileConfig.responses ?? {}, Object.keys(defaultResponseOptions), 'responses.');
  const responses = { ...defaultResponseOptions, ...fileConfig.responses };
  for (const key of ['costExtension', 'rateLimitHeaders'] as const) {
    if (typeof responses[key] !== 'boolean') throw new ConfigError(`responses.${key}`, 'must be a boolean');
  }
  if (responses.throttleStatus !== 429 && responses.throttleStatus !== 200) throw new ConfigError('responses.throttleStatus', 'must be 429 or 200');
  return {
    server: { ...server, cors },
    responses,
    env,
    supergraphPath: fileConfig.supergraphPath ?? 'mesh/supergraph.graphql',
    sources,
    upstream,
    exposeLimits: fileConfig.exposeLimits ?? false,
    raw: fileConfig,
  };
}
