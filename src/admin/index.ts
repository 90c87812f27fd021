export { createAdminHandler, type AdminHandler } from './handler';
export {
  defaultAdminOptions,
  defaultAdminScope,
  normalizeAdminOptions,
  type AdminCredentials,
  type AdminHandlerOptions,
  type AdminIdentity,
  type AuditSource,
  type RecommendationSource,
} from './options';
export { bearerToken } from './authenticate';
export type { ClientView, OverrideView, AuditView } from './client-view';
export type { CostSeries } from './cost-series';
export type { OverrideInput } from './override-input';
export {
  createObservationLog,
  defaultObservationLogOptions,
  type Observation,
  type ObservationInput,
  type ObservationLog,
  type ObservationLogOptions,
} from './observation-log';
export {
  defaultRecommendOptions,
  evidenceOf,
  normalizeRecommendOptions,
  percentile,
  recommend,
  type Evidence,
  type ListSizeRecommendation,
  type MaxCostRecommendation,
  type RecommendOptions,
  type Recommendations,
  type TierRecommendation,
} from './recommend';
export { fieldTypeFromSchema, recommendationsToConfig, recommendationsToPolicySdl } from './recommend-export';
export { nodeListener, requestFromNode, sendResponse, type FetchHandler, type RequestFromNodeOptions } from './node-adapter';
