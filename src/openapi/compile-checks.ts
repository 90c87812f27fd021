import { headerValueProblem, pathSegmentProblem } from './path-segment';
import type { ArgumentConstraints, ConstraintRule } from './rules';

/** One compiled rule: returns a message when the value breaks it, else null. */
export interface Check {
  readonly rule: ConstraintRule;
  readonly test: (value: unknown) => string | null;
}

export interface CheckCompileOptions {
  maxPatternInputLength: number;
  refuseNestedQuantifiers: boolean;
  /** Extra accepted enum members (GraphQL enum value names Mesh derived from the OpenAPI ones). */
  enumAliases?: ReadonlyArray<unknown>;
}

/** Code points, counted only when UTF-16 length alone cannot decide (surrogate pairs). */
function codePoints(s: string, bound: number): number {
  if (s.length <= bound) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

const INTEGER = /^-?\d+$/;

/**
 * Orders a coerced value against a bound: negative, zero or positive; NaN when the value is not
 * numeric. BigInt values (and long integer strings, as BigInt scalars may keep them) compare
 * exactly against integer bounds.
 */
export function compareToBound(value: unknown, bound: number): number {
  if (typeof value === 'number') return value - bound;
  if (typeof value === 'bigint') {
    if (Number.isInteger(bound)) {
      const b = BigInt(bound);
      return value < b ? -1 : value > b ? 1 : 0;
    }
    return Number(value) - bound;
  }
  if (typeof value === 'string' && value.length > 0) {
    if (value.length > 15 && INTEGER.test(value) && Number.isInteger(bound)) {
      const v = BigInt(value);
      const b = BigInt(bound);
      return v < b ? -1 : v > b ? 1 : 0;
    }
    const n = Number(value);
    return Number.isFinite(n) ? n - bound : Number.NaN;
  }
  return Number.NaN;
}

/**
 * A quantified group holding a quantifier, e.g. `(a+)+`, `(?:\w*)*`, `(a{1,3}){2,}`: the classic
 * shape of exponential backtracking. A heuristic: it reads group nesting and escapes, not
 * alternation overlap such as `(a|a)*`, which the input length cap still bounds.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  const quantifiedInside: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') quantifiedInside.push(false);
    else if (ch === ')') {
      const inner = quantifiedInside.pop() ?? false;
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '{';
      if (inner && quantified) return true;
      // A group with a quantifier inside counts as one for its enclosing group.
      if ((inner || quantified) && quantifiedInside.length > 0) quantifiedInside[quantifiedInside.length - 1] = true;
    } else if ((ch === '*' || ch === '+' || ch === '{') && quantifiedInside.length > 0) {
      quantifiedInside[quantifiedInside.length - 1] = true;
    }
  }
  return false;
}

/** Compiles a pattern or explains why it will not be checked. */
export function compilePattern(pattern: string, refuseNested: boolean): RegExp | string {
  if (refuseNested && hasNestedQuantifier(pattern)) return 'nests quantifiers (catastrophic backtracking risk)';
  try {
    return new RegExp(pattern);
  } catch {
    return 'is not a valid ECMA-262 regular expression';
  }
}

/** Compiles the constraints of one path into checks; `warn` hears about patterns left out. */
export function compileChecks(c: ArgumentConstraints, options: CheckCompileOptions, warn: (note: string) => void): Check[] {
  const checks: Check[] = [];
  const { maxLength, minLength, maxItems, minItems } = c;
  if (maxLength !== undefined) {
    checks.push({
      rule: 'maxLength',
      test: (v) => (typeof v === 'string' && codePoints(v, maxLength) > maxLength ? `must be at most ${maxLength} characters long` : null),
    });
  }
  if (minLength !== undefined) {
    checks.push({
      rule: 'minLength',
      test: (v) => (typeof v === 'string' && codePoints(v, 2 * minLength) < minLength ? `must be at least ${minLength} characters long` : null),
    });
  }
  if (c.pattern !== undefined) {
    const compiled = compilePattern(c.pattern, options.refuseNestedQuantifiers);
    if (typeof compiled === 'string') {
      warn(`pattern ${JSON.stringify(c.pattern)} ${compiled}: not checked`);
    } else {
      // Past maxLength the maxLength rule has already failed; without one, refuse unrun.
      const cap = maxLength ?? options.maxPatternInputLength;
      const capReported = maxLength === undefined;
      checks.push({
        rule: 'pattern',
        test: (v) => {
          if (typeof v !== 'string') return null;
          if (v.length > cap) return capReported ? `is too long (over ${cap} characters) to check against its pattern` : null;
          compiled.lastIndex = 0;
          return compiled.test(v) ? null : 'does not match the required pattern';
        },
      });
    }
  }
  const bound = (rule: ConstraintRule, b: number | undefined, fails: (d: number) => boolean, words: string) => {
    if (b === undefined) return;
    checks.push({
      rule,
      test: (v) => {
        const d = compareToBound(v, b);
        return !Number.isNaN(d) && fails(d) ? `must be ${words} ${b}` : null;
      },
    });
  };
  if (c.integer) checks.push({ rule: 'integer', test: (v) => (v === null || v === undefined || isWholeNumber(v) ? null : 'must be an integer') });
  bound('minimum', c.minimum, (d) => d < 0, 'at least');
  bound('maximum', c.maximum, (d) => d > 0, 'at most');
  bound('exclusiveMinimum', c.exclusiveMinimum, (d) => d <= 0, 'greater than');
  bound('exclusiveMaximum', c.exclusiveMaximum, (d) => d >= 0, 'less than');
  if (maxItems !== undefined) {
    checks.push({ rule: 'maxItems', test: (v) => (Array.isArray(v) && v.length > maxItems ? `must have at most ${maxItems} items` : null) });
  }
  if (minItems !== undefined) {
    checks.push({ rule: 'minItems', test: (v) => (Array.isArray(v) && v.length < minItems ? `must have at least ${minItems} items` : null) });
  }
  if (c.enum !== undefined && c.enum.length > 0) {
    const allowed = new Set<unknown>([...c.enum, ...(options.enumAliases ?? [])]);
    // Numbers may arrive as bigint or numeric strings from BigInt-like scalars.
    const numeric = new Set(c.enum.filter((m) => typeof m === 'number').map(String));
    checks.push({
      rule: 'enum',
      test: (v) => {
        if (v === null || typeof v === 'object' || allowed.has(v)) return null;
        if ((typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string') && numeric.has(String(v))) return null;
        return 'must be one of the allowed values';
      },
    });
  }
  if (c.pathSegment) checks.push({ rule: 'pathSegment', test: pathSegmentProblem });
  if (c.headerValue) checks.push({ rule: 'headerValue', test: headerValueProblem });
  return checks;
}

/** A JSON or GraphQL spelling of a whole number: a safe integer, a bigint, or decimal digits. */
function isWholeNumber(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (typeof v === 'number') return Number.isSafeInteger(v);
  return typeof v === 'string' && /^-?\d{1,19}$/.test(v);
}
