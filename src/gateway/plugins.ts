import type { Plugin } from 'graphql-yoga';
import { createAuthenticator, type Authenticator } from '../auth/create-authenticator';
import { normalizeAuthOptions } from '../auth/options';
import type { Principal } from '../auth/principal';
import { useAuth } from '../auth/use-auth';
import { isIntrospectionAllowed, normalizeAuthzOptions } from '../authz/options';
import { denialAuditFields } from '../authz/denial-audit';
import { useAuthz } from '../authz/use-authz';
import { createBudget } from '../budget/budget';
import { normalizeBudgetOptions, tierLimitsFor, type BudgetOptions } from '../budget/options';
import { useBudget } from '../budget/use-budget';
import type { NormalizedConfig } from '../config';
import { normalizeCostOptions, type CostOptions } from '../cost/options';
import { useCost } from '../cost/use-cost';
import { createFeedbackLoop, type FeedbackLoop } from '../feedback/feedback-loop';
import type { FeedbackOptions } from '../feedback/options';
import { addressKey } from '../feedback/signals';
import { useFeedback } from '../feedback/use-feedback';
import { normalizeLimitsOptions, type LimitsOptions } from '../limits/options';
import { useLimits } from '../limits/use-limits';
import { derivedListSizeOverrides } from '../openapi/derived-list-sizes';
import { loadOpenApiSources } from '../openapi/openapi-sources';
import { useArgumentValidation } from '../openapi/use-argument-validation';
import { createObservationLog } from '../admin/observation-log';
import { createOperatorHandler } from '../admin/operator-handler';
import { normalizeOperatorOptions } from '../admin/operator-options';
import type { FetchHandler } from '../admin/node-adapter';
import type { GatewayErrorCode } from '../errors';
import { countingLogger, jsonLineLogger, type FeedbackLogger } from '../feedback/feedback-loop';
import { signalWindow } from '../feedback/signals';
import { instrumentStore } from '../metrics/instrument-store';
import { createMetrics, type Metrics } from '../metrics/metrics';
import { useMetrics } from '../metrics/use-metrics';
import { normalizeStoreOptions, openStore, type OpenedStore } from '../store/store-from-config';
import { useUpstreamResponses } from '../upstream/use-upstream-responses';
import { useUpstreamTimeout } from '../upstream/use-upstream-timeout';
import { requestState } from './request-state';
import { useErrorShaping } from './use-error-shaping';
import { useRequestShape } from './use-request-shape';

/** What the plugins run on, reachable by the server (admin API, shutdown) and by tests. */
export interface GatewayServices {
  authenticator: Authenticator;
  store: OpenedStore;
  feedback: FeedbackLoop;
  metrics: Metrics;
  /** Admin API, dashboard and /metrics; declines every other path. */
  operator: FetchHandler;
  /** The principal of a request, for header propagation to upstreams. */
  principalOf(request: Request): Principal | undefined;
  close(): Promise<void>;
}

/** The concerns a benchmark may switch off one by one; the request and error framing always run. */
export type GatewayFeature = 'auth' | 'limits' | 'authz' | 'cost' | 'budget' | 'feedback' | 'metrics';

export interface CreatedPlugins {
  plugins: Plugin[];
  services: GatewayServices;
}

export interface PluginContext {
  cwd: string;
  now: () => number;
  supergraphSdl: string;
  /** Features to leave out (benchmarks only: authz and budgets need auth). Default: none. */
  disabled?: ReadonlySet<GatewayFeature>;
  /** Where feedback decisions and authorization denials are logged. Default: JSON lines on stdout. */
  feedbackLogger?: FeedbackLogger;
}

/**
 * Builds loopgate's plugins in the order a request meets them: request shape, authentication,
 * limits, authorization, cost, budget, then (on the way out) feedback and error shaping.
 * Every option is normalised here, so config that cannot work fails before the server listens.
 */
