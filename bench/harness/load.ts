import autocannon from 'autocannon';

/** One target of the load generator: a POST of one GraphQL operation. */
export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Every response must be exactly this body; others count as mismatches. */
  expectBody?: string;
}

export interface LoadSample {
  requestsPerSecond: number;
  /** Latency percentiles in ms (autocannon's histogram has 1 ms resolution). */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  completed: number;
  /** Socket errors, timeouts, resets, non-2xx responses and body mismatches, summed. */
  failures: number;
  failureDetail: string;
}

/**
 * Fires keep-alive POSTs at one target for `durationSeconds` with `connections` connections.
 * The generator runs in a worker thread so it does not share the event loop with the gateways
 * it measures (they run in this process).
 */
export async function fireLoad(target: LoadTarget, options: { durationSeconds: number; connections: number }): Promise<LoadSample> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections: options.connections,
    duration: options.durationSeconds,
    workers: 1,
    expectBody: target.expectBody,
    timeout: 10,
  });
  const completed = result.requests.total;
  const failures = result.errors + result.timeouts + result.non2xx + result.mismatches + result.resets;
  const statuses = Object.entries(result.statusCodeStats)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, s]) => `${code}x${s.count}`);
  return {
    // Completed requests over the run's real length: per-second samples are too coarse for short runs.
    requestsPerSecond: result.duration > 0 ? completed / result.duration : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.mean,
    completed,
    failures,
    failureDetail: failures
      ? `errors ${result.errors}, timeouts ${result.timeouts}, resets ${result.resets}, non-2xx ${result.non2xx}${statuses.length ? ` (${statuses.join(' ')})` : ''}, body mismatches ${result.mismatches}`
      : '',
  };
}
