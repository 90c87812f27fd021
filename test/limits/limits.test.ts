import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  checkBatch,
  checkCost,
  checkLimits,
  limitErrors,
  measureOperation,
  normalizeLimitsOptions,
  parseWithLimits,
  type LimitsOptions,
} from '../../src/limits';

const nest = (levels: number) => `${'a { '.repeat(levels)}b${' }'.repeat(levels)}`;
const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(' ');

/** Codes of the violations checkLimits finds for a document (defaults unless told). */
function codes(text: string, options: LimitsOptions = {}): string[] {
  return checkLimits(parse(text, { maxTokens: 100_000 }), null, options).violations.map((v) => v.code);
}

describe('operation limits at, below and above their defaults', () => {
  it.each([
    ['depth', (n: number) => `{ ${nest(n)} }`, 10, 'MAX_DEPTH_LIMIT'],
    ['aliases', (n: number) => `{ r { ${many(n, (i) => `x${i}: a`)} } }`, 30, 'MAX_ALIASES_LIMIT'],
    ['root fields', (n: number) => `{ ${many(n, (i) => `a${i}`)} }`, 20, 'MAX_ROOT_FIELDS_LIMIT'],
    ['directives', (n: number) => `{ r { ${many(n, () => 'a @d')} } }`, 50, 'MAX_DIRECTIVES_LIMIT'],
  ])('%s', (_, make, bound, code) => {
    expect(codes(make(bound - 1))).toEqual([]);
    expect(codes(make(bound))).toEqual([]);
    expect(codes(make(bound + 1))).toEqual([code]);
  });

  it('tokens, checked while parsing', () => {
    const text = (tokens: number) => `{ ${many(tokens - 2, () => 'a')} }`;
    expect(parseWithLimits(text(1999)).violations).toEqual([]);
    expect(parseWithLimits(text(2000)).violations).toEqual([]);
    expect(() => parseWithLimits(text(2001))).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'MAX_TOKENS_LIMIT' }) }));
  });

  it('document bytes, checked before parsing', () => {
    const text = (bytes: number) => `{a}${' '.repeat(bytes - 3)}`;
    expect(parseWithLimits(text(99_999)).violations).toEqual([]);
    expect(parseWithLimits(text(100_000)).violations).toEqual([]);
    expect(() => parseWithLimits(text(100_001))).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'REQUEST_TOO_LARGE' }) }));
    // Multi-byte characters count as their UTF-8 bytes.
    expect(() => parseWithLimits(`{a}#${'é'.repeat(50_000)}`)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'REQUEST_TOO_LARGE' }) }));
  });

  it('a real syntax error stays graphql\'s own error', () => {
    expect(() => parseWithLimits('{ a ')).toThrow(expect.objectContaining({ extensions: {} }));
  });

  it('batch size and estimated cost', () => {
    expect(checkBatch(9)).toBeNull();
    expect(checkBatch(10)).toBeNull();
    expect(checkBatch(11)?.code).toBe('MAX_BATCH_LIMIT');
    expect(checkCost(4999)).toBeNull();
    expect(checkCost(5000)).toBeNull();
    expect(checkCost(5001)?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    const result = checkLimits(parse('{ a }'), null, {}, { batch: 11, cost: 5001, tokens: 3, documentBytes: 5 });
    expect(result.violations.map((v) => v.code)).toEqual(['MAX_BATCH_LIMIT', 'COST_ESTIMATED_TOO_EXPENSIVE']);
  });

  it('measure mode reports without enforcing; off skips', () => {
    const text = `{ ${many(21, (i) => `a${i}`)} }`;
    const measured = checkLimits(parse(text), null, { modes: { rootFields: 'measure' } });
    expect(measured.violations).toEqual([{ name: 'rootFields', code: 'MAX_ROOT_FIELDS_LIMIT', limit: 20, actual: 21, enforced: false }]);
    expect(limitErrors(measured.violations, normalizeLimitsOptions({}))).toEqual([]);
    expect(checkLimits(parse(text), null, { mode: 'off' }).violations).toEqual([]);
    const tokens = parseWithLimits(`{ ${many(3000, () => 'a')} }`, { modes: { tokens: 'measure' } });
    expect(tokens.violations.map((v) => [v.code, v.actual, v.enforced])).toEqual([['MAX_TOKENS_LIMIT', 3002, false]]);
  });

  it('limit values reach clients only with exposeLimits', () => {
    const result = checkLimits(parse(`{ ${nest(12)} }`), null);
    const [hidden] = limitErrors(result.violations, normalizeLimitsOptions({}));
    expect(hidden.extensions.code).toBe('MAX_DEPTH_LIMIT');
    expect(hidden.extensions).not.toHaveProperty('limit');
    expect(hidden.extensions).not.toHaveProperty('actual');
    const [shown] = limitErrors(result.violations, normalizeLimitsOptions({ exposeLimits: true }));
    expect(shown.extensions).toMatchObject({ code: 'MAX_DEPTH_LIMIT', limit: 10, actual: 12, http: { status: 400 } });
  });

  it('counts through fragments as execution expands them', () => {
    const text = `query { r { ...F ...F ... on Query { x: a } } __schema { types { fields { name } } } }
      fragment F on R { y: a @d s { t { u } } }`;
    const { measured } = checkLimits(parse(text), null);
    expect(measured).toMatchObject({ depth: 3, aliases: 3, rootFields: 2, directives: 2 });
    // Our own linear measure agrees with graphql-depth-limit's answer used above.
    expect(measureOperation(parse(text)).depth).toBe(3);
  });

  it('measures the chosen operation only', () => {
    const text = `query A { ${nest(12)} } query B { a }`;
    expect(checkLimits(parse(text), 'A').violations.map((v) => v.code)).toEqual(['MAX_DEPTH_LIMIT']);
    expect(checkLimits(parse(text), 'B').violations).toEqual([]);
  });

  it.each([
    [{ maxDepth: -1 }],
    [{ maxAliases: 1.5 }],
    [{ mode: 'loud' }],
    [{ modes: { nope: 'measure' } }],
    [{ modes: { depth: 'sometimes' } }],
    [{ exposeLimits: 'yes' }],
    [{ maxDeph: 3 }],
  ])('refuses %j with a TypeError', (options) => {
    expect(() => normalizeLimitsOptions(options as LimitsOptions)).toThrow(TypeError);
  });
});
