import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { httpStatusByCode, type GatewayErrorCode } from '../errors';
import { boundedLabel } from './bounded-labels';
import { ClientLabels, otherClient } from './client-labels';
import { normalizeMetricsOptions, type MetricsOptions, type NormalizedMetricsOptions } from './options';

/** How a request ended: 'ok', or the code of the error that decided it. */
export type RequestOutcomeCode = 'ok' | GatewayErrorCode;

/** Result of one token verification: 'ok' or the auth error code ('INVALID_TOKEN', 'TOKEN_EXPIRED', ...). */
export type TokenVerificationResult = 'ok' | GatewayErrorCode;

export interface Metrics {
  /** One per finished request. */
  recordRequest(outcome: RequestOutcomeCode): void;
  /** Estimated and actual cost of one executed operation; the client's series counts the actual cost. */
  recordCost(clientId: string, estimated: number, actual: number): void;
  /** A request the budget refused. */
  recordThrottle(clientId: string): void;
  /** A request refused before execution (a limit, cost, authorization); reason is the error code. */
  recordRejection(reason: string): void;
  /** A multiplier change by the feedback loop, by rule name. */
  recordFeedback(rule: string): void;
  /** One denied selection: its schema coordinate and why. */
  recordDenial(coordinate: string, reason: string): void;
  /** One store call: operation name ('charge', 'refund', ...), its duration in ms, success. */
  recordStore(op: string, ms: number, ok: boolean): void;
  /** One upstream call: subgraph name, its duration in ms, success. */
  recordUpstream(subgraph: string, ms: number, ok: boolean): void;
  /** One token verification; `cached` when the verified-token cache answered. */
  recordTokenVerification(result: TokenVerificationResult, cached: boolean): void;
  /** The Prometheus text exposition of every metric here. */
  metricsText(): Promise<string>;
  /** Content-Type header value for `metricsText()`. */
  readonly contentType: string;
  /** The registry (this module's own, never prom-client's global one). */
  readonly registry: Registry;
  readonly options: NormalizedMetricsOptions;
}

/**
 * Prometheus metrics on a registry of their own. Every label is bounded: outcomes are codes,
 * free-text labels keep at most `maxLabelValues` values, and per-client series exist only for
 * named clients and the current top `topClients` by cost; everyone else is client="other".
 */
