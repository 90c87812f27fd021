import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSchema, createYoga } from 'graphql-yoga';
import { listenOnLoopback, type RunningBackend } from './listen';
import { seedCommunity, type AdoptionRecord, type OwnerRecord, type ReviewRecord } from './seed';

export const reviewsSchemaPath = fileURLToPath(new URL('../reviews/schema.graphql', import.meta.url));

/**
 * The demo GraphQL upstream (reviews, owners, adoptions) on graphql-yoga. It does not enforce
 * the directives in its SDL itself: that is the gateway's job, and the tests prove it by
 * reading this backend's request log.
 */
export function startReviewsBackend(port = 0): Promise<RunningBackend> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: readFileSync(reviewsSchemaPath, 'utf8'), resolvers: createResolvers() }),
    graphqlEndpoint: '/graphql',
    graphiql: false,
    logging: false,
    maskedErrors: true,
  });
  return listenOnLoopback(async (req, res, body) => {
    // The log already read the body, so hand Yoga a fetch Request instead of the spent stream.
    const response = await yoga.fetch(`http://backend${req.url ?? '/'}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }, port, '/graphql');
}

function createResolvers() {
  const data = seedCommunity();
  const ownerById = (id: string) => data.owners.find((o) => o.id === id);
  let nextReview = data.reviews.length + 1;
  let nextAdoption = data.adoptions.length + 1;
  const take = <T>(items: T[], first: number | null | undefined) => items.slice(0, Math.max(0, first ?? 10));
  return {
    Query: {
      reviewsForPet: (_: unknown, a: { petId: number; first?: number }) => take(data.reviews.filter((r) => r.petId === a.petId), a.first),
      review: (_: unknown, a: { id: string }) => data.reviews.find((r) => r.id === a.id) ?? null,
      search: (_: unknown, a: { text: string; first?: number }) => {
        const needle = a.text.toLowerCase();
        const hits: Array<ReviewRecord | OwnerRecord> = [
          ...data.reviews.filter((r) => r.text.toLowerCase().includes(needle)),
          ...data.owners.filter((o) => o.name.toLowerCase().includes(needle)),
        ];
        return take(hits, a.first);
      },
      owner: (_: unknown, a: { id: string }) => ownerById(a.id) ?? null,
      adoptions: (_: unknown, a: { first?: number }) => take(data.adoptions, a.first),
      node: (_: unknown, a: { id: string }) =>
        data.reviews.find((r) => r.id === a.id) ?? data.owners.find((o) => o.id === a.id) ?? data.adoptions.find((x) => x.id === a.id) ?? null,
    },
    Mutation: {
      addReview: (_: unknown, a: { petId: number; rating: number; text: string }) => {
        const review: ReviewRecord = { id: `r${nextReview++}`, petId: a.petId, rating: a.rating, text: a.text, authorId: 'o1', createdAt: new Date(0).toISOString() };
        data.reviews.push(review);
        return review;
      },
      adoptPet: (_: unknown, a: { petId: number; ownerId: string }) => {
        const adoption: AdoptionRecord = { id: `a${nextAdoption++}`, petId: a.petId, ownerId: a.ownerId, adoptedAt: new Date(0).toISOString(), fee: 100 };
        data.adoptions.push(adoption);
        return adoption;
      },
    },
    Node: { __resolveType: resolveNodeType },
    SearchResult: { __resolveType: resolveNodeType },
    Review: { author: (r: ReviewRecord) => ownerById(r.authorId) ?? null },
    Owner: { reviews: (o: OwnerRecord) => data.reviews.filter((r) => r.authorId === o.id) },
    Adoption: { owner: (a: AdoptionRecord) => ownerById(a.ownerId) },
  };
}

function resolveNodeType(value: { id: string }): string {
  if (value.id.startsWith('r')) return 'Review';
  if (value.id.startsWith('o')) return 'Owner';
  return 'Adoption';
}
