import type { Principal } from '../auth/principal';
import type { DeniedSelection } from './analyze-access';

/** At most this many denials are itemised in one audit line; the count is always exact. */
const maxItemised = 20;

/**
 * The audit record of one request's denials: who (client, address), what (coordinate, path)
 * and why, and whether it was enforced or only reported (dry run). Pure, for the log line.
 */
export function denialAuditFields(principal: Principal, denied: ReadonlyArray<DeniedSelection>, enforced: boolean): Record<string, unknown> {
  return {
    clientId: principal.clientId,
    sourceAddress: principal.sourceAddress,
    enforced,
    count: denied.length,
    denials: denied.slice(0, maxItemised).map((d) => ({ coordinate: d.coordinate, path: d.path.join('.'), reason: d.reason })),
  };
}
