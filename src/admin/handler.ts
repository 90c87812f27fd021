import { toClientSignals } from '../feedback/signals';
import { isStoreUnavailableError } from '../store/errors';
import type { AuditEvent, ClientBudgetState } from '../store/types';
import { createAdminAuthenticator } from './authenticate';
import { auditView, clientView } from './client-view';
import { createCostSeriesStore } from './cost-series';
import { dashboardResponse } from './dashboard';
import { AdminInputError, errorResponse, jsonResponse, readJsonBody, textResponse } from './http';
import { describeOverride, parseOverrideInput } from './override-input';
import { normalizeAdminOptions, type AdminHandlerOptions, type NormalizedAdminOptions } from './options';
import { normalizeRecommendOptions, recommend } from './recommend';
import { recommendationsToConfig, recommendationsToPolicySdl } from './recommend-export';

/** A fetch-style handler: answers what it owns, undefined for everything else. */
export interface AdminHandler {
  (request: Request): Promise<Response | undefined>;
  /** Whether a path is under the admin prefix (lets a node adapter skip building a Request). */
  owns(pathname: string): boolean;
  /** Feeds the dashboard's per-client cost chart (call where the actual cost is known). */
  recordCostSample(clientId: string, cost: number, atMs?: number): void;
  /** False when no credential is configured (everything under the prefix is 404). */
  readonly enabled: boolean;
  readonly options: NormalizedAdminOptions;
}

interface Call {
  request: Request;
  url: URL;
  actor: string;
  nowMs: number;
  /** Decoded path parameter (the client id) when the route has one. */
  id: string;
}

type Route = { pattern: string[]; methods: Record<string, (call: Call) => Promise<Response>> };

/**
 * The admin JSON API and dashboard under `pathPrefix`. Off (404) unless a credential is
 * configured; every API call needs it; every change appends an audit event naming the operator.
 * The dashboard's HTML shell carries no data, so it is served without the credential: its
 * script asks for the token and calls the API with it.
 */
