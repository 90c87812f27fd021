import { buildSchema, type GraphQLSchema } from 'graphql';
import { schema as published } from '@octokit/graphql-schema';

let cached: GraphQLSchema | undefined;

/** GitHub's public schema; its SDL dump repeats a few fields, hence assumeValidSDL. */
export function githubSchema(): GraphQLSchema {
  return (cached ??= buildSchema(published.idl, { assumeValidSDL: true }));
}
