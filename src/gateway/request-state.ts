import { getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Principal } from '../auth/principal';
import { shortHash } from '../feedback/signals';

/** What one operation of a request cost and met, gathered by the plugins for the feedback loop. */
export interface OperationRecord {
  estimatedCost: number;
  actualCost?: number;
  /** Largest length seen per list field in the response ("Type.field"), for recommendations. */
  listSizes?: Record<string, number>;
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
export function operationRecord(args: { contextValue?: unknown; document: DocumentNode; operationName?: string | null }): OperationRecord {
  let record = operations.get(args);
  if (!record) {
    // Created by the first plugin that asks, before authorization prunes the document: the id and
    // the introspection flag describe what the client sent.
    record = {
      estimatedCost: 0,
      introspection: selectsIntrospection(args.document, args.operationName),
      operationId: operationIdOf(args.document, args.operationName),
    };
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

const operationIds = new WeakMap<DocumentNode, Map<string, string>>();

/**
 * A stable, short id of the operation across requests and instances: its text and name, hashed
 * once per parsed document (only names of operations the document defines get this far).
 */
function operationIdOf(document: DocumentNode, operationName: string | null | undefined): string {
  let byName = operationIds.get(document);
  if (byName === undefined) {
    byName = new Map();
    operationIds.set(document, byName);
  }
  const name = operationName ?? '';
  let id = byName.get(name);
  if (id === undefined) {
    id = shortHash(`${document.loc?.source.body ?? ''}\u0000${name}`);
    byName.set(name, id);
  }
  return id;
}

/** True when the operation asks for `__schema` or `__type` at its root, however spelled. */
function selectsIntrospection(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type';
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      const fragment = fragments.get(s.name.value);
      if (!fragment || visited.has(s.name.value)) return false;
      visited.add(s.name.value);
      return walk(fragment.selectionSet);
    });
  return walk(operation.selectionSet);
}
