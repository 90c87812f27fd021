/** A response as the resilience tests see it: what came back, or why nothing did. */
export interface Outcome {
  /** HTTP status; 0 when no response arrived (see `failure`). */
  status: number;
  /** `extensions.code` of every error, in order. */
  codes: string[];
  body?: { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: unknown } }>; extensions?: Record<string, unknown> };
  /** 'timeout' (no answer within the deadline), 'network' (connection refused or reset) or 'not-json'. */
  failure?: 'timeout' | 'network' | 'not-json';
  /** When the request was sent and answered, epoch ms. */
  sentAtMs: number;
  doneAtMs: number;
}

/** POSTs one JSON body with a per-request deadline; never throws. */
export async function send(
  url: string,
  body: unknown,
  options: { token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Outcome> {
  const sentAtMs = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    const doneAtMs = Date.now();
    try {
      const parsed = JSON.parse(text) as Outcome['body'];
      const codes = (parsed?.errors ?? []).map((e) => String(e.extensions?.code));
      return { status: response.status, codes, body: parsed, sentAtMs, doneAtMs };
    } catch {
      return { status: response.status, codes: [], failure: 'not-json', sentAtMs, doneAtMs };
    }
  } catch (error) {
    const name = (error as Error).name;
    const failure = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
    return { status: 0, codes: [], failure, sentAtMs, doneAtMs: Date.now() };
  }
}

/** Counts outcomes by a label such as "200", "503 STORE_UNAVAILABLE" or "timeout". */
export class Tally {
  readonly counts = new Map<string, number>();
  total = 0;

  add(outcome: Outcome): void {
    this.total++;
    const label = outcome.failure ?? `${outcome.status}${outcome.codes.length ? ' ' + [...new Set(outcome.codes)].sort().join('+') : ''}`;
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  count(predicate: (label: string) => boolean): number {
    let n = 0;
    for (const [label, c] of this.counts) if (predicate(label)) n += c;
    return n;
  }

  toString(): string {
    return [...this.counts].sort((a, b) => b[1] - a[1]).map(([label, c]) => `${label}: ${c}`).join(', ');
  }
}

/**
 * Runs `loops` concurrent request loops until `stop()` returns true; each loop sends one
 * request at a time (the next one as soon as the previous answered), so the load is bounded.
 */
export async function runLoops(loops: number, stop: () => boolean, request: (loop: number) => Promise<Outcome>, onOutcome: (o: Outcome, loop: number) => void): Promise<void> {
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      while (!stop()) onOutcome(await request(loop), loop);
    }),
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every 50 ms until it is true; returns the time it took, in ms. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
  return Date.now() - start;
}
