import type { TierLimits } from '../../src/budget/options';

/**
 * One simulated HTTP request to the gateway and what the simulator reads back: the status,
 * the error codes, whether the budget refused it, the cost the gateway reported
 * (`extensions.cost`, Shopify's shape) for each operation it admitted, and the bucket's limits.
 */

/** A GraphQL request body: one operation, or a batch of them. */
export type RequestBody = GraphQLBody | GraphQLBody[];

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

export interface SimRequest {
  body: RequestBody;
  /** Bearer token; absent for anonymous requests. */
  token?: string;
}

export interface Outcome {
  status: number;
  /** Every `extensions.code` in the response (all operations of a batch). */
  codes: string[];
  /** Some operation of the request was refused by the budget (THROTTLED). */
  throttled: boolean;
  /** Retry-After in seconds, when the gateway sent one. */
  retryAfterSeconds?: number;
  /** Sum of `requestedQueryCost` over the operations that ran: the cost the gateway admitted. */
  estimatedCost: number;
  /** Sum of `actualQueryCost` over the same operations: the cost counted from the responses. */
  actualCost: number;
  /** The bucket's limits from `throttleStatus` (maximumAvailable, restoreRate), when an answer carried them. */
  limits?: TierLimits;
}

interface ResultBody {
  errors?: Array<{ extensions?: { code?: unknown } }>;
  extensions?: {
    cost?: { requestedQueryCost?: unknown; actualQueryCost?: unknown; throttleStatus?: { maximumAvailable?: unknown; restoreRate?: unknown } };
  };
}

export async function sendRequest(url: string, sourceAddress: string, request: SimRequest): Promise<Outcome> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      // The gateway trusts loopback as a proxy, so this is the address it keys anonymous clients by.
      'x-forwarded-for': sourceAddress,
      ...(request.token !== undefined ? { authorization: `Bearer ${request.token}` } : {}),
    },
    body: JSON.stringify(request.body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`gateway answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    status: response.status,
    ...readResults(Array.isArray(parsed) ? (parsed as ResultBody[]) : [parsed as ResultBody]),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  };
}

function readResults(results: ResultBody[]): Omit<Outcome, 'status' | 'retryAfterSeconds'> {
  const codes: string[] = [];
  let throttled = false;
  let estimatedCost = 0;
  let actualCost = 0;
  let limits: TierLimits | undefined;
  for (const result of results) {
    const resultCodes = (result.errors ?? []).map((e) => String(e.extensions?.code ?? ''));
    codes.push(...resultCodes);
    // Refused operations report the bucket too; the last operation's limits stand for the request.
    const status = result.extensions?.cost?.throttleStatus;
    if (typeof status?.maximumAvailable === 'number' && typeof status.restoreRate === 'number') {
      limits = { capacity: status.maximumAvailable, restoreRatePerSecond: status.restoreRate };
    }
    if (resultCodes.includes('THROTTLED')) {
      throttled = true;
      continue; // a refused operation served nothing, whatever it would have cost
    }
    const cost = result.extensions?.cost;
    if (typeof cost?.requestedQueryCost === 'number') estimatedCost += cost.requestedQueryCost;
    if (typeof cost?.actualQueryCost === 'number') actualCost += cost.actualQueryCost;
  }
  return { codes, throttled, estimatedCost, actualCost, ...(limits ? { limits } : {}) };
}
