/** What the gateway learnt from one executed operation, for recommendations. */
export interface ObservationInput {
  clientId: string;
  /** The tier whose budget the client has (groups the tier capacity recommendation); absent = 'default'. */
  tier?: string;
  estimatedCost: number;
  actualCost: number;
  /** Observed list length per schema coordinate ("Query.findPetsByStatus"): the longest seen in this response. */
  listSizes?: Record<string, number>;
  /** When it happened, epoch ms; default the log's clock. */
  atMs?: number;
}

export interface Observation extends Required<Omit<ObservationInput, 'tier' | 'listSizes'>> {
  tier?: string;
  listSizes: Record<string, number>;
}

export interface ObservationLogOptions {
  /** Observations kept; the oldest is overwritten first. Default 10_000. */
  maxSamples?: number;
  /** Coordinates kept per observation (bounds memory per sample). Default 64. */
  maxCoordinatesPerSample?: number;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
}

export const defaultObservationLogOptions = {
  maxSamples: 10_000,
  maxCoordinatesPerSample: 64,
  now: Date.now,
} satisfies Required<ObservationLogOptions>;

export interface ObservationLog {
  recordObservation(input: ObservationInput): void;
  /** The kept observations, oldest first (a copy). */
  snapshot(): Observation[];
  readonly size: number;
  clear(): void;
}

/**
 * A fixed-size ring of recent observations: O(1) per record on the request path, and memory
 * bounded by maxSamples x maxCoordinatesPerSample whatever the traffic.
 */
export function createObservationLog(options: ObservationLogOptions = {}): ObservationLog {
  const maxSamples = options.maxSamples ?? defaultObservationLogOptions.maxSamples;
  const maxCoordinates = options.maxCoordinatesPerSample ?? defaultObservationLogOptions.maxCoordinatesPerSample;
  const now = options.now ?? defaultObservationLogOptions.now;
  if (!Number.isInteger(maxSamples) || maxSamples < 1) throw new TypeError('observationLog.maxSamples must be an integer >= 1');
  if (!Number.isInteger(maxCoordinates) || maxCoordinates < 0) {
    throw new TypeError('observationLog.maxCoordinatesPerSample must be an integer >= 0');
  }
  if (typeof now !== 'function') throw new TypeError('observationLog.now must be a function');
  let ring: Observation[] = [];
  let next = 0;
  return {
    get size() {
      return ring.length;
    },
    recordObservation(input) {
      const listSizes: Record<string, number> = {};
      let kept = 0;
      for (const [coordinate, size] of Object.entries(input.listSizes ?? {})) {
        if (kept >= maxCoordinates) break;
        if (Number.isFinite(size) && size >= 0) {
          listSizes[coordinate] = size;
          kept++;
        }
      }
      const observation: Observation = {
        clientId: input.clientId,
        ...(input.tier !== undefined ? { tier: input.tier } : {}),
        estimatedCost: finite(input.estimatedCost),
        actualCost: finite(input.actualCost),
        listSizes,
        atMs: input.atMs ?? now(),
      };
      if (ring.length < maxSamples) ring.push(observation);
      else ring[next] = observation;
      next = (next + 1) % maxSamples;
    },
    snapshot() {
      return ring.length < maxSamples ? ring.slice() : [...ring.slice(next), ...ring.slice(0, next)];
    },
    clear() {
      ring = [];
      next = 0;
    },
  };
}

function finite(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}
