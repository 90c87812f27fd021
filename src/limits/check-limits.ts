import depthLimit from 'graphql-depth-limit';
import { Kind, type DocumentNode, type GraphQLError, type ValidationContext } from 'graphql';
import type { OrderedDocument } from '../cost/fragment-order';
import { measureOperation } from './measure';
import { modeOf, normalizeLimitsOptions, type LimitName, type LimitsOptions, type NormalizedLimitsOptions } from './options';
import { violation, type LimitViolation } from './violations';

/** Expanded field occurrences above which graphql-depth-limit (recursive, unmemoised) is not run. */
export const DEPTH_LIMIT_PACKAGE_GUARD = 5_000;

/** Values measured elsewhere (while parsing, from the HTTP body, by the cost plan). */
export interface MeasuredElsewhere {
  tokens?: number;
  documentBytes?: number;
  batch?: number;
  cost?: number;
}

export interface LimitsResult {
  measured: { depth: number; aliases: number; rootFields: number; directives: number } & MeasuredElsewhere;
  violations: LimitViolation[];
}

/**
 * Depth by graphql-depth-limit, called only behind our guards: our own linear measure is over
 * the limit (no need to ask), or the document is small and every spread resolves, so the
 * package's recursive, unmemoised walk is bounded. Its answer then is the measured depth.
 */
function packageDepth(document: DocumentNode, ordered: OrderedDocument, maxDepth: number): number | undefined {
  const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [ordered.operation, ...ordered.fragments] };
  let depth: number | undefined;
  const errors: GraphQLError[] = [];
  const context = { getDocument: () => single, reportError: (error: GraphQLError) => errors.push(error) };
  depthLimit(maxDepth, {}, (depths: Record<string, number>) => {
    depth = Object.values(depths)[0];
  })(context as unknown as ValidationContext);
  if (errors.length > 0 && (depth === undefined || depth <= maxDepth)) return maxDepth + 1;
  return depth;
}

/**
 * Checks depth, aliases, root fields and directives of one operation in one pass over the
 * document (each fragment once), plus any values measured elsewhere. Never throws on hostile
 * input; returns every violation with `enforced` telling whether to reject.
 */
export function checkLimits(
  document: DocumentNode,
  operationName: string | null | undefined,
  options: LimitsOptions = {},
  elsewhere: MeasuredElsewhere = {},
): LimitsResult {
  const limits: NormalizedLimitsOptions = normalizeLimitsOptions(options);
  const measures = measureOperation(document, operationName);
  let depth = measures.depth;
  if (
    modeOf(limits, 'depth') !== 'off' &&
    measures.ordered &&
    depth <= limits.maxDepth &&
    measures.brokenSpreads === 0 &&
    measures.ordered.unknown.size === 0 &&
    measures.expandedFields <= DEPTH_LIMIT_PACKAGE_GUARD
  ) {
    depth = packageDepth(document, measures.ordered, limits.maxDepth) ?? depth;
  }
  const measured: LimitsResult['measured'] = {
    depth,
    aliases: measures.aliases,
    rootFields: measures.rootFields,
    directives: measures.directives,
    ...elsewhere,
  };
  const violations: LimitViolation[] = [];
  const consider = (name: LimitName, actual: number | undefined) => {
    if (actual === undefined) return;
    const found = violation(limits, name, actual);
    if (found) violations.push(found);
  };
  consider('depth', measured.depth);
  consider('aliases', measured.aliases);
  consider('rootFields', measured.rootFields);
  consider('directives', measured.directives);
  consider('tokens', elsewhere.tokens);
  consider('documentBytes', elsewhere.documentBytes);
  consider('batch', elsewhere.batch);
  consider('cost', elsewhere.cost);
  return { measured, violations };
}

/** The batch-size check on its own, for the HTTP layer that sees the array before parsing. */
export function checkBatch(size: number, options: LimitsOptions = {}): LimitViolation | null {
  return violation(normalizeLimitsOptions(options), 'batch', size);
}

/** The estimated-cost check on its own, for the plugin that holds the cost plan. */
export function checkCost(estimatedCost: number, options: LimitsOptions = {}): LimitViolation | null {
  return violation(normalizeLimitsOptions(options), 'cost', estimatedCost);
}
