import type { QueryName } from './options';

/** One operation the benchmark sends, through a gateway and straight to the reviews upstream. */
export interface BenchQuery {
  name: QueryName;
  /** What clients send to a gateway (bare, loopgate, peer). */
  gateway: string;
  /** The equivalent operation on the reviews subgraph, for the `upstream` scenario. */
  upstream: string;
  /** Says what is wrong with a gateway's response body, or undefined when it is the expected answer. */
  problemWith(body: unknown): string | undefined;
  /** The same for the upstream's answer to `upstream`. */
  upstreamProblemWith(body: unknown): string | undefined;
}

interface ReviewShape {
  text?: unknown;
  rating?: unknown;
  author?: { name?: unknown } | null;
  pet?: { name?: unknown } | null;
}

/** Common checks: JSON object, no errors, a non-empty reviews list whose items have the asked fields. */
function reviewsProblem(body: unknown, needsPet: boolean): string | undefined {
  if (typeof body !== 'object' || body === null) return 'body is not a JSON object';
  const { data, errors } = body as { data?: { reviewsForPet?: ReviewShape[] } | null; errors?: unknown[] };
  if (errors?.length) return `errors: ${JSON.stringify(errors).slice(0, 300)}`;
  const reviews = data?.reviewsForPet;
  if (!Array.isArray(reviews) || reviews.length === 0) return 'data.reviewsForPet is missing or empty';
  for (const review of reviews) {
    if (typeof review.text !== 'string' || typeof review.rating !== 'number') return 'a review lacks text or rating';
    if (review.author !== null && typeof review.author?.name !== 'string') return 'an author lacks a name';
    if (needsPet && typeof review.pet?.name !== 'string') return 'a review lacks its pet (the REST part did not run)';
  }
  return undefined;
}

export const benchQueries: Record<QueryName, BenchQuery> = {
  // Only the GraphQL backend: the gateway's own overhead is not hidden behind the REST call.
  reviews: {
    name: 'reviews',
    gateway: '{ reviewsForPet(petId: 1) { text rating author { name } } }',
    upstream: '{ reviewsForPet(petId: 1) { text rating author { name } } }',
    problemWith: (body) => reviewsProblem(body, false),
    upstreamProblemWith: (body) => reviewsProblem(body, false),
  },
  // Both sources: each review's pet comes from the Petstore REST API.
  cross: {
    name: 'cross',
    gateway: '{ reviewsForPet(petId: 1) { text rating author { name } pet { name status } } }',
    // The upstream scenario can only run the reviews half (petId is what the gateway asks for the join).
    upstream: '{ reviewsForPet(petId: 1) { text rating author { name } petId } }',
    problemWith: (body) => reviewsProblem(body, true),
    upstreamProblemWith: (body) => reviewsProblem(body, false),
  },
};

