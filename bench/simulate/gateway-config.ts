import { SignJWT } from 'jose';
import type { TierLimits } from '../../src/budget/options';
import type { LoopgateConfig } from '../../src/config';
import type { FeedbackOptions } from '../../src/feedback/options';

/**
 * The gateway the simulator drives: the demo supergraph with its embedded backends, an HS256
 * key source of its own, X-Forwarded-For trusted from loopback (each simulated actor has its
 * own address), cost in `extensions` so the simulator reads what it was charged. The adaptive
 * and the static run differ in `feedback.mode` only; the static-matched run is the static one
 * with every tier scaled by one factor.
 */

export const simulatorIssuer = 'https://issuer.simulator.loopgate';
export const simulatorAudience = 'loopgate-simulator';
const simulatorSecret = 'loopgate-simulator-hs256-secret-of-32-bytes+';
/** What the credential stuffer signs with: right issuer and audience, wrong key. */
const forgedSecret = 'not-the-gateway-secret-just-as-long-as-it!!';

/** Base budgets per tier, identical in the adaptive and the static run. */
export const simulatorTiers: Readonly<Record<string, TierLimits>> = Object.freeze({
  anonymous: { capacity: 100, restoreRatePerSecond: 10 },
  free: { capacity: 1_000, restoreRatePerSecond: 50 },
  pro: { capacity: 10_000, restoreRatePerSecond: 500 },
});

/**
 * Feedback options of the adaptive run, on top of the policy defaults. Empty on purpose: the
 * defaults already separate the simulated abusers from the legitimate clients, so the run
 * measures what an operator gets out of the box. Try others with `--feedback '{...}'`.
 */
export const simulatorFeedbackOptions: Readonly<FeedbackOptions> = Object.freeze({});

export type SimulationMode = 'adaptive' | 'static' | 'static-matched';

/** Every tier's capacity and restore rate times `factor`. */
export function scaleTiers(tiers: Readonly<Record<string, TierLimits>>, factor: number): Readonly<Record<string, TierLimits>> {
  return Object.freeze(
    Object.fromEntries(
      Object.entries(tiers).map(([name, t]) => [name, { capacity: t.capacity * factor, restoreRatePerSecond: t.restoreRatePerSecond * factor }]),
    ),
  );
}

export function simulatorConfig(
  mode: SimulationMode,
  feedback: FeedbackOptions,
  tiers: Readonly<Record<string, TierLimits>> = simulatorTiers,
): LoopgateConfig {
  return {
    server: { port: 0, host: '127.0.0.1' },
    responses: { costExtension: true },
    auth: {
      keySources: [{ kind: 'hmac', issuer: simulatorIssuer, audience: simulatorAudience, secret: simulatorSecret }],
      trustedProxies: ['127.0.0.1'],
    },
    // Introspection is off for everyone (the production default), so the prober is refused.
    authz: { introspection: { allowed: false } },
    budgets: { tiers: { ...tiers }, defaultTier: 'anonymous' },
    // 'off' in both static runs: the multiplier never leaves 1, so budgets are the tiers as given.
    feedback: { ...feedback, mode: mode === 'adaptive' ? 'enforce' : 'off' },
  };
}

export interface TokenRequest {
  subject: string;
  scope?: string;
  tier?: string;
  /** Sign with a key the gateway does not trust (a forged or stolen-format token). */
  forged?: boolean;
}

/** A real HS256 token, issued at the virtual time `nowMs` and valid for `ttlSeconds`. */
export function signToken(request: TokenRequest, nowMs: number, ttlSeconds: number): Promise<string> {
  const claims: Record<string, unknown> = {};
  if (request.scope !== undefined) claims.scope = request.scope;
  if (request.tier !== undefined) claims.tier = request.tier;
  const nowSeconds = Math.floor(nowMs / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(simulatorIssuer)
    .setAudience(simulatorAudience)
    .setSubject(request.subject)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttlSeconds)
    .sign(new TextEncoder().encode(request.forged ? forgedSecret : simulatorSecret));
}
