import { describe, expect, it } from 'vitest';
import { register } from 'prom-client';
import { createMetrics, normalizeMetricsOptions, type MetricsOptions } from '../../src/metrics';
import { parsePrometheus, valueOf } from './parse-prometheus';

describe('createMetrics', () => {
  it('counts known recordings in the text exposition', async () => {
    const metrics = createMetrics();
    metrics.recordRequest('ok');
    metrics.recordRequest('ok');
    metrics.recordRequest('THROTTLED');
    metrics.recordRequest('nonsense' as 'ok');
    metrics.recordCost('alice', 10, 4);
    metrics.recordCost('alice', 20, 25);
    metrics.recordCost('bob', 3, 3);
    metrics.recordThrottle('alice');
    metrics.recordRejection('MAX_DEPTH_LIMIT');
    metrics.recordRejection('MAX_DEPTH_LIMIT');
    metrics.recordFeedback('auth_failures');
    metrics.recordStore('charge', 2, true);
    metrics.recordStore('charge', 30, false);
    metrics.recordUpstream('petstore', 120, true);
    metrics.recordUpstream('petstore', 5, false);
    metrics.recordTokenVerification('ok', false);
    metrics.recordTokenVerification('ok', true);
    metrics.recordTokenVerification('TOKEN_EXPIRED', false);

    const s = parsePrometheus(await metrics.metricsText());
    expect(metrics.contentType).toMatch(/^text\/plain/);
    expect(valueOf(s, 'loopgate_requests_total', { outcome: 'ok' })).toBe(2);
    expect(valueOf(s, 'loopgate_requests_total', { outcome: 'THROTTLED' })).toBe(1);
    expect(valueOf(s, 'loopgate_requests_total', { outcome: 'other' })).toBe(1);
    expect(valueOf(s, 'loopgate_estimated_cost_count')).toBe(3);
    expect(valueOf(s, 'loopgate_estimated_cost_sum')).toBe(33);
    expect(valueOf(s, 'loopgate_actual_cost_sum')).toBe(32);
    expect(valueOf(s, 'loopgate_actual_cost_bucket', { le: '5' })).toBe(2);
    expect(valueOf(s, 'loopgate_cost_difference_sum')).toBe(1);
    expect(valueOf(s, 'loopgate_cost_difference_bucket', { le: '-1' })).toBe(1);
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'alice' })).toBe(29);
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'bob' })).toBe(3);
    expect(valueOf(s, 'loopgate_throttles_total', { client: 'alice' })).toBe(1);
    expect(valueOf(s, 'loopgate_rejections_total', { reason: 'MAX_DEPTH_LIMIT' })).toBe(2);
    expect(valueOf(s, 'loopgate_feedback_adjustments_total', { rule: 'auth_failures' })).toBe(1);
    expect(valueOf(s, 'loopgate_store_errors_total', { op: 'charge' })).toBe(1);
    expect(valueOf(s, 'loopgate_store_duration_seconds_count', { op: 'charge' })).toBe(2);
    expect(valueOf(s, 'loopgate_store_duration_seconds_sum', { op: 'charge' })).toBeCloseTo(0.032);
    expect(valueOf(s, 'loopgate_upstream_errors_total', { subgraph: 'petstore' })).toBe(1);
    expect(valueOf(s, 'loopgate_upstream_duration_seconds_bucket', { subgraph: 'petstore', le: '0.1' })).toBe(1);
    expect(valueOf(s, 'loopgate_token_verifications_total', { result: 'ok' })).toBe(2);
    expect(valueOf(s, 'loopgate_token_verifications_total', { result: 'TOKEN_EXPIRED' })).toBe(1);
    expect(valueOf(s, 'loopgate_token_cache_hits_total')).toBe(1);
  });

  it('uses its own registry, not the global one', async () => {
    const metrics = createMetrics();
    metrics.recordRequest('ok');
    expect(await register.metrics()).not.toContain('loopgate_requests_total');
    expect(await metrics.metricsText()).toContain('loopgate_requests_total');
    // Two instances in one process do not clash on metric names.
    expect(() => createMetrics()).not.toThrow();
  });

  it('keeps at most topClients + named + "other" client series for 1,000 clients, and the sum whole', async () => {
    const metrics = createMetrics({ topClients: 5, clients: ['vip-1', 'vip-2'], trackedClients: 100 });
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      const cost = (i % 97) + 1;
      metrics.recordCost(`client-${i}`, cost, cost);
      metrics.recordThrottle(`client-${i}`);
      total += cost;
    }
    // The heavy ones, arriving last, must win places.
    for (let round = 0; round < 3; round++) {
      for (const id of ['heavy-a', 'heavy-b']) {
        metrics.recordCost(id, 10_000, 10_000);
        total += 10_000;
      }
    }
    metrics.recordCost('vip-1', 1, 1);
    total += 1;
    const s = parsePrometheus(await metrics.metricsText());
    const costSeries = s.filter((x) => x.name === 'loopgate_client_cost_total');
    const throttleSeries = s.filter((x) => x.name === 'loopgate_throttles_total');
    expect(costSeries.length).toBeLessThanOrEqual(5 + 2 + 1);
    expect(throttleSeries.length).toBeLessThanOrEqual(5 + 2 + 1);
    expect(costSeries.some((x) => x.labels.client === 'other')).toBe(true);
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'heavy-a' })).toBe(30_000);
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'heavy-b' })).toBe(30_000);
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'vip-1' })).toBe(1);
    expect(costSeries.reduce((sum, x) => sum + x.value, 0)).toBe(total);
    expect(throttleSeries.reduce((sum, x) => sum + x.value, 0)).toBe(1000);
  });

  it('topClients 0 puts everyone but named clients under "other"', async () => {
    const metrics = createMetrics({ topClients: 0, clients: ['named'] });
    metrics.recordCost('a', 5, 5);
    metrics.recordCost('named', 1, 2);
    const s = parsePrometheus(await metrics.metricsText());
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'other' })).toBe(5);
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'named' })).toBe(2);
    expect(valueOf(s, 'loopgate_client_cost_total', { client: 'a' })).toBeUndefined();
  });

  it('bounds free-text labels at maxLabelValues', async () => {
    const metrics = createMetrics({ maxLabelValues: 3 });
    for (let i = 0; i < 10; i++) metrics.recordUpstream(`subgraph-${i}`, 1, false);
    const s = parsePrometheus(await metrics.metricsText());
    const series = s.filter((x) => x.name === 'loopgate_upstream_errors_total');
    expect(series.map((x) => x.labels.subgraph).sort()).toEqual(['other', 'subgraph-0', 'subgraph-1', 'subgraph-2']);
    expect(valueOf(s, 'loopgate_upstream_errors_total', { subgraph: 'other' })).toBe(7);
  });

  it('honours the prefix option', async () => {
    const metrics = createMetrics({ prefix: 'gw_' });
    metrics.recordRequest('ok');
    expect(valueOf(parsePrometheus(await metrics.metricsText()), 'gw_requests_total', { outcome: 'ok' })).toBe(1);
  });
});

