import type { AccessSubject } from './analyze-access';

/** 'prune' removes denied selections, 'reject' refuses the operation, 'dry-run' only reports. */
export type AuthzMode = 'prune' | 'reject' | 'dry-run';

/** Where denials go: GraphQL errors, `extensions.authorization`, or nowhere. */
export type DenialsIn = 'errors' | 'extensions' | 'none';

/**
 * Answers which of `policies` the principal satisfies. A policy missing from the answer, or
 * answered with anything but `true`, is denied.
 */
export type PolicyFunction<Principal = unknown> = (
  principal: Principal,
  policies: string[],
) => Promise<Record<string, boolean>>;

/** The default policy function: denies every policy, so `@policy` fails closed until one is configured. */
export const denyAllPolicies: PolicyFunction = async (_principal, policies) =>
  Object.fromEntries(policies.map((p) => [p, false]));

export interface IntrospectionOptions {
  /** Everyone may introspect. Default: true when NODE_ENV is "development", false otherwise. */
  allowed?: boolean;
  /** When not allowed for everyone, principals holding any of these scopes may introspect. Default: []. */
  allowedScopes?: string[];
}

export interface AuthzOptions<Principal = unknown> {
  /** What to do with denied selections. Default: 'prune'. */
  mode?: AuthzMode;
  /** Where denials are reported. Default: 'errors'. */
  denialsIn?: DenialsIn;
  /** Who may select `__schema` / `__type`. Default: see IntrospectionOptions. */
  introspection?: IntrospectionOptions;
  /** Decides `@policy` names. Default: `denyAllPolicies`. */
  policy?: PolicyFunction<Principal>;
  /** Most fields an operation may select once fragments are expanded. Default: 50,000. */
  maxExpandedFields?: number;
}

export interface NormalizedAuthzOptions<Principal = unknown> {
  mode: AuthzMode;
  denialsIn: DenialsIn;
  introspection: Required<IntrospectionOptions>;
  policy: PolicyFunction<Principal>;
  maxExpandedFields: number;
}

export const defaultAuthzOptions = {
  mode: 'prune',
  denialsIn: 'errors',
  introspection: { allowed: false, allowedScopes: [] },
  policy: denyAllPolicies,
  maxExpandedFields: 50_000,
} satisfies Required<AuthzOptions>;

const MODES: ReadonlyArray<AuthzMode> = ['prune', 'reject', 'dry-run'];
const DENIALS_IN: ReadonlyArray<DenialsIn> = ['errors', 'extensions', 'none'];
const KEYS = new Set(Object.keys(defaultAuthzOptions));

/**
 * Validates and completes options once, at start-up. Throws a TypeError naming the bad key.
 * `development` decides the introspection default (pass it explicitly in tests).
 */
export function normalizeAuthzOptions<Principal = unknown>(
  input: AuthzOptions<Principal> = {},
  development: boolean = process.env.NODE_ENV === 'development',
): NormalizedAuthzOptions<Principal> {
  for (const key of Object.keys(input)) {
    if (!KEYS.has(key)) throw new TypeError(`authz: unknown option "${key}"`);
  }
  const mode = input.mode ?? defaultAuthzOptions.mode;
  if (!MODES.includes(mode)) throw new TypeError(`authz: "mode" must be one of ${MODES.join(', ')}`);
  const denialsIn = input.denialsIn ?? defaultAuthzOptions.denialsIn;
  if (!DENIALS_IN.includes(denialsIn)) throw new TypeError(`authz: "denialsIn" must be one of ${DENIALS_IN.join(', ')}`);
  const intro = input.introspection ?? {};
  for (const key of Object.keys(intro)) {
    if (key !== 'allowed' && key !== 'allowedScopes') throw new TypeError(`authz: unknown option "introspection.${key}"`);
  }
  const allowed = intro.allowed ?? development;
  if (typeof allowed !== 'boolean') throw new TypeError('authz: "introspection.allowed" must be a boolean');
  const allowedScopes = intro.allowedScopes ?? [];
  if (!Array.isArray(allowedScopes) || allowedScopes.some((s) => typeof s !== 'string' || s === '')) {
    throw new TypeError('authz: "introspection.allowedScopes" must be an array of non-empty strings');
  }
  const policy = input.policy ?? (defaultAuthzOptions.policy as PolicyFunction<Principal>);
  if (typeof policy !== 'function') throw new TypeError('authz: "policy" must be a function');
  const maxExpandedFields = input.maxExpandedFields ?? defaultAuthzOptions.maxExpandedFields;
  if (!Number.isInteger(maxExpandedFields) || maxExpandedFields < 1) {
    throw new TypeError('authz: "maxExpandedFields" must be a positive integer');
  }
  return { mode, denialsIn, introspection: { allowed, allowedScopes: [...allowedScopes] }, policy, maxExpandedFields };
}

/** Introspection is a field like any other: allowed for everyone, or for holders of one of the listed scopes. */
export function isIntrospectionAllowed(
  subject: Pick<AccessSubject, 'scopes'>,
  options: Pick<NormalizedAuthzOptions, 'introspection'>,
): boolean {
  if (options.introspection.allowed) return true;
  return options.introspection.allowedScopes.some((s) => subject.scopes.has(s));
}

/**
 * Asks the policy function once about every policy the request needs. Answers other than `true`
 * and missing answers become `false`; a rejected promise propagates (the caller decides between
 * an error and a denial).
 */
export async function answerPolicies<Principal>(
  policy: PolicyFunction<Principal>,
  principal: Principal,
  needed: string[],
): Promise<Map<string, boolean>> {
  const answers = new Map<string, boolean>();
  if (needed.length === 0) return answers;
  const record = await policy(principal, [...needed]);
  for (const name of needed) answers.set(name, Object.hasOwn(record ?? {}, name) && record[name] === true);
  return answers;
}