export function createAdminHandler(input: AdminHandlerOptions): AdminHandler {
  const options = normalizeAdminOptions(input);
  const { store, auditSource, pathPrefix, now } = options;
  const authenticate = createAdminAuthenticator(options.credentials);
  const series = createCostSeriesStore({ slotMs: options.seriesSlotMs, slots: options.seriesSlots, maxClients: options.maxSeriesClients });
  const recommendOptions = options.recommendations ? normalizeRecommendOptions(options.recommendations.options) : undefined;

  const owns = (pathname: string) => pathname === pathPrefix || pathname.startsWith(`${pathPrefix}/`);

  async function signalsOf(clientId: string, nowMs: number) {
    return toClientSignals(await store.readSignals(clientId, options.signalWindow, nowMs));
  }

  async function viewOf(state: ClientBudgetState, nowMs: number) {
    return clientView(state, await signalsOf(state.clientId, nowMs), series.read(state.clientId, nowMs));
  }

  async function existing(id: string, nowMs: number): Promise<ClientBudgetState> {
    const state = await store.getClient(id, nowMs);
    if (state === undefined) throw new AdminInputError('NOT_FOUND', 'no such client', 'clientId');
    return state;
  }

  function audit(event: AuditEvent): Promise<void> {
    return auditSource.appendAudit(event);
  }

  const routes: Route[] = [
    {
      pattern: ['clients'],
      methods: {
        async GET({ url, nowMs }) {
          const offset = intParam(url, 'offset', 0, 0, 1e9);
          const limit = intParam(url, 'limit', 50, 1, 1000);
          const sort = url.searchParams.get('sort') ?? 'cost';
          if (sort !== 'cost' && sort !== 'clientId') throw new AdminInputError('BAD_REQUEST', 'sort must be cost or clientId', 'sort');
          const page = await store.listClients({ offset, limit, sortBy: sort, nowMs });
          const clients = await Promise.all(page.clients.map((c) => viewOf(c, nowMs)));
          return jsonResponse({ total: page.total, offset, limit, sort, clients });
        },
      },
    },
    {
      pattern: ['clients', ':id'],
      methods: {
        async GET({ id, url, nowMs }) {
          const state = await existing(id, nowMs);
          const limit = intParam(url, 'auditLimit', 20, 1, 1000);
          const events = await auditSource.listAudit(id, limit);
          return jsonResponse({ client: await viewOf(state, nowMs), audit: events.map(auditView) });
        },
      },
    },
    {
      pattern: ['clients', ':id', 'override'],
      methods: {
        async PUT({ id, request, actor, nowMs }) {
          const override = parseOverrideInput(await readJsonBody(request, options.maxBodyBytes), nowMs, actor);
          const before = await store.getClient(id, nowMs);
          await store.setOverride(id, override, nowMs);
          const after = await existing(id, nowMs);
          await audit({
            atMs: nowMs,
            clientId: id,
            actor,
            rule: 'override',
            reason: override.reason ?? describeOverride(override),
            ...changes(before, after),
          });
          return jsonResponse({ client: await viewOf(after, nowMs) });
        },
        async DELETE({ id, actor, nowMs }) {
          const before = await store.getClient(id, nowMs);
          if (before?.override === undefined) return jsonResponse({ clientId: id, removed: false });
          await store.removeOverride(id, nowMs);
          const after = await store.getClient(id, nowMs);
          await audit({ atMs: nowMs, clientId: id, actor, rule: 'remove-override', reason: 'override removed', ...changes(before, after) });
          return jsonResponse({ clientId: id, removed: true, client: after ? await viewOf(after, nowMs) : null });
        },
      },
    },
    {
      pattern: ['clients', ':id', 'reset'],
      methods: {
        async POST({ id, actor, nowMs }) {
          const before = await existing(id, nowMs);
          await store.resetClient(id, nowMs);
          const after = await existing(id, nowMs);
          await audit({ atMs: nowMs, clientId: id, actor, rule: 'reset', reason: 'bucket refilled, feedback multiplier back to 1', ...changes(before, after) });
          return jsonResponse({ client: await viewOf(after, nowMs) });
        },
      },
    },
    {
      pattern: ['audit'],
      methods: {
        async GET({ url }) {
          const client = url.searchParams.get('client');
          if (client !== null) checkClientId(client, options.maxClientIdLength, 'client');
          const limit = intParam(url, 'limit', 50, 1, 1000);
          const events = await auditSource.listAudit(client || undefined, limit);
          return jsonResponse({ events: events.map(auditView) });
        },
      },
    },
    {
      pattern: ['recommendations'],
      methods: {
        async GET() {
          const source = options.recommendations;
          if (!source) throw new AdminInputError('NOT_FOUND', 'recommendations are not configured');
          const recs = recommend(source.log.snapshot(), recommendOptions);
          return jsonResponse({ ...recs, policySdl: recommendationsToPolicySdl(recs, source.fieldType), config: recommendationsToConfig(recs) });
        },
      },
    },
    {
      pattern: ['recommendations.graphql'],
      methods: {
        async GET() {
          const source = options.recommendations;
          if (!source) throw new AdminInputError('NOT_FOUND', 'recommendations are not configured');
          const recs = recommend(source.log.snapshot(), recommendOptions);
          return textResponse(recommendationsToPolicySdl(recs, source.fieldType), 'application/graphql; charset=utf-8');
        },
      },
    },
    {
      pattern: ['metrics'],
      methods: {
        async GET() {
          if (!options.metrics) throw new AdminInputError('NOT_FOUND', 'metrics are not configured');
          return textResponse(await options.metrics.metricsText(), options.metrics.contentType);
        },
      },
    },
  ];

  async function handle(request: Request): Promise<Response | undefined> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return undefined;
    }
    if (!owns(url.pathname)) return undefined;
    if (!options.enabled) return errorResponse('NOT_FOUND', 'not found');
    const rest = url.pathname.slice(pathPrefix.length);
    if (rest === '' || rest === '/' || rest === '/dashboard') {
      if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed(['GET', 'HEAD']);
      return dashboardResponse(pathPrefix);
    }
    const auth = await authenticate(request);
    if ('response' in auth) return auth.response;
    try {
      const segments = rest.slice(1).split('/').map(decodeSegment);
      const match = matchRoute(routes, segments);
      if (!match) return errorResponse('NOT_FOUND', 'no such admin route');
      const run = match.route.methods[request.method];
      if (!run) return methodNotAllowed(Object.keys(match.route.methods));
      const id = match.id === undefined ? '' : checkClientId(match.id, options.maxClientIdLength, 'clientId');
      return await run({ request, url, actor: auth.actor, nowMs: now(), id });
    } catch (error) {
      if (error instanceof AdminInputError) return errorResponse(error.code, error.message, { field: error.field });
      if (isStoreUnavailableError(error)) return errorResponse('STORE_UNAVAILABLE', 'the budget store is unavailable');
      return errorResponse('INTERNAL', 'internal error');
    }
  }

  return Object.assign(handle, {
    owns,
    recordCostSample(clientId: string, cost: number, atMs?: number) {
      series.record(clientId, cost, atMs ?? now());
    },
    enabled: options.enabled,
    options,
  });
}

function matchRoute(routes: Route[], segments: string[]): { route: Route; id?: string } | undefined {
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    let id: string | undefined;
    const ok = route.pattern.every((part, i) => {
      if (part === ':id') {
        id = segments[i];
        return true;
      }
      return part === segments[i];
    });
    if (ok) return { route, ...(id !== undefined ? { id } : {}) };
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AdminInputError('BAD_REQUEST', 'the path is not valid percent-encoding', 'path');
  }
}

function checkClientId(id: string, maxLength: number, field: string): string {
  if (id.length === 0 || id.length > maxLength) {
    throw new AdminInputError('BAD_REQUEST', `a client id has 1 to ${maxLength} characters`, field);
  }
  return id;
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new AdminInputError('BAD_REQUEST', `${name} must be a whole number from ${min} to ${max}`, name);
  }
  return Number(raw);
}

function methodNotAllowed(allowed: string[]): Response {
  return errorResponse('METHOD_NOT_ALLOWED', 'method not allowed', { headers: { allow: allowed.join(', ') } });
}

/** Capacity and multiplier in force before and after a change, for the audit event. */
function changes(before: ClientBudgetState | undefined, after: ClientBudgetState | undefined): Partial<AuditEvent> {
  const multiplier = (s: ClientBudgetState) => s.override?.multiplier ?? s.multiplier;
  return {
    ...(before ? { oldCapacity: before.capacity, oldMultiplier: multiplier(before) } : {}),
    ...(after ? { newCapacity: after.capacity, newMultiplier: multiplier(after) } : {}),
  };
}
