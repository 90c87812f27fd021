import type { ExecutionResult, GraphQLError } from 'graphql';
import { gatewayError, type GatewayErrorCode } from '../errors';
import type { DeniedSelection } from './analyze-access';
import type { DenialsIn } from './options';

/** What a client learns about one denial: where, and the error code. Coordinates and reasons stay server-side. */
export interface DenialReportEntry {
  path: string[];
  code: GatewayErrorCode;
}

function codeOf(d: DeniedSelection): GatewayErrorCode {
  return d.reason === 'introspection_disabled' ? 'INTROSPECTION_DISABLED' : 'UNAUTHORIZED_FIELD_OR_TYPE';
}

/** One entry per denied response path (two coordinates denied at one path give one entry). */
export function denialReport(denied: ReadonlyArray<DeniedSelection>): DenialReportEntry[] {
  const byPath = new Map<string, DenialReportEntry>();
  for (const d of denied) {
    const id = d.path.join('.');
    if (!byPath.has(id)) byPath.set(id, { path: [...d.path], code: codeOf(d) });
  }
  return [...byPath.values()];
}

/** One error per denied response path, `status` 200 when partial data is returned, 403 when rejecting. */
export function denialErrors(denied: ReadonlyArray<DeniedSelection>, status: number): GraphQLError[] {
  return denialReport(denied).map((e) =>
    gatewayError(
      e.code,
      e.code === 'INTROSPECTION_DISABLED' ? 'Introspection is not allowed' : 'Not authorized to read this field or type',
      { status, path: e.path },
    ),
  );
}

/** The response for mode 'reject': no data, the whole operation refused with status 403. */
export function rejectOperation(denied: ReadonlyArray<DeniedSelection>, denialsIn: DenialsIn = 'errors'): ExecutionResult {
  if (denialsIn === 'errors') return { errors: denialErrors(denied, 403) };
  const refused = gatewayError('UNAUTHORIZED_FIELD_OR_TYPE', 'Not authorized to run this operation', { status: 403 });
  if (denialsIn === 'none') return { errors: [refused] };
  return { errors: [refused], extensions: { authorization: { denied: denialReport(denied) } } };
}

/** Mode 'dry-run': the result unchanged, with what would have been denied in `extensions.authorization`. */
export function withDryRunReport(result: ExecutionResult, denied: ReadonlyArray<DeniedSelection>): ExecutionResult {
  if (denied.length === 0) return result;
  return { ...result, extensions: { ...result.extensions, authorization: { dryRun: true, denied: denialReport(denied) } } };
}
