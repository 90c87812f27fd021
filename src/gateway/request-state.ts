import type { Principal } from '../auth/principal';

/** What one operation of a request cost and met, gathered by the plugins for the feedback loop. */
export interface OperationRecord {
  estimatedCost: number;
  actualCost?: number;
  introspection: boolean;
  operationId?: string;
}

/** Per-request facts shared by loopgate's plugins (one request may carry a batch of operations). */
export interface RequestState {
  principal?: Principal;
  /** Set when the client may see the schema; decides whether "Did you mean" hints are kept. */
  introspectionAllowed: boolean;
  operations: OperationRecord[];
  /** Selections denied and enforced in this request, whatever `denialsIn` shows the client. */
  deniedSelections: number;
}

const states = new WeakMap<object, RequestState>();

/** The state of a request, keyed by the fetch Request object Yoga hands every hook. */
export function requestState(request: object): RequestState {
  let state = states.get(request);
  if (!state) {
    state = { introspectionAllowed: false, operations: [], deniedSelections: 0 };
    states.set(request, state);
  }
  return state;
}

const operations = new WeakMap<object, OperationRecord>();

/**
 * The record of one operation, keyed by its execution args object, which envelop shares between
 * every plugin's onExecute and onExecuteDone for that operation.
 */
export function operationRecord(args: { contextValue?: unknown }): OperationRecord {
  let record = operations.get(args);
  if (!record) {
    record = { estimatedCost: 0, introspection: false };
    operations.set(args, record);
    const request = requestOf(args.contextValue);
    if (request) requestState(request).operations.push(record);
  }
  return record;
}

/** The Request behind an execution context (Yoga puts it on the context). */
export function requestOf(context: unknown): object | undefined {
  const request = (context as { request?: unknown } | null)?.request;
  return typeof request === 'object' && request !== null ? request : undefined;
}

/** The principal of an execution context; execution never starts without one. */
export function principalOf(context: unknown): Principal | undefined {
  const request = requestOf(context);
  return request ? states.get(request)?.principal : undefined;
}