export function createMetrics(input: MetricsOptions = {}): Metrics {
  const options = normalizeMetricsOptions(input);
  const registry = new Registry();
  const name = (n: string) => `${options.prefix}${n}`;
  const registers = [registry];

  const requests = new Counter({ name: name('requests_total'), help: 'Requests by outcome: ok or the error code.', labelNames: ['outcome'], registers });
  const estimatedCost = new Histogram({ name: name('estimated_cost'), help: 'Estimated cost per operation, in cost points.', buckets: options.costBuckets, registers });
  const actualCost = new Histogram({ name: name('actual_cost'), help: 'Actual cost per operation, in cost points.', buckets: options.costBuckets, registers });
  const costDifference = new Histogram({
    name: name('cost_difference'),
    help: 'Estimated minus actual cost per operation (the refund; negative = underestimated).',
    buckets: options.costDifferenceBuckets,
    registers,
  });
  const clientCost = new Counter({ name: name('client_cost_total'), help: 'Actual cost by client (top clients and named ones; the rest is "other").', labelNames: ['client'], registers });
  const throttles = new Counter({ name: name('throttles_total'), help: 'Requests refused by the budget, by client (top and named; the rest is "other").', labelNames: ['client'], registers });
  const rejections = new Counter({ name: name('rejections_total'), help: 'Requests refused before execution, by reason code.', labelNames: ['reason'], registers });
  const denials = new Counter({ name: name('authz_denials_total'), help: 'Selections denied by authorization, by schema coordinate and reason (dry runs included).', labelNames: ['coordinate', 'reason'], registers });
  const feedback = new Counter({ name: name('feedback_adjustments_total'), help: 'Budget multiplier changes by the feedback loop, by rule.', labelNames: ['rule'], registers });
  const storeErrors = new Counter({ name: name('store_errors_total'), help: 'Failed store calls by operation.', labelNames: ['op'], registers });
  const storeDuration = new Histogram({ name: name('store_duration_seconds'), help: 'Store call duration by operation.', labelNames: ['op'], buckets: options.latencyBucketsSeconds, registers });
  const upstreamErrors = new Counter({ name: name('upstream_errors_total'), help: 'Failed upstream calls by subgraph.', labelNames: ['subgraph'], registers });
  const upstreamDuration = new Histogram({ name: name('upstream_duration_seconds'), help: 'Upstream call duration by subgraph.', labelNames: ['subgraph'], buckets: options.latencyBucketsSeconds, registers });
  const tokens = new Counter({ name: name('token_verifications_total'), help: 'Token verifications by result (cache hits included).', labelNames: ['result'], registers });
  const tokenCacheHits = new Counter({ name: name('token_cache_hits_total'), help: 'Token verifications answered by the verified-token cache.', registers });
  if (options.collectDefaultMetrics) collectDefaultMetrics({ register: registry, prefix: options.prefix });

  // What each labelled client has in its own series, so a demoted client's counts can move to "other".
  const own = new Map<string, { cost: number; throttles: number }>();
  const labels = new ClientLabels({
    ...options,
    onDemote(clientId) {
      const counts = own.get(clientId);
      own.delete(clientId);
      clientCost.remove({ client: clientId });
      throttles.remove({ client: clientId });
      if (counts?.cost) clientCost.inc({ client: otherClient }, counts.cost);
      if (counts?.throttles) throttles.inc({ client: otherClient }, counts.throttles);
    },
  });
  const ownCounts = (label: string) => {
    let counts = own.get(label);
    if (counts === undefined) own.set(label, (counts = { cost: 0, throttles: 0 }));
    return counts;
  };

  const reasonLabel = boundedLabel(options.maxLabelValues);
  const ruleLabel = boundedLabel(options.maxLabelValues);
  const coordinateLabel = boundedLabel(options.maxLabelValues);
  const opLabel = boundedLabel(options.maxLabelValues);
  const subgraphLabel = boundedLabel(options.maxLabelValues);
  const resultLabel = boundedLabel(options.maxLabelValues);

  return {
    registry,
    options,
    get contentType() {
      return registry.contentType;
    },
    recordRequest(outcome) {
      requests.inc({ outcome: outcome === 'ok' || Object.hasOwn(httpStatusByCode, outcome) ? outcome : 'other' });
    },
    recordCost(clientId, estimated, actual) {
      const e = finiteOrZero(estimated);
      const a = finiteOrZero(actual);
      estimatedCost.observe(Math.max(0, e));
      actualCost.observe(Math.max(0, a));
      costDifference.observe(e - a);
      const cost = Math.max(0, a);
      const label = labels.addCost(clientId, cost);
      clientCost.inc({ client: label }, cost);
      if (label !== otherClient) ownCounts(label).cost += cost;
    },
    recordThrottle(clientId) {
      const label = labels.labelOf(clientId);
      throttles.inc({ client: label });
      if (label !== otherClient) ownCounts(label).throttles += 1;
    },
    recordRejection(reason) {
      rejections.inc({ reason: reasonLabel(reason) });
    },
    recordFeedback(rule) {
      feedback.inc({ rule: ruleLabel(rule) });
    },
    recordDenial(coordinate, reason) {
      denials.inc({ coordinate: coordinateLabel(coordinate), reason: reasonLabel(reason) });
    },
    recordStore(op, ms, ok) {
      const label = opLabel(op);
      storeDuration.observe({ op: label }, seconds(ms));
      if (!ok) storeErrors.inc({ op: label });
    },
    recordUpstream(subgraph, ms, ok) {
      const label = subgraphLabel(subgraph);
      upstreamDuration.observe({ subgraph: label }, seconds(ms));
      if (!ok) upstreamErrors.inc({ subgraph: label });
    },
    recordTokenVerification(result, cached) {
      tokens.inc({ result: resultLabel(result) });
      if (cached) tokenCacheHits.inc();
    },
    metricsText() {
      return registry.metrics();
    },
  };
}

function finiteOrZero(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

function seconds(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0;
}