export async function createPlugins(config: NormalizedConfig, context: PluginContext): Promise<CreatedPlugins> {
  const raw = config.raw;
  const authOptions = normalizeAuthOptions(raw.auth, config.env);
  if (config.server.production && authOptions.devKey) {
    // The dev key sits in a file next to the code: anyone with the checkout could mint tokens.
    throw new TypeError('loopgate config: auth.keySources: production mode needs a real key source; the dev key is for the embedded demo only');
  }
  const authz = normalizeAuthzOptions<Principal>(raw.authz as never, config.env.NODE_ENV === 'development');
  const limitsInput = (raw.limits ?? {}) as LimitsOptions;
  const limits = normalizeLimitsOptions({ ...limitsInput, exposeLimits: limitsInput.exposeLimits ?? config.exposeLimits });
  const openApiSources = loadOpenApiSources(
    Object.fromEntries(Object.entries(config.sources).flatMap(([name, s]) => (s.openapi ? [[name, s.openapi]] : []))),
    context.cwd,
  );
  const costInput = (raw.cost ?? {}) as CostOptions;
  const cost = normalizeCostOptions({
    ...costInput,
    overrides: { ...derivedListSizeOverrides(context.supergraphSdl, openApiSources), ...costInput.overrides },
  });
  const budgetOptions = normalizeBudgetOptions(raw.budgets as BudgetOptions | undefined);
  const storeOptions = normalizeStoreOptions(raw.store, config.env);
  const operatorOptions = normalizeOperatorOptions(raw.admin, raw.metrics, config.env);
  const metrics = createMetrics(operatorOptions.metrics);

  const logger = context.feedbackLogger ?? jsonLineLogger;
  const opened = await openStore(storeOptions, { onStoreError: (e) => metrics.recordStore(`${e.operation}:error`, 0, false) });
  const store: OpenedStore = { ...opened, store: instrumentStore(opened.store, (op, ms, ok) => metrics.recordStore(op, ms, ok)) };
  const feedback = createFeedbackLoop({
    store: store.store,
    options: raw.feedback as FeedbackOptions | undefined,
    now: context.now,
    logger: countingLogger(logger, (rule) => metrics.recordFeedback(rule)),
  });
  const authenticator = await createAuthenticator(authOptions, { cwd: context.cwd, now: context.now }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });

  const observations = createObservationLog({ now: context.now });
  const operator = createOperatorHandler({
    options: operatorOptions,
    store: store.store,
    authenticator,
    metrics,
    observations,
    feedbackWindow: signalWindow(feedback.options),
    now: context.now,
  });

  const named: Array<[GatewayFeature | 'frame', Plugin]> = [
    ['frame', useRequestShape({ maxBodyBytes: config.server.maxBodyBytes })],
    ['auth', useAuth({
      authenticator,
      options: authOptions,
      onVerified: (ok, code, cached) => metrics.recordTokenVerification(ok ? 'ok' : (code as GatewayErrorCode), cached),
      onFailure: ({ sourceAddress, claimedSubject }) =>
        void feedback.observe(addressKey(sourceAddress), { errors: ['auth_failure'], sourceAddress, failedSubject: claimedSubject }),
    })],
    ['limits', useLimits({ limits })],
    ['authz', useAuthz({
      authz,
      onDenied: (principal, denied, enforced) => {
        for (const d of denied) metrics.recordDenial(d.coordinate, d.reason);
        logger.info('authorization denied', denialAuditFields(principal, denied, enforced));
      },
    })],
    ['limits', useArgumentValidation({ sources: openApiSources })],
    ['cost', useCost({ cost, limits, exposeCost: config.responses.costExtension })],
    ['budget', useBudget({
      budget: createBudget(store.store, budgetOptions),
      responses: config.responses,
      now: context.now,
      onThrottled: (clientId) => metrics.recordThrottle(clientId),
    })],
    ['feedback', useFeedback({ feedback })],
    ['frame', useUpstreamTimeout({ timeoutMs: config.upstream.timeoutMs }) as Plugin],
    ['frame', useUpstreamResponses()],
    ['frame', useErrorShaping({
      showSuggestions: (request) => {
        const principal = requestState(request).principal;
        return principal !== undefined && isIntrospectionAllowed(principal, authz);
      },
    })],
    ['metrics', useMetrics({
      metrics,
      onCost: (clientId, tier, estimatedCost, actualCost, listSizes) => {
        operator.recordCostSample(clientId, actualCost, context.now());
        // Grouped by the tier whose budget the client really has, as the recommendations propose per tier.
        const budgetTier = tierLimitsFor(budgetOptions, tier).tier;
        observations.recordObservation({ clientId, tier: budgetTier, estimatedCost, actualCost, listSizes, atMs: context.now() });
      },
    })],
  ];
  const plugins = named.filter(([feature]) => feature === 'frame' || !context.disabled?.has(feature)).map(([, plugin]) => plugin);
  return {
    plugins,
    services: {
      authenticator,
      store,
      feedback,
      metrics,
      operator,
      principalOf: (request) => requestState(request).principal,
      close: async () => {
        authenticator.dispose();
        await store.close();
      },
    },
  };
}
