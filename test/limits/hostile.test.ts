import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLimits, parseWithLimits } from '../../src/limits';
import { aliasBomb, deepDocument, fanOutDocument } from '../cost/hostile';

// Each case returns a result or a clean error; speed is the bench's business, not the test's.
describe('hostile documents against the limits', () => {
  it('10,000-deep nesting is measured without recursion', () => {
    const result = checkLimits(deepDocument(10_000, 'a', 'b'), null);
    expect(result.measured.depth).toBe(10_000);
    expect(result.violations.map((v) => v.code)).toEqual(['MAX_DEPTH_LIMIT']);
  });

  it('10,000-deep text is stopped by the token cap, or by the depth guard when the cap is huge', () => {
    const text = `{ ${'a { '.repeat(10_000)}b${' }'.repeat(10_000)} }`;
    expect(() => parseWithLimits(text)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'MAX_TOKENS_LIMIT' }) }));
    expect(() => parseWithLimits(text, { maxTokens: 1_000_000 })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'MAX_DEPTH_LIMIT' }) }),
    );
  });

  it('1,000 aliases of a fragment spread', () => {
    const result = checkLimits(parse(aliasBomb(1000, 'r', 'fragment X on R { a }'), { maxTokens: 100_000 }), null);
    expect(result.measured.aliases).toBe(1000);
    expect(result.violations.map((v) => v.code)).toEqual(['MAX_ALIASES_LIMIT', 'MAX_ROOT_FIELDS_LIMIT']);
  });

  it('a fragment cycle does not hang', () => {
    const result = checkLimits(parse('{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }'), null);
    // Spreads on the cycle count as empty: graphql validation rejects the document anyway.
    expect(result.violations).toEqual([]);
    expect(result.measured).toEqual({ depth: 0, aliases: 0, rootFields: 0, directives: 0 });
  });

  it('5,000 fragments each spreading the previous twice: exponential counts, linear work', () => {
    const result = checkLimits(fanOutDocument(5000, 'R', 'r', 'x: a @d'), null);
    expect(result.measured.aliases).toBe(Number.POSITIVE_INFINITY);
    expect(result.violations.map((v) => v.code)).toEqual(['MAX_ALIASES_LIMIT', 'MAX_DIRECTIVES_LIMIT']);
  });
});
