import type { Authenticator } from '../auth/create-authenticator';
import type { Metrics } from '../metrics/metrics';
import type { BudgetStore, SignalWindow } from '../store/types';
import { createAdminHandler, type AdminHandler } from './handler';
import type { FetchHandler } from './node-adapter';
import type { ObservationLog } from './observation-log';
import type { NormalizedOperatorOptions } from './operator-options';

export interface OperatorHandlerInput {
  options: NormalizedOperatorOptions;
  store: BudgetStore;
  authenticator: Authenticator;
  metrics: Metrics;
  observations: ObservationLog;
  feedbackWindow: SignalWindow;
  now: () => number;
}

export type OperatorHandler = FetchHandler & Pick<AdminHandler, 'recordCostSample'>;

/**
 * The operator's side of the gateway: the admin API and dashboard under the admin prefix, and
 * `/metrics` (behind the admin credential unless the operator made it public). An admin is the
 * static token or a gateway JWT with the admin scope, verified by the same authenticator.
 */
export function createOperatorHandler(input: OperatorHandlerInput): OperatorHandler {
  const { options, metrics } = input;
  const admin = createAdminHandler({
    store: input.store,
    credentials: {
      token: options.admin.token,
      adminScope: options.admin.adminScope,
      verifyJwt: async (token) => {
        const result = await input.authenticator.authenticate({ headers: new Headers({ authorization: `Bearer ${token}` }), remoteAddress: 'admin' });
        return result.ok && !result.principal.anonymous ? { subject: result.principal.subject ?? result.principal.clientId, scopes: result.principal.scopes } : undefined;
      },
    },
    metrics,
    recommendations: { log: input.observations },
    signalWindow: input.feedbackWindow,
    now: input.now,
    pathPrefix: options.admin.pathPrefix,
  });
  const prefix = options.admin.pathPrefix;
  const handler = (async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/metrics') {
      if (options.metricsPublic) {
        return new Response(await metrics.metricsText(), { headers: { 'content-type': metrics.contentType } });
      }
      // The same credential check as the admin API: served there as <prefix>/metrics.
      return admin(new Request(new URL(`${prefix}/metrics${url.search}`, url), request));
    }
    return admin(request);
  }) as OperatorHandler;
  handler.owns = (pathname) => pathname === '/metrics' || pathname === prefix || pathname.startsWith(`${prefix}/`);
  handler.recordCostSample = (clientId, cost, atMs) => admin.recordCostSample(clientId, cost, atMs);
  return handler;
}
