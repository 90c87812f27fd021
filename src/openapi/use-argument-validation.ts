import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { extractArgumentConstraints, type ArgumentConstraintIndex } from './extract-constraints';
import type { OpenApiDocument } from './openapi-document';
import { checkOperationArguments, planArgumentChecks } from './operation-arguments';
import { extractPathArgumentChecks, unsafePathAtFetch } from './path-checks';

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
 * Checks the arguments of REST-derived fields before any call: against what their OpenAPI
 * document states (lengths, patterns, ranges, item counts, enums, required properties), and,
 * for every REST source, that what goes into a URL path stays one segment. BAD_USER_INPUT names
 * the argument path. Indexes are built once per schema, plans once per parsed document; only
 * the coercion of this request's variables runs per request. At fetch time the path rule is
 * checked once more on the subgraph call itself.
 */
export function useArgumentValidation({ sources, onWarnings }: ArgumentValidationOptions): Plugin & Pick<GatewayPlugin, 'onFetch'> {
  const indexes = new WeakMap<GraphQLSchema, ArgumentConstraintIndex[]>();
  const indexesFor = (schema: GraphQLSchema): ArgumentConstraintIndex[] => {
    let found = indexes.get(schema);
    if (!found) {
      const documented = sources.map((s) => extractArgumentConstraints(s.document, schema, s.subgraph));
      for (const index of documented) if (index.warnings.length) onWarnings?.(index.subgraph, index.warnings);
      found = [extractPathArgumentChecks(schema), ...documented];
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
    onFetch({ info }) {
      // Thrown, the fetch never starts; the field gets the error.
      const error = unsafePathAtFetch(info);
      if (error) throw error;
    },
  };
}
