import type { Outcome, SimRequest, GraphQLBody } from './client';
import type { TokenRequest } from './gateway-config';
import type { Rng } from './prng';

/**
 * The labelled traffic mix. Each actor is a small state machine over virtual time: when to
 * send first, what to send, how long to wait after an answer. Legitimate actors honour
 * Retry-After, as well-behaved clients do; abusive ones keep going. Costs quoted below are the
 * gateway's estimates under the default cost model (lists of 10 unless sliced or sized).
 */

export type ActorLabel = 'legit' | 'abusive';

export interface ActorContext {
  rng: Rng;
  /** The actor's own token, signed once at the start; absent for anonymous actors. */
  token?: string;
  /** Signs a token at the current virtual time (the stuffer forges one per attempt). */
  sign(request: TokenRequest): Promise<string>;
}

export interface Behaviour {
  /** Virtual ms from the start of the run to the first request. */
  firstDelayMs(rng: Rng): number;
  request(context: ActorContext): SimRequest | Promise<SimRequest>;
  /** Virtual ms to wait after this outcome before the next request. */
  delayAfter(outcome: Outcome, rng: Rng): number;
}

export interface ActorSpec {
  name: string;
  label: ActorLabel;
  description: string;
  /** The address the actor sends from (X-Forwarded-For), one per actor. */
  address: string;
  /** Token identity; absent for anonymous actors. */
  identity?: { subject: string; scope: string; tier: string };
  behaviour(): Behaviour;
}

/** A well-behaved client's pause: its own pace, or longer when the gateway asked it to wait. */
function polite(outcome: Outcome, paceMs: number): number {
  return outcome.throttled ? Math.max(paceMs, (outcome.retryAfterSeconds ?? 1) * 1000) : paceMs;
}

const op = (query: string, variables?: Record<string, unknown>): GraphQLBody => (variables ? { query, variables } : { query });

const steady: ActorSpec = {
  name: 'steady',
  label: 'legit',
  description: 'one request every 2-3 s, cost 1-50, variables, correct scopes',
  address: '198.51.100.10',
  identity: { subject: 'sim-steady', scope: 'pet:read', tier: 'free' },
  behaviour: () => {
    const documents = [
      // 10 reviews x (review + author) = 20
      (rng: Rng) => op('query PetReviews($petId: Int!) { reviewsForPet(petId: $petId, first: 10) { id rating text author { name } } }', { petId: rng.int(1, 5) }),
      // 1
      (rng: Rng) => op('query Review($id: ID!) { review(id: $id) { id rating text } }', { id: `r${rng.int(1, 3)}` }),
      // assumedSize 50 = 50
      () => op('query Available { findPetsByStatus(status: [available]) { id name } }'),
    ];
    return {
      firstDelayMs: (rng) => rng.int(0, 2_000),
      request: ({ rng, token }) => ({ token, body: rng.pick(documents)(rng) }),
      delayAfter: (outcome, rng) => polite(outcome, rng.int(2_000, 3_000)),
    };
  },
};

const bursty: ActorSpec = {
  name: 'bursty',
  label: 'legit',
  description: 'idle 45-90 s, then 20-40 requests 150-300 ms apart, cost 40-50',
  address: '198.51.100.11',
  identity: { subject: 'sim-bursty', scope: 'pet:read', tier: 'free' },
  behaviour: () => {
    let left = 0;
    return {
      firstDelayMs: (rng) => rng.int(10_000, 40_000),
      request: ({ rng, token }) => {
        if (left === 0) left = rng.int(20, 40);
        left--;
        return {
          token,
          body: rng.chance(0.5)
            ? op('query Available { findPetsByStatus(status: [available]) { id name status } }')
            : op('query Recent($petId: Int!) { reviewsForPet(petId: $petId, first: 20) { id rating author { name } } }', { petId: rng.int(1, 5) }),
        };
      },
      delayAfter: (outcome, rng) => polite(outcome, left > 0 ? rng.int(150, 300) : rng.int(45_000, 90_000)),
    };
  },
};

