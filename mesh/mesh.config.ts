import { defineConfig, loadGraphQLHTTPSubgraph } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

/**
 * Composition of the demo supergraph (run by `npm run compose`, see src/compose/).
 * Upstream locations written here are placeholders: at run time the gateway points each
 * subgraph at the configured or embedded backend (gateway.config.ts `sources`).
 */
export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('petstore', {
        source: process.env.LOOPGATE_PETSTORE_OPENAPI ?? './mesh/petstore/openapi.json',
        endpoint: 'http://127.0.0.1:1/v2',
      }),
    },
    {
      sourceHandler: loadGraphQLHTTPSubgraph('reviews', {
        endpoint: 'http://127.0.0.1:1/graphql',
        // Read the SDL file, not introspection: introspection would drop the directives.
        source: process.env.LOOPGATE_REVIEWS_SDL ?? './mesh/reviews/schema.graphql',
      }),
    },
  ],
  // The links that make one query span both sources.
  additionalTypeDefs: /* GraphQL */ `
    extend type Review {
      "The reviewed pet, fetched from the Petstore REST API."
      pet: Pet
        @resolveTo(
          sourceName: "petstore"
          sourceTypeName: "Query"
          sourceFieldName: "getPetById"
          requiredSelectionSet: "{ petId }"
          sourceArgs: { petId: "{root.petId}" }
        )
    }
    extend type Pet {
      "Reviews of this pet, from the community GraphQL service."
      reviews(first: Int = 10): [Review!]!
        @resolveTo(
          sourceName: "reviews"
          sourceTypeName: "Query"
          sourceFieldName: "reviewsForPet"
          requiredSelectionSet: "{ id }"
          sourceArgs: { petId: "{root.id}", first: "{args.first}" }
        )
    }
  `,
});

export default composeConfig;
