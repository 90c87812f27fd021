import { Kind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../errors';
import { createOperationCache } from '../shared/operation-cache';
import { checkLimits, type LimitsResult } from './check-limits';
import type { NormalizedLimitsOptions } from './options';
import { parseWithLimits } from './parse-with-limits';
import { limitError, limitErrors, violation } from './violations';

export interface LimitsPluginOptions {
  limits: NormalizedLimitsOptions;
  /** Told of violations found in measure mode (computed and reported, not enforced). */
  onMeasured?: (violations: LimitsResult['violations']) => void;
}

/**
 * Operation limits before anything reaches an upstream: batch size when the body is read,
 * document size and tokens while parsing, and depth, aliases, root fields and directives
 * before validation and again before execution (measured once per parsed document and
 * operation name; Yoga caches parsed documents by text).
 */
export function useLimits({ limits, onMeasured }: LimitsPluginOptions): Plugin {
  // Limits depend on the document alone, so the options object owns the cache.
  const measured = createOperationCache<NormalizedLimitsOptions, LimitsResult>();
  const measure = (document: DocumentNode, operationName: string | null | undefined): LimitsResult =>
    measured.get(limits, document, operationName, () => checkLimits(document, operationName, limits));
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult)) return;
          const found = violation(limits, 'batch', requestParserResult.length);
          if (found?.enforced) throw limitError(found, limits.exposeLimits);
          if (found) onMeasured?.([found]);
        },
      };
    },
    onParse({ setParseFn }) {
      setParseFn((source) => {
        const text = typeof source === 'string' ? source : source.body;
        const parsed = parseWithLimits(text, limits);
        if (parsed.violations.length) onMeasured?.(parsed.violations);
        return parsed.document;
      });
    },
    // Before validation as well: an oversized document that also fails validation must meet the
    // limit, not a hundred validation errors (validating it is the work the limit saves).
    onValidate({ params, context, setResult }) {
      const operationName = (context as { params?: { operationName?: string | null } } | undefined)?.params?.operationName;
      const errors = limitErrors(measure(params.documentAST, operationName).violations, limits);
      if (errors.length) setResult(errors);
    },
    onExecute({ args, setResultAndStopExecution }) {
      // graphql-js coerces variables into a plain object, where "__proto__" sets the prototype
      // instead of a value: execution would lose the variable while the analyses (cost, authz,
      // argument checks) read it from the request. One name, two meanings: refused.
      if (definesProtoVariable(args.document)) {
        return setResultAndStopExecution({ errors: [gatewayError('BAD_REQUEST', 'A variable may not be named $__proto__.')] });
      }
      const result = measure(args.document, args.operationName);
      if (result.violations.length === 0) return;
      const errors = limitErrors(result.violations, limits);
      if (errors.length) return setResultAndStopExecution({ errors });
      onMeasured?.(result.violations);
    },
  };
}

function definesProtoVariable(document: DocumentNode): boolean {
  return document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.variableDefinitions?.some((v) => v.variable.name.value === '__proto__'),
  );
}
