import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { extractArgumentConstraints, type ArgumentConstraintIndex } from './extract-constraints';
import type { OpenApiDocument } from './openapi-document';
import { checkOperationArguments, planArgumentChecks } from './operation-arguments';

export interface OpenApiSource {
  subgraph: string;
  document: OpenApiDocument;
}

export interface ArgumentValidationOptions {
  sources: ReadonlyArray<OpenApiSource>;
  /** Told once per schema of constraints that cannot be checked here (the upstream still checks them). */
  onWarnings?: (subgraph: string, warnings: ArgumentConstraintIndex['warnings']) => void;
}

/**
 * Checks the arguments of REST-derived fields against what their OpenAPI document states
 * (lengths, patterns, ranges, item counts, enums, required properties) before any call, with
 * BAD_USER_INPUT naming the argument path. Indexes are built once per schema, plans once per
 * parsed document; only the coercion of this request's variables runs per request.
 */
export function useArgumentValidation({ sources, onWarnings }: ArgumentValidationOptions): Plugin {
  const indexes = new WeakMap<GraphQLSchema, ArgumentConstraintIndex[]>();
  const indexesFor = (schema: GraphQLSchema): ArgumentConstraintIndex[] => {
    let found = indexes.get(schema);
    if (!found) {
      found = sources.map((s) => extractArgumentConstraints(s.document, schema, s.subgraph));
      for (const index of found) if (index.warnings.length) onWarnings?.(index.subgraph, index.warnings);
      indexes.set(schema, found);
    }
    return found;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      for (const index of indexesFor(args.schema)) {
        if (index.coordinates.size === 0) continue;
        const plan = planArgumentChecks(index, args.schema, args.document, args.operationName);
        const errors = checkOperationArguments(index, args.schema, plan, args.variableValues);
        if (errors.length) return setResultAndStopExecution({ errors });
      }
    },
  };
}
