import { beforeAll, describe, expect, it } from 'vitest';
import { actors, parseArgs, runSimulation, type SimulationResult } from '../../bench/simulate';
import { createRng, streamSeed } from '../../bench/simulate/prng';
import { formatReport } from '../../bench/simulate/report';

/**
 * Legitimate actors may suffer at most this many throttles under the adaptive policy. Zero:
 * every legitimate actor in the mix fits its tier, so any throttle is the policy's mistake.
 */
const legitThrottleBound = 0;

// Three virtual minutes: with the default policy (cuts of x0.5 at most every 30 s) the
// slowest abuser, the prober, is first throttled about two minutes in.
describe('traffic simulation through the real gateway (3 virtual minutes, seed 42)', () => {
  let result: SimulationResult;
  beforeAll(async () => {
    result = await runSimulation({ minutes: 3, seed: 42 });
  }, 240_000);

  it('replays the whole labelled mix in both runs, the same requests each time', () => {
    expect(result.adaptive.actors.map((a) => a.name)).toEqual(actors.map((a) => a.name));
    expect(new Set(actors.map((a) => a.label))).toEqual(new Set(['legit', 'abusive']));
    for (const a of result.adaptive.actors) expect(a.requests, a.name).toBeGreaterThan(0);
    // Legitimate actors behave the same whatever the policy; abusers never wait for the gateway.
    expect(result.static.actors.map((a) => a.requests)).toEqual(result.adaptive.actors.map((a) => a.requests));
  });

  it('throttles every abusive actor under the adaptive policy and serves it less cost than the static one', () => {
    expect(result.abusers.map((a) => a.name).sort()).toEqual(['cred-stuffer', 'schema-prober', 'scraper']);
    for (const abuser of result.abusers) {
      const stats = result.adaptive.actors.find((a) => a.name === abuser.name)!;
      expect(stats.throttled, abuser.name).toBeGreaterThan(0);
      expect(stats.firstThrottleSeconds, abuser.name).not.toBeNull();
      expect(stats.finalMultiplier, abuser.name).toBeLessThan(1);
      expect(abuser.adaptive.costServed, abuser.name).toBeLessThan(abuser.static.costServed);
    }
  });

  it('names the rule that caught each abuser', () => {
    const rules = Object.fromEntries(result.adaptive.actors.map((a) => [a.name, a.rules]));
    expect(rules['scraper']).toContain('distinct_operations');
    expect(rules['cred-stuffer']).toContain('credential_stuffing');
    expect(rules['schema-prober']!.some((r) => r === 'probing' || r === 'denial_ratio')).toBe(true);
  });

  it('leaves legitimate actors unthrottled and unpenalised under the adaptive policy', () => {
    expect(result.legitimate.adaptive.requests).toBeGreaterThan(0);
    expect(result.legitimate.adaptive.throttled).toBeLessThanOrEqual(legitThrottleBound);
    for (const a of result.adaptive.actors.filter((x) => x.label === 'legit')) {
      expect(a.finalMultiplier, a.name).toBe(1);
      expect(a.rules, a.name).toEqual([]);
      expect(a.costServed, a.name).toBe(result.static.actors.find((s) => s.name === a.name)!.costServed);
    }
  });

  it('prints one row per actor and run, with the seed', () => {
    const text = formatReport(result, 'npx tsx bench/simulate.ts --minutes 3 --seed 42');
    expect(text).toContain('seed 42');
    for (const a of actors) expect(text.split('\n').filter((line) => line.startsWith(`${a.name} `)).length, a.name).toBe(a.label === 'abusive' ? 3 : 2);
  });

  it('never adapts in the static run: no throttles, no multiplier changes', () => {
    for (const a of result.static.actors) {
      expect(a.throttled, a.name).toBe(0);
      expect(a.finalMultiplier, a.name).toBe(1);
      expect(a.decisions, a.name).toEqual([]);
    }
  });
});

describe('simulator PRNG', () => {
  it('gives the same stream for the same seed and name, another for another name', () => {
    const draw = (seed: number, name: string) => {
      const rng = createRng(streamSeed(seed, name));
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(42, 'scraper')).toEqual(draw(42, 'scraper'));
    expect(draw(42, 'scraper')).not.toEqual(draw(42, 'steady'));
    expect(draw(42, 'scraper')).not.toEqual(draw(43, 'scraper'));
    for (const x of draw(1, 'a')) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('simulator flags', () => {
  it.each([
    [['--minutes', '2', '--seed', '7'], { minutes: 2, seed: 7, json: false }],
    [['--json'], { json: true }],
    [['--feedback', '{"cooldownMs":10000}'], { feedback: { cooldownMs: 10_000 }, json: false }],
  ])('parses %j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([[['--minutes', '0']], [['--seed', '1.5']], [['--minutes']], [['--bogus']], [['--feedback', '[1]']]])('refuses %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow(TypeError);
  });
});
