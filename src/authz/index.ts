export { authzDirectivesSDL } from './directives';
export { requirementIndex, type Requirement, type RequirementIndex } from './requirements';
export {
  compileAccessPlan,
  type AccessDecision,
  type AccessPlan,
  type AccessSubject,
  type DeniedSelection,
  type DenialReason,
  type Variables,
} from './analyze-access';
export { pruneDocument } from './prune';
export { applyDenials, type ApplyDenialsOptions } from './apply-denials';
export { denialErrors, denialReport, rejectOperation, withDryRunReport, type DenialReportEntry } from './denial-report';
export {
  answerPolicies,
  defaultAuthzOptions,
  denyAllPolicies,
  isIntrospectionAllowed,
  normalizeAuthzOptions,
  type AuthzMode,
  type AuthzOptions,
  type DenialsIn,
  type IntrospectionOptions,
  type NormalizedAuthzOptions,
  type PolicyFunction,
} from './options';
