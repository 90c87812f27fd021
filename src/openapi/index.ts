export { compareToBound, compilePattern, hasNestedQuantifier, type Check } from './compile-checks';
export { extractArgumentConstraints, type ArgumentConstraintIndex, type ConstraintWarning } from './extract-constraints';
export { httpOperationOf, type HttpOperation } from './http-operation';
export { deriveListSizes, type DerivedListSize } from './list-sizes';
export type { OpenApiDocument } from './openapi-document';
export { extractPathArgumentChecks, unsafePathAtFetch } from './path-checks';
export { headerValueProblem, pathSegmentProblem, templateArgumentPaths } from './path-segment';
export {
  defaultOpenApiConstraintOptions,
  normalizeOpenApiConstraintOptions,
  type NormalizedOpenApiConstraintOptions,
  type OpenApiConstraintOptions,
} from './options';
export type { ArgumentConstraints, ConstraintRule } from './rules';
export { validateArguments, type ArgumentViolation } from './validate-arguments';
export {
  checkOperationArguments,
  planArgumentChecks,
  violationError,
  type ArgumentCheckPlan,
  type ArgumentCheckTarget,
} from './operation-arguments';
