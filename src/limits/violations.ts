import type { GraphQLError } from 'graphql';
import { gatewayError, type GatewayErrorCode } from '../errors';
import { limitTable, modeOf, type LimitName, type NormalizedLimitsOptions } from './options';

export interface LimitViolation {
  name: LimitName;
  code: GatewayErrorCode;
  /** The configured bound. */
  limit: number;
  /** The measured value (fragments expanded); may be Infinity for exponential fragment fan-out. */
  actual: number;
  /** false in 'measure' mode: reported, not rejected. */
  enforced: boolean;
}

/** A violation when `actual` is over the bound and the limit is not off, else null. */
export function violation(options: NormalizedLimitsOptions, name: LimitName, actual: number): LimitViolation | null {
  const mode = modeOf(options, name);
  const limit = options[limitTable[name].key] as number;
  if (mode === 'off' || !(actual > limit)) return null;
  return { name, code: limitTable[name].code, limit, actual, enforced: mode === 'enforce' };
}

/** The client-facing error: limit values appear in extensions only when exposeLimits is on. */
export function limitError(found: LimitViolation, exposeLimits: boolean): GraphQLError {
  const { what } = limitTable[found.name];
  return gatewayError(found.code, `${what} limit exceeded.`, {
    extensions: exposeLimits ? { limit: found.limit, actual: Number.isFinite(found.actual) ? found.actual : null } : {},
  });
}

/** Errors for the enforced violations, in the order found. */
export function limitErrors(violations: ReadonlyArray<LimitViolation>, options: NormalizedLimitsOptions): GraphQLError[] {
  return violations.filter((v) => v.enforced).map((v) => limitError(v, options.exposeLimits));
}
