import type { MetricsOptions } from '../metrics/options';

/** The operator surface: admin API, dashboard and /metrics. */
export interface OperatorOptions {
  admin?: {
    /** Static admin token (at least 16 characters). Default: env LOOPGATE_ADMIN_TOKEN; none = no token. */
    token?: string;
    /** A gateway JWT carrying this scope is an admin credential too. Default 'loopgate:admin'. */
    adminScope?: string;
    /** Where the admin API and dashboard live. Default '/admin'. */
    pathPrefix?: string;
  };
  metrics?: MetricsOptions & {
    /** Serve /metrics without a credential (for a scraper on a private network). Default false: admin credential required. */
    public?: boolean;
  };
}

export interface NormalizedOperatorOptions {
  admin: { token?: string; adminScope: string; pathPrefix: string };
  metrics: MetricsOptions;
  metricsPublic: boolean;
}

export function normalizeOperatorOptions(admin: unknown, metrics: unknown, env: NodeJS.ProcessEnv): NormalizedOperatorOptions {
  const a = (admin ?? {}) as NonNullable<OperatorOptions['admin']>;
  const m = (metrics ?? {}) as NonNullable<OperatorOptions['metrics']>;
  if (typeof a !== 'object' || Array.isArray(a)) throw new TypeError('loopgate config: admin: must be an object');
  if (typeof m !== 'object' || Array.isArray(m)) throw new TypeError('loopgate config: metrics: must be an object');
  for (const key of Object.keys(a)) {
    if (!['token', 'adminScope', 'pathPrefix'].includes(key)) throw new TypeError(`loopgate config: admin.${key}: unknown option`);
  }
  const { public: metricsPublic = false, ...metricsOptions } = m;
  if (typeof metricsPublic !== 'boolean') throw new TypeError('loopgate config: metrics.public: must be a boolean');
  const token = a.token ?? (env.LOOPGATE_ADMIN_TOKEN || undefined);
  return {
    admin: { token, adminScope: a.adminScope ?? 'loopgate:admin', pathPrefix: a.pathPrefix ?? '/admin' },
    metrics: metricsOptions,
    metricsPublic,
  };
}
