export type FeedbackMode = 'enforce' | 'shadow' | 'off';

/**
 * Feedback policy knobs. Counters are read over a rolling window (`windowMs`, made of slots of
 * `slotMs`), so evidence older than the window stops counting. Every threshold applies to the
 * window's sums.
 */
export interface FeedbackOptions {
  /** 'enforce' changes multipliers; 'shadow' logs what it would do and changes nothing; 'off'. Default 'enforce'. */
  mode?: FeedbackMode;
  /** Length of the rolling window, ms; also the "clean window" before each recovery step. Default 60_000. */
  windowMs?: number;
  /** Slot width, ms; must divide windowMs. Old evidence leaves one slot at a time. Default 10_000. */
  slotMs?: number;
  /** Lowest multiplier the loop can set. Default 0.05. */
  minMultiplier?: number;
  /** Highest multiplier (recovery stops here). Default 1. */
  maxMultiplier?: number;
  /** Multiplicative decrease on abuse: new = old x factor. Default 0.5. */
  decreaseFactor?: number;
  /** Additive recovery per clean window. Default 0.05. */
  recoveryStep?: number;
  /** Least time between two changes of one client's multiplier, ms. Default 30_000. */
  cooldownMs?: number;
  /** Least time between two policy evaluations of one client (on observe), ms. Default 5_000. */
  evaluateIntervalMs?: number;
  /** Requests needed in the window before ratio rules may fire. Default 10. */
  minRequests?: number;
  /** Failed authentications in the window. Default 5. */
  authFailureThreshold?: number;
  /** Scope denials / requests. Default 0.3. */
  denialRatioThreshold?: number;
  /** Validation errors / requests. Default 0.5. */
  validationErrorRatioThreshold?: number;
  /** Introspection attempts + suggestion probes (when hidden). Default 5. */
  probingThreshold?: number;
  /** Requests refused by the budget (still hammering after 429s). Default 20. */
  throttleThreshold?: number;
  /** Requests refused by operation limits (depth, aliases, cost, ...). Default 10. */
  limitRejectionThreshold?: number;
  /** actual / estimated cost: the estimator is being outwitted. Default 1.5. */
  estimateGapRatioThreshold?: number;
  /** Estimated cost in the window before the gap rule may fire. Default 100. */
  estimateGapMinCost?: number;
  /** Distinct operations in the window (scraping the schema by trial). Default 50. */
  distinctOperationsThreshold?: number;
  /** Distinct subjects failing authentication from one address (credential stuffing). Default 5. */
  credentialStuffingThreshold?: number;
  /** Most distinct members counted per slot (bounds memory); must exceed the distinct thresholds. Default 64. */
  distinctCap?: number;
  /** Clients whose last evaluation time is remembered per instance. Default 100_000. */
  maxTrackedClients?: number;
}

export const defaultFeedbackOptions = {
  mode: 'enforce',
  windowMs: 60_000,
  slotMs: 10_000,
  minMultiplier: 0.05,
  maxMultiplier: 1,
  decreaseFactor: 0.5,
  recoveryStep: 0.05,
  cooldownMs: 30_000,
  evaluateIntervalMs: 5_000,
  minRequests: 10,
  authFailureThreshold: 5,
  denialRatioThreshold: 0.3,
  validationErrorRatioThreshold: 0.5,
  probingThreshold: 5,
  throttleThreshold: 20,
  limitRejectionThreshold: 10,
  estimateGapRatioThreshold: 1.5,
  estimateGapMinCost: 100,
  distinctOperationsThreshold: 50,
  credentialStuffingThreshold: 5,
  distinctCap: 64,
  maxTrackedClients: 100_000,
} satisfies Required<FeedbackOptions>;

export type NormalizedFeedbackOptions = Readonly<Required<FeedbackOptions>>;

const ratioKeys = ['denialRatioThreshold', 'validationErrorRatioThreshold'] as const;
const integerKeys = ['distinctCap', 'maxTrackedClients'] as const;

/** Fills defaults; refuses unknown keys and bad values with a TypeError naming the key. */
export function normalizeFeedbackOptions(options: FeedbackOptions = {}): NormalizedFeedbackOptions {
  for (const key of Object.keys(options)) {
    if (!(key in defaultFeedbackOptions)) throw new TypeError(`feedback.${key} is not a known option`);
  }
  const o: Required<FeedbackOptions> = { ...defaultFeedbackOptions, ...stripUndefined(options) };
  if (!['enforce', 'shadow', 'off'].includes(o.mode)) throw new TypeError("feedback.mode must be 'enforce', 'shadow' or 'off'");
  for (const [key, value] of Object.entries(o)) {
    if (key === 'mode') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`feedback.${key} must be a finite number >= 0`);
    }
  }
  for (const key of ['windowMs', 'slotMs', 'minMultiplier', 'maxMultiplier', 'decreaseFactor', 'minRequests'] as const) {
    if (o[key] <= 0) throw new TypeError(`feedback.${key} must be > 0`);
  }
  for (const key of ratioKeys) if (o[key] > 1) throw new TypeError(`feedback.${key} must be a ratio in [0, 1]`);
  for (const key of integerKeys) if (!Number.isInteger(o[key]) || o[key] < 1) throw new TypeError(`feedback.${key} must be an integer >= 1`);
  if (o.windowMs % o.slotMs !== 0) throw new TypeError('feedback.slotMs must divide feedback.windowMs');
  if (o.minMultiplier > o.maxMultiplier) throw new TypeError('feedback.minMultiplier must be <= feedback.maxMultiplier');
  if (o.decreaseFactor >= 1) throw new TypeError('feedback.decreaseFactor must be < 1');
  if (o.distinctCap <= Math.max(o.distinctOperationsThreshold, o.credentialStuffingThreshold)) {
    throw new TypeError('feedback.distinctCap must exceed the distinct-count thresholds');
  }
  return Object.freeze(o);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
