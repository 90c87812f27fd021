import { describe, expect, it } from 'vitest';
import { defaultFeedbackOptions, normalizeFeedbackOptions, type FeedbackOptions } from '../../src/feedback/options';

describe('feedback options', () => {
  it('defaults', () => {
    expect(normalizeFeedbackOptions()).toEqual(defaultFeedbackOptions);
    expect(normalizeFeedbackOptions({ cooldownMs: undefined })).toEqual(defaultFeedbackOptions);
  });

  it.each<[string, FeedbackOptions]>([
    ['feedback.mode', { mode: 'loud' as never }],
    ['feedback.windowMs', { windowMs: 0 }],
    ['feedback.slotMs', { slotMs: 7_000 }],
    ['feedback.minMultiplier', { minMultiplier: 2 }],
    ['feedback.decreaseFactor', { decreaseFactor: 1 }],
    ['feedback.denialRatioThreshold', { denialRatioThreshold: 1.5 }],
    ['feedback.cooldownMs', { cooldownMs: -1 }],
    ['feedback.distinctCap', { distinctCap: 10 }],
    ['feedback.windowMS', { windowMS: 1 } as FeedbackOptions],
  ])('refuses a bad %s with a TypeError naming it', (key, options) => {
    expect(() => normalizeFeedbackOptions(options)).toThrow(TypeError);
    expect(() => normalizeFeedbackOptions(options)).toThrow(key);
  });
});
