export { createMetrics, type Metrics, type RequestOutcomeCode, type TokenVerificationResult } from './metrics';
export { defaultMetricsOptions, normalizeMetricsOptions, type MetricsOptions, type NormalizedMetricsOptions } from './options';
export { HeavyHitters } from './heavy-hitters';
export { ClientLabels, otherClient } from './client-labels';
