import { defaultFeedbackOptions } from '../feedback/options';
import { signalWindow } from '../feedback/signals';
import type { Metrics } from '../metrics/metrics';
import type { BudgetStore, SignalWindow } from '../store/types';
import type { ObservationLog } from './observation-log';
import type { RecommendOptions } from './recommend';
import { maxClientIdLength } from '../auth/principal';

/** Who a verified admin JWT says the caller is. */
export interface AdminIdentity {
  subject: string;
  scopes: ReadonlySet<string>;
}

/** How operators prove who they are. With neither `token` nor `verifyJwt` the admin API is off (404). */
export interface AdminCredentials {
  /**
   * Static bearer token (e.g. from env LOOPGATE_ADMIN_TOKEN), compared in constant time; at
   * least 16 characters. Empty string = not configured. The audit actor is 'token'.
   */
  token?: string;
  /** Verifies a bearer JWT; undefined (or a throw) = invalid. The audit actor is the subject. */
  verifyJwt?: (token: string) => Promise<AdminIdentity | undefined>;
  /** Scope a JWT must carry to use the admin API. Default 'loopgate:admin'. */
  adminScope?: string;
}

/** Where audit events are read and written; the store by default. */
export type AuditSource = Pick<BudgetStore, 'appendAudit' | 'listAudit'>;

/** Observations and policy behind GET /admin/recommendations. */
export interface RecommendationSource {
  log: ObservationLog;
  options?: RecommendOptions;
  /** The field's type as SDL for the policy snippet (`[Pet]`), by coordinate; ignored by the merge, shown for review. */
  fieldType?: (coordinate: string) => string | undefined;
}

export interface AdminHandlerOptions {
  store: BudgetStore;
  /** Audit events; default `store`. */
  auditSource?: AuditSource;
  credentials: AdminCredentials;
  /** When given, GET {pathPrefix}/metrics serves its text behind the admin credential. */
  metrics?: Pick<Metrics, 'metricsText' | 'contentType'>;
  recommendations?: RecommendationSource;
  /** Clock, epoch ms. Default Date.now. */
  now?: () => number;
  /** Path the admin API and dashboard live under. Default '/admin'. */
  pathPrefix?: string;
  /** Signal window read for "recent signals"; default the feedback loop's default window. */
  signalWindow?: SignalWindow;
  /** Largest accepted request body, in bytes. Default 16_384. */
  maxBodyBytes?: number;
  /** Longest client id accepted in a path or query, in characters. Default 256. */
  maxClientIdLength?: number;
  /** Width of one slot of the per-client cost series, in ms. Default 60_000. */
  seriesSlotMs?: number;
  /** Slots kept per client (series length = seriesSlotMs x seriesSlots). Default 60. */
  seriesSlots?: number;
  /** Clients with a cost series kept in memory, least recently sampled forgotten first. Default 1000. */
  maxSeriesClients?: number;
}

export const defaultAdminOptions = {
  pathPrefix: '/admin',
  signalWindow: signalWindow(defaultFeedbackOptions),
  maxBodyBytes: 16_384,
  maxClientIdLength,
  seriesSlotMs: 60_000,
  seriesSlots: 60,
  maxSeriesClients: 1000,
} satisfies Required<Omit<AdminHandlerOptions, 'store' | 'auditSource' | 'credentials' | 'metrics' | 'recommendations' | 'now'>>;

export const defaultAdminScope = 'loopgate:admin';
export const minAdminTokenLength = 16;

export interface NormalizedAdminOptions extends Readonly<Required<Omit<AdminHandlerOptions, 'metrics' | 'recommendations' | 'credentials'>>> {
  metrics?: Pick<Metrics, 'metricsText' | 'contentType'>;
  recommendations?: RecommendationSource;
  credentials: Readonly<{ token?: string; verifyJwt?: AdminCredentials['verifyJwt']; adminScope: string }>;
  /** False when no credential is configured: everything under the prefix answers 404. */
  enabled: boolean;
}

/** Fills defaults and refuses bad values with a TypeError naming the key; run once at start-up. */
export function normalizeAdminOptions(options: AdminHandlerOptions): NormalizedAdminOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('admin options must be an object');
  const { store } = options;
  if (typeof store?.listClients !== 'function') throw new TypeError('admin.store must be a BudgetStore');
  const creds = options.credentials;
  if (typeof creds !== 'object' || creds === null) throw new TypeError('admin.credentials must be an object');
  const token = creds.token === '' ? undefined : creds.token;
  if (token !== undefined && (typeof token !== 'string' || token.length < minAdminTokenLength)) {
    throw new TypeError(`admin.credentials.token must be a string of at least ${minAdminTokenLength} characters`);
  }
  if (creds.verifyJwt !== undefined && typeof creds.verifyJwt !== 'function') {
    throw new TypeError('admin.credentials.verifyJwt must be a function');
  }
  const adminScope = creds.adminScope ?? defaultAdminScope;
  if (typeof adminScope !== 'string' || adminScope === '') throw new TypeError('admin.credentials.adminScope must be a non-empty string');

  const pathPrefix = options.pathPrefix ?? defaultAdminOptions.pathPrefix;
  if (typeof pathPrefix !== 'string' || !/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(pathPrefix)) {
    throw new TypeError('admin.pathPrefix must be an absolute path like "/admin" without a trailing slash');
  }
  const window = options.signalWindow ?? defaultAdminOptions.signalWindow;
  if (typeof window !== 'object' || window === null || !(window.slotMs > 0) || !(window.slots >= 1) || !(window.distinctCap >= 1)) {
    throw new TypeError('admin.signalWindow must be { slotMs > 0, slots >= 1, distinctCap >= 1 }');
  }
  const ints = {
    maxBodyBytes: [options.maxBodyBytes ?? defaultAdminOptions.maxBodyBytes, 64, 10_000_000],
    maxClientIdLength: [options.maxClientIdLength ?? defaultAdminOptions.maxClientIdLength, 1, 65_536],
    seriesSlotMs: [options.seriesSlotMs ?? defaultAdminOptions.seriesSlotMs, 1, 86_400_000],
    seriesSlots: [options.seriesSlots ?? defaultAdminOptions.seriesSlots, 1, 10_000],
    maxSeriesClients: [options.maxSeriesClients ?? defaultAdminOptions.maxSeriesClients, 1, 1_000_000],
  } as const;
  for (const [key, [value, min, max]] of Object.entries(ints)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new TypeError(`admin.${key} must be an integer from ${min} to ${max}`);
    }
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('admin.now must be a function');
  const recommendations = options.recommendations;
  if (recommendations !== undefined && typeof recommendations.log?.snapshot !== 'function') {
    throw new TypeError('admin.recommendations.log must be an ObservationLog');
  }
  return {
    store,
    auditSource: options.auditSource ?? store,
    credentials: Object.freeze({ ...(token ? { token } : {}), ...(creds.verifyJwt ? { verifyJwt: creds.verifyJwt } : {}), adminScope }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(recommendations ? { recommendations } : {}),
    now: options.now ?? Date.now,
    pathPrefix,
    signalWindow: window,
    maxBodyBytes: ints.maxBodyBytes[0],
    maxClientIdLength: ints.maxClientIdLength[0],
    seriesSlotMs: ints.seriesSlotMs[0],
    seriesSlots: ints.seriesSlots[0],
    maxSeriesClients: ints.maxSeriesClients[0],
    enabled: token !== undefined || creds.verifyJwt !== undefined,
  };
}
