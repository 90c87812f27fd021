export { checkBatch, checkCost, checkLimits, DEPTH_LIMIT_PACKAGE_GUARD, type LimitsResult, type MeasuredElsewhere } from './check-limits';
export { measureOperation, type OperationMeasures } from './measure';
export {
  defaultLimitsOptions,
  limitTable,
  normalizeLimitsOptions,
  type LimitMode,
  type LimitName,
  type LimitsOptions,
  type NormalizedLimitsOptions,
} from './options';
export { countTokens, parseWithLimits, type ParsedWithLimits } from './parse-with-limits';
export { limitError, limitErrors, violation, type LimitViolation } from './violations';
