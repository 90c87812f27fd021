import { HeavyHitters } from './heavy-hitters';

/** Label value of every client without a series of its own. */
export const otherClient = 'other';

/**
 * Decides which clients get their own `client` label value: the ones the operator named, plus
 * at most `topClients` of the heaviest by cost. A client that loses its place is handed to
 * `onDemote` so the caller can fold its series into "other" (sums stay whole, series bounded).
 */
export class ClientLabels {
  readonly #named: ReadonlySet<string>;
  readonly #top: number;
  readonly #hitters: HeavyHitters;
  readonly #labelled = new Set<string>();
  readonly #onDemote: (clientId: string) => void;

  constructor(options: { topClients: number; trackedClients: number; clients: readonly string[]; onDemote: (clientId: string) => void }) {
    this.#named = new Set(options.clients);
    this.#top = options.topClients;
    this.#hitters = new HeavyHitters(Math.max(1, options.trackedClients));
    this.#onDemote = options.onDemote;
  }

  /** Number of clients currently holding a dynamic (top-N) label. */
  get dynamicCount(): number {
    return this.#labelled.size;
  }

  /** Adds `cost` to the client's rank and returns the label value to record under. */
  addCost(clientId: string, cost: number): string {
    if (clientId === otherClient) return otherClient;
    if (this.#named.has(clientId)) return clientId;
    if (this.#top === 0) return otherClient;
    const displaced = this.#hitters.add(clientId, cost);
    if (displaced !== undefined && this.#labelled.delete(displaced)) this.#onDemote(displaced);
    if (this.#labelled.has(clientId)) return clientId;
    if (this.#labelled.size < this.#top) {
      this.#labelled.add(clientId);
      return clientId;
    }
    // Only a strictly heavier newcomer takes a place, so equal clients do not churn series.
    const mine = this.#hitters.estimate(clientId) ?? 0;
    let lightest: string | undefined;
    let lightestCount = Infinity;
    for (const id of this.#labelled) {
      const count = this.#hitters.estimate(id) ?? 0;
      if (count < lightestCount) {
        lightest = id;
        lightestCount = count;
      }
    }
    if (lightest === undefined || mine <= lightestCount) return otherClient;
    this.#labelled.delete(lightest);
    this.#onDemote(lightest);
    this.#labelled.add(clientId);
    return clientId;
  }

  /** The label value for the client now, without changing any rank (for throttles). */
  labelOf(clientId: string): string {
    if (clientId === otherClient) return otherClient;
    return this.#named.has(clientId) || this.#labelled.has(clientId) ? clientId : otherClient;
  }
}
