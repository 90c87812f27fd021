import type { BudgetOverride } from '../budget/resolve-limits';
import { AdminInputError } from './http';

/** Body of PUT /admin/clients/:id/override. */
export interface OverrideInput {
  /** Absolute capacity, in cost points. */
  capacity?: number;
  /** Absolute restore rate, in points per second. */
  restoreRatePerSecond?: number;
  /** Pinned multiplier (the feedback loop leaves it alone while the override lasts). */
  multiplier?: number;
  /** ISO 8601 time the override ends; or use ttlSeconds. */
  expiresAt?: string;
  /** Seconds from now until the override ends. */
  ttlSeconds?: number;
  /** Free text kept with the override and in the audit event. */
  reason?: string;
}

const knownKeys = new Set(['capacity', 'restoreRatePerSecond', 'multiplier', 'expiresAt', 'ttlSeconds', 'reason']);
const maxValue = 1e12;
const maxTtlSeconds = 10 * 365 * 86_400;
const maxReasonLength = 500;

function bad(field: string, message: string): AdminInputError {
  return new AdminInputError('BAD_REQUEST', message, field);
}

/** Validates the body and turns it into the store's override; AdminInputError names the field. */
export function parseOverrideInput(body: unknown, nowMs: number, actor: string): BudgetOverride {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('body', 'the body must be a JSON object');
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!knownKeys.has(key)) throw bad(key, `unknown field (known: ${[...knownKeys].join(', ')})`);
  }
  const out: BudgetOverride = { actor };
  for (const key of ['capacity', 'restoreRatePerSecond', 'multiplier'] as const) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxValue) {
      throw bad(key, `${key} must be a number > 0 and <= ${maxValue}`);
    }
    out[key] = value;
  }
  if (out.capacity === undefined && out.restoreRatePerSecond === undefined && out.multiplier === undefined) {
    throw bad('capacity', 'give at least one of capacity, restoreRatePerSecond, multiplier');
  }
  const { expiresAt, ttlSeconds } = input;
  if (expiresAt !== undefined && expiresAt !== null && ttlSeconds !== undefined && ttlSeconds !== null) {
    throw bad('ttlSeconds', 'give expiresAt or ttlSeconds, not both');
  }
  if (expiresAt !== undefined && expiresAt !== null) {
    const ms = typeof expiresAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(expiresAt) ? Date.parse(expiresAt) : NaN;
    if (!Number.isFinite(ms)) throw bad('expiresAt', 'expiresAt must be an ISO 8601 date-time');
    if (ms <= nowMs) throw bad('expiresAt', 'expiresAt must be in the future');
    out.expiresAtMs = ms;
  }
  if (ttlSeconds !== undefined && ttlSeconds !== null) {
    if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > maxTtlSeconds) {
      throw bad('ttlSeconds', `ttlSeconds must be a whole number from 1 to ${maxTtlSeconds}`);
    }
    out.expiresAtMs = nowMs + ttlSeconds * 1000;
  }
  if (input.reason !== undefined && input.reason !== null) {
    if (typeof input.reason !== 'string' || input.reason.length > maxReasonLength) {
      throw bad('reason', `reason must be a string of at most ${maxReasonLength} characters`);
    }
    out.reason = input.reason;
  }
  return out;
}

/** One line describing an override, for the audit event when the operator gave no reason. */
export function describeOverride(o: BudgetOverride): string {
  const parts: string[] = [];
  if (o.capacity !== undefined) parts.push(`capacity=${o.capacity}`);
  if (o.restoreRatePerSecond !== undefined) parts.push(`restoreRatePerSecond=${o.restoreRatePerSecond}`);
  if (o.multiplier !== undefined) parts.push(`multiplier=${o.multiplier}`);
  if (o.expiresAtMs !== undefined) parts.push(`until ${new Date(o.expiresAtMs).toISOString()}`);
  return parts.join(' ');
}