const batch: ActorSpec = {
  name: 'heavy-batch',
  label: 'legit',
  description: 'pro tier; every 8-12 s an HTTP batch of 2-4 large operations (cost 1-1200 each)',
  address: '198.51.100.12',
  identity: { subject: 'sim-batch', scope: 'pet:read store:read owner:contact', tier: 'pro' },
  behaviour: () => {
    const operations = [
      // 50 pets x (pet + category + 10 tags) = 600
      () => op('query Catalogue { findPetsByStatus(status: [available, pending]) { id name status category { name } tags { name } } }'),
      // 100 reviews x (review + author + 10 author reviews) = 1200
      (rng: Rng) =>
        op('query Export($petId: Int!) { reviewsForPet(petId: $petId, first: 100) { id rating text createdAt author { name email reviews { id rating } } } }', {
          petId: rng.int(1, 5),
        }),
      // 100 results x 2 = 200
      (rng: Rng) =>
        op('query Find($text: String!) { search(text: $text, first: 100) { ... on Review { id text author { name } } ... on Owner { id name email } } }', {
          text: rng.pick(['a', 'e', 'o', 'Rex', 'Tom']),
        }),
      // 1
      () => op('query Stock { getInventory }'),
    ];
    return {
      firstDelayMs: (rng) => rng.int(0, 5_000),
      request: ({ rng, token }) => ({ token, body: Array.from({ length: rng.int(2, 4) }, () => rng.pick(operations)(rng)) }),
      delayAfter: (outcome, rng) => polite(outcome, rng.int(8_000, 12_000)),
    };
  },
};

const scraper: ActorSpec = {
  name: 'scraper',
  label: 'abusive',
  description: 'tight loop (700-900 ms, ignores 429s), page size 100 (cost 100-200), a new page literal in every document',
  address: '198.51.100.66',
  identity: { subject: 'sim-scraper', scope: 'pet:read', tier: 'free' },
  behaviour: () => {
    let page = 0;
    const words = ['a', 'e', 'i', 'o', 'u', 'r', 's', 't'];
    return {
      firstDelayMs: (rng) => rng.int(0, 1_000),
      request: ({ rng, token }) => {
        page++;
        // The schema has no offset argument: the pet id and the search term are its cursor,
        // written into the document as a naive scraper does.
        const query =
          page % 3 === 0
            ? `{ search(text: "${rng.pick(words)}${page}", first: 100) { ... on Review { id text } ... on Owner { id name } } }`
            : `{ reviewsForPet(petId: ${page}, first: 100) { id rating text createdAt author { name } } }`;
        return { token, body: op(query) };
      },
      delayAfter: (_outcome, rng) => rng.int(700, 900),
    };
  },
};

const stuffer: ActorSpec = {
  name: 'cred-stuffer',
  label: 'abusive',
  description: 'anonymous address; 85% forged tokens, each for a new subject; 15% anonymous queries (cost 10)',
  address: '203.0.113.66',
  behaviour: () => {
    let victim = 0;
    return {
      firstDelayMs: (rng) => rng.int(0, 1_000),
      request: async ({ rng, sign }) => {
        if (rng.chance(0.15)) return { body: op('{ reviewsForPet(petId: 1, first: 10) { id text } }') };
        victim++;
        const subject = `user-${victim}`;
        return {
          token: await sign({ subject, forged: true }),
          body: op('query Me($name: String!) { getUserByName(username: $name) { id username } }', { name: subject }),
        };
      },
      delayAfter: (_outcome, rng) => rng.int(1_000, 1_600),
    };
  },
};

const prober: ActorSpec = {
  name: 'schema-prober',
  label: 'abusive',
  description: 'introspection, misspelled fields for "Did you mean", fields beyond its scopes, some real queries (cost 100)',
  address: '198.51.100.77',
  identity: { subject: 'sim-prober', scope: 'pet:read', tier: 'free' },
  behaviour: () => {
    const probes = [
      '{ __schema { types { name } } }',
      '{ __type(name: "Owner") { fields { name } } }',
      '{ reviewsForPet(petId: 1) { raitng } }',
      '{ serch(text: "a") { __typename } }',
      '{ owner(id: "o1") { nmae } }',
      '{ adoptions(first: 5) { id fee } }',
      '{ getInventory }',
      '{ getOrderById(orderId: 1) { id status } }',
      '{ owner(id: "o1") { name email phone } }',
    ];
    return {
      firstDelayMs: (rng) => rng.int(0, 2_000),
      request: ({ rng, token }) => ({
        token,
        body: rng.chance(0.3)
          ? op('query Reviews($petId: Int!) { reviewsForPet(petId: $petId, first: 50) { id rating text author { name } } }', { petId: rng.int(1, 5) })
          : op(rng.pick(probes)),
      }),
      delayAfter: (_outcome, rng) => rng.int(1_500, 3_000),
    };
  },
};

/** The mix every run replays, in table order. */
export const actors: readonly ActorSpec[] = [steady, bursty, batch, scraper, stuffer, prober];