describe('normalizeMetricsOptions', () => {
  const bad: Array<[string, MetricsOptions]> = [
    ['topClients', { topClients: -1 }],
    ['topClients', { topClients: 1.5 }],
    ['trackedClients', { topClients: 50, trackedClients: 10 }],
    ['clients', { clients: ['ok', ''] }],
    ['clients', { clients: ['other'] }],
    ['prefix', { prefix: 'bad-prefix' }],
    ['costBuckets', { costBuckets: [5, 1] }],
    ['latencyBucketsSeconds', { latencyBucketsSeconds: [] }],
    ['maxLabelValues', { maxLabelValues: 0 }],
    ['collectDefaultMetrics', { collectDefaultMetrics: 'yes' as unknown as boolean }],
    ['nope', { nope: 1 } as MetricsOptions],
  ];
  it.each(bad)('refuses a bad %s with a TypeError naming it', (key, options) => {
    expect(() => normalizeMetricsOptions(options)).toThrow(TypeError);
    expect(() => normalizeMetricsOptions(options)).toThrow(key);
  });

  it('fills defaults', () => {
    const o = normalizeMetricsOptions({ clients: ['a', 'a'] });
    expect(o.topClients).toBe(20);
    expect(o.clients).toEqual(['a']);
    expect(o.prefix).toBe('loopgate_');
  });
});
