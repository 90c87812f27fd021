import { GraphQLError, Lexer, parse, Source, TokenKind, type DocumentNode } from 'graphql';
import { gatewayError } from '../errors';
import { modeOf, normalizeLimitsOptions, type LimitsOptions } from './options';
import { limitError, violation, type LimitViolation } from './violations';

export interface ParsedWithLimits {
  document: DocumentNode;
  /** UTF-8 bytes of the text, when it had to be measured exactly (undefined: clearly within). */
  bytes?: number;
  /** Violations in 'measure' mode (enforced ones throw instead). */
  violations: LimitViolation[];
}

/** Counts tokens as graphql's parser does, stopping once past `stopAfter`. Throws on lexical errors. */
export function countTokens(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) if (++count > stopAfter) break;
  return count;
}

function utf8Bytes(text: string, limit: number): number | undefined {
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes: measure exactly only when the length cannot decide.
  if (text.length * 3 <= limit) return undefined;
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Parses with the size and token caps applied before and during parsing, so an oversized
 * document costs at most the bytes read and the tokens allowed. Enforced violations throw a
 * GraphQLError with REQUEST_TOO_LARGE or MAX_TOKENS_LIMIT; syntax errors throw graphql's own
 * error; nesting too deep for the recursive parser throws MAX_DEPTH_LIMIT.
 */
export function parseWithLimits(text: string, options: LimitsOptions = {}): ParsedWithLimits {
  const limits = normalizeLimitsOptions(options);
  const violations: LimitViolation[] = [];
  const bytes = modeOf(limits, 'documentBytes') === 'off' ? undefined : utf8Bytes(text, limits.maxDocumentBytes);
  const tooLarge = bytes === undefined ? null : violation(limits, 'documentBytes', bytes);
  if (tooLarge?.enforced) throw limitError(tooLarge, limits.exposeLimits);
  if (tooLarge) violations.push(tooLarge);

  const tokensMode = modeOf(limits, 'tokens');
  const maxTokens = tokensMode === 'off' ? undefined : limits.maxTokens;
  try {
    return { document: parse(text, { maxTokens, noLocation: false }), bytes, violations };
  } catch (error) {
    if (error instanceof RangeError) {
      // The parser recurses once per nesting level; a stack overflow means absurd nesting.
      throw gatewayError('MAX_DEPTH_LIMIT', 'Query depth limit exceeded.');
    }
    if (!(error instanceof GraphQLError) || maxTokens === undefined) throw error;
    // Tell the token cap from a real syntax error by counting, not by reading the message.
    let tokens: number;
    try {
      tokens = countTokens(text, maxTokens);
    } catch {
      throw error;
    }
    const overTokens = violation(limits, 'tokens', tokens);
    if (!overTokens) throw error;
    if (overTokens.enforced) throw limitError(overTokens, limits.exposeLimits);
    // Measure mode: report the exact count and parse without the cap.
    overTokens.actual = countTokens(text);
    violations.push(overTokens);
    try {
      return { document: parse(text), bytes, violations };
    } catch (second) {
      if (second instanceof RangeError) throw gatewayError('MAX_DEPTH_LIMIT', 'Query depth limit exceeded.');
      throw second;
    }
  }
}
