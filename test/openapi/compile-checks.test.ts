import { describe, expect, it } from 'vitest';
import { compareToBound, compilePattern, hasNestedQuantifier, normalizeOpenApiConstraintOptions } from '../../src/openapi';

describe('compareToBound', () => {
  const table: Array<[unknown, number, number | 'NaN']> = [
    [5, 10, -1],
    [10, 10, 0],
    [11n, 10, 1],
    [10n, 10, 0],
    [9007199254740993n, 9007199254740992, 1],
    ['12345678901234567890', 10, 1],
    ['-12345678901234567890', 10, -1],
    ['2.5', 2, 1],
    ['abc', 1, 'NaN'],
    ['', 1, 'NaN'],
    [true, 1, 'NaN'],
    [null, 1, 'NaN'],
  ];
  it.each(table)('%s against %s', (value, bound, sign) => {
    const d = compareToBound(value, bound);
    if (sign === 'NaN') expect(Number.isNaN(d)).toBe(true);
    else expect(Math.sign(d)).toBe(sign);
  });
});

describe('pattern guards', () => {
  const table: Array<[string, boolean]> = [
    ['^(a+)+$', true],
    ['^(?:\\w*)*$', true],
    ['(a{1,3}){2,}', true],
    ['((ab)*c)+', true],
    ['^[a-z]+$', false],
    ['^(ab)+$', false],
    ['^(a+)?$', false],
    ['^[(a+)]+$', false],
    ['^\\(a+\\)+$', false],
    ['^[A-Z]{3}-\\d+$', false],
  ];
  it.each(table)('%s nests quantifiers: %s', (pattern, nested) => {
    expect(hasNestedQuantifier(pattern)).toBe(nested);
  });

  it('refuses patterns that do not compile, and compiles the rest without the u flag', () => {
    expect(typeof compilePattern('(', false)).toBe('string');
    const re = compilePattern('^\\d{3}$', true);
    expect(re).toBeInstanceOf(RegExp);
    expect((re as RegExp).flags).toBe('');
    expect(typeof compilePattern('^(a+)+$', true)).toBe('string');
    expect(compilePattern('^(a+)+$', false)).toBeInstanceOf(RegExp);
  });
});

describe('options', () => {
  it('fills defaults and refuses bad keys with a TypeError naming them', () => {
    expect(normalizeOpenApiConstraintOptions({}).maxPatternInputLength).toBe(10_000);
    expect(() => normalizeOpenApiConstraintOptions({ maxPatternInputLength: 0 })).toThrow(/maxPatternInputLength/);
    expect(() => normalizeOpenApiConstraintOptions({ maxViolations: 1.5 })).toThrow(/maxViolations/);
    expect(() => normalizeOpenApiConstraintOptions({ nope: 1 } as never)).toThrow(/nope/);
    expect(() => normalizeOpenApiConstraintOptions({ slicingParameterNames: [''] })).toThrow(/slicingParameterNames/);
    expect(() => normalizeOpenApiConstraintOptions({ refuseNestedQuantifiers: 'yes' } as never)).toThrow(/refuseNestedQuantifiers/);
  });
});
