import {
  isListType,
  isNonNullType,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { compileAccessPlan, type DeniedSelection } from './analyze-access';
import { denialErrors, denialReport } from './denial-report';
import type { DenialsIn } from './options';
import { placeholderPrefix } from './prune';

export interface ApplyDenialsOptions {
  /** Where denials are reported: 'errors' (default), 'extensions' (`extensions.authorization`) or 'none'. */
  denialsIn?: DenialsIn;
}

type Json = Record<string, unknown>;

/**
 * Turns the result of the pruned document into the result of the original one: `null` where a
 * denied selection stood (only in the objects that would have carried it, as the markers
 * inserted by `pruneDocument` tell), null propagated by the schema's non-null rules, markers
 * removed, and one error per denied response path. Errors carry the static path of response keys
 * without list indices: one error per denied selection rather than one per list item, so the
 * error count stays bounded by the document, not by the data. `data` is null when no authorized
 * root field was left. Does not modify `result`.
 */
export function applyDenials(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  result: ExecutionResult,
  denied: ReadonlyArray<DeniedSelection>,
  options: ApplyDenialsOptions = {},
): ExecutionResult {
  if (denied.length === 0) return result;
  const plan = compileAccessPlan(schema, document, operationName);
  const prefix = placeholderPrefix(document);
  let data: Json | null | undefined = result.data;
  if (data != null) {
    if (Object.keys(data).every((k) => k.startsWith(prefix))) {
      data = null; // only markers came back: nothing authorized was selected at the root
    } else {
      const walk: Walk = { owned: new Set(), types: [], path: [], marker: '' };
      data = own(walk, data) as Json;
      const seen = new Set<string>();
      for (let k = 0; k < denied.length && data !== null; k++) {
        const d = denied[k];
        const id = `${d.path.join('.')} ${d.coordinate}`;
        if (seen.has(id)) continue; // pruneDocument marked only the first of duplicates
        seen.add(id);
        walk.path = d.path;
        walk.types = d.path.map((_, i) => plan.fieldType(d.path.slice(0, i + 1)));
        walk.marker = `${prefix}${k}`;
        if (applyInObject(walk, data, 0)) data = null;
      }
    }
  }
  const denialsIn = options.denialsIn ?? 'errors';
  const out: ExecutionResult = { ...result, data };
  if (denialsIn === 'errors') out.errors = [...(result.errors ?? []), ...denialErrors(denied, 200)];
  if (denialsIn === 'extensions') {
    out.extensions = { ...result.extensions, authorization: { denied: denialReport(denied) } };
  }
  return out;
}

interface Walk {
  /** Copies made during this call; only these may be written. */
  owned: Set<object>;
  path: readonly string[];
  types: ReadonlyArray<GraphQLOutputType | undefined>;
  marker: string;
}

function own(walk: Walk, value: object): object {
  if (walk.owned.has(value)) return value;
  const copy = Array.isArray(value) ? [...value] : { ...value };
  walk.owned.add(copy);
  return copy;
}

/** Applies the denial below `obj` (an owned copy); true when `obj` itself must become null. */
function applyInObject(walk: Walk, obj: Json, depth: number): boolean {
  const key = walk.path[depth];
  const type = walk.types[depth];
  const nonNull = type !== undefined && isNonNullType(type);
  if (depth === walk.path.length - 1) {
    // No marker: this object's runtime type or directives never selected the denied field.
    if (!Object.hasOwn(obj, walk.marker)) return false;
    delete obj[walk.marker];
    obj[key] = null;
    return nonNull;
  }
  const child = obj[key];
  if (child === null || typeof child !== 'object' || type === undefined) return false;
  const copy = own(walk, child);
  obj[key] = copy;
  if (!applyInValue(walk, copy, nonNull ? (type as { ofType: GraphQLOutputType }).ofType : type, depth + 1)) return false;
  obj[key] = null;
  return nonNull;
}

/** `type` is nullable-unwrapped; true when `value` must become null. */
function applyInValue(walk: Walk, value: object, type: GraphQLOutputType, depth: number): boolean {
  if (!isListType(type)) return Array.isArray(value) ? false : applyInObject(walk, value as Json, depth);
  if (!Array.isArray(value)) return false;
  const item: GraphQLOutputType = type.ofType;
  const itemNonNull = isNonNullType(item);
  const inner = itemNonNull ? item.ofType : item;
  for (let j = 0; j < value.length; j++) {
    const v: unknown = value[j];
    if (v === null || typeof v !== 'object') continue;
    const copy = own(walk, v);
    value[j] = copy;
    if (applyInValue(walk, copy, inner, depth)) {
      value[j] = null;
      if (itemNonNull) return true; // a null in [T!] nulls the whole list
    }
  }
  return false;
}
