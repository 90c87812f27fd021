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

  it('replays the whole labelled mix in every run, the same requests each time', () => {
    expect(result.adaptive.actors.map((a) => a.name)).toEqual(actors.map((a) => a.name));
    expect(result.staticMatched.actors.map((a) => a.name)).toEqual(actors.map((a) => a.name));
    expect(new Set(actors.map((a) => a.label))).toEqual(new Set(['legit', 'abusive']));
    for (const a of result.adaptive.actors) expect(a.requests, a.name).toBeGreaterThan(0);
    // Legitimate actors behave the same whatever the policy; abusers never wait for the gateway.
    expect(result.static.actors.map((a) => a.requests)).toEqual(result.adaptive.actors.map((a) => a.requests));
    // A throttled legitimate actor waits out Retry-After and so may send fewer; the others send the same.
    for (const a of result.staticMatched.actors) {
      const adaptive = result.adaptive.actors.find((x) => x.name === a.name)!;
      if (a.label === 'abusive' || a.throttled === 0) expect(a.requests, a.name).toBe(adaptive.requests);
      else expect(a.requests, a.name).toBeLessThanOrEqual(adaptive.requests);
    }
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

  it('prints one row per actor and run, with the seed and the factor m', () => {
    const text = formatReport(result, 'npx tsx bench/simulate.ts --minutes 3 --seed 42');
    const lines = text.split('\n');
    expect(text).toContain('seed 42');
    expect(text).toContain(`m = ${result.matched.factor.toFixed(4)}`);
    // Three run tables, and the abusers once more in the comparison.
    for (const a of actors) expect(lines.filter((line) => line.startsWith(`${a.name} `)).length, a.name).toBe(a.label === 'abusive' ? 4 : 3);
    const title = lines.findIndex((line) => line.startsWith('STATIC-MATCHED ('));
    expect(title).toBeGreaterThan(0);
    // The table under the title: header, rule, then one row per actor in table order.
    expect(lines.slice(title + 3, title + 3 + actors.length).map((line) => line.split(/\s+/)[0])).toEqual(actors.map((a) => a.name));
    expect(lines.some((line) => line.includes(`static-matched ${result.legitimate.staticMatched.throttled} of ${result.legitimate.staticMatched.requests} requests`))).toBe(true);
  });

  it('keeps the new run and its factor in the JSON output', () => {
    const json = JSON.parse(JSON.stringify(result)) as SimulationResult;
    expect(json.matched.factor).toBe(result.matched.factor);
    expect(json.staticMatched.mode).toBe('static-matched');
    expect(json.staticMatched.tiers).toEqual(result.staticMatched.tiers);
  });

  it('never adapts in the static run: no throttles, no multiplier changes', () => {
    for (const a of result.static.actors) {
      expect(a.throttled, a.name).toBe(0);
      expect(a.finalMultiplier, a.name).toBe(1);
      expect(a.decisions, a.name).toEqual([]);
    }
  });

  it('matches m to the adaptive run: the mean over actors of each time-averaged multiplier', () => {
    const runSeconds = 3 * 60;
    // Recomputed here as a sum over segments: [0, t1) at 1, [t1, t2) at the first decision's multiplier, ...
    const average = (decisions: SimulationResult['adaptive']['actors'][number]['decisions']) => {
      const starts = [0, ...decisions.map((d) => d.atSeconds)];
      const values = [1, ...decisions.map((d) => d.multiplier)];
      let area = 0;
      for (let i = 0; i < values.length; i++) area += values[i]! * ((starts[i + 1] ?? runSeconds) - starts[i]!);
      return area / runSeconds;
    };
    const averages = result.adaptive.actors.map((a) => average(a.decisions));
    const m = averages.reduce((sum, x) => sum + x, 0) / averages.length;
    expect(result.matched.runSeconds).toBe(runSeconds);
    expect(result.matched.actors.map((a) => a.name)).toEqual(actors.map((a) => a.name));
    result.matched.actors.forEach((a, i) => expect(a.averageMultiplier, a.name).toBeCloseTo(averages[i]!, 12));
    expect(result.matched.factor).toBeCloseTo(m, 12);
    expect(result.matched.factor).toBeGreaterThan(0);
    // Every abuser was cut, so the average budget is below the base one; legitimate actors stay at 1.
    expect(result.matched.factor).toBeLessThan(1);
    for (const a of result.matched.actors) {
      const label = actors.find((x) => x.name === a.name)!.label;
      if (label === 'legit') expect(a.averageMultiplier, a.name).toBe(1);
      else expect(a.averageMultiplier, a.name).toBeLessThan(1);
    }
  });

  it('runs the static-matched gateway on the tiers scaled by m, never adapted', () => {
    const m = result.matched.factor;
    expect(Object.keys(result.staticMatched.tiers)).toEqual(Object.keys(result.tiers));
    for (const [name, base] of Object.entries(result.tiers)) {
      expect(result.staticMatched.tiers[name]!.capacity, name).toBeCloseTo(base.capacity * m, 9);
      expect(result.staticMatched.tiers[name]!.restoreRatePerSecond, name).toBeCloseTo(base.restoreRatePerSecond * m, 9);
    }
    for (const a of result.staticMatched.actors) {
      // What the gateway itself reported in throttleStatus: one bucket size all run long, the scaled tier.
      expect(a.limitsSeen, a.name).toEqual([result.staticMatched.tiers[a.tier]]);
      expect(a.finalMultiplier, a.name).toBe(1);
      expect(a.decisions, a.name).toEqual([]);
    }
    for (const a of result.static.actors) expect(a.limitsSeen, a.name).toEqual([result.tiers[a.tier]]);
    // The adaptive run reports the cuts: an abuser's bucket shrank below its tier.
    for (const a of result.adaptive.actors.filter((x) => x.label === 'abusive')) {
      expect(Math.min(...a.limitsSeen.map((l) => l.capacity)), a.name).toBeLessThan(result.tiers[a.tier]!.capacity);
    }
  });

  it('compares the abusers and the legitimate actors against the static-matched run too', () => {
    for (const abuser of result.abusers) {
      const stats = result.staticMatched.actors.find((a) => a.name === abuser.name)!;
      expect(abuser.staticMatched, abuser.name).toEqual({ costServed: stats.costServed, actualCostServed: stats.actualCostServed, throttled: stats.throttled });
      expect(abuser.matchedCostRatio, abuser.name).toBeCloseTo(abuser.adaptive.costServed / stats.costServed, 12);
      // Seed 42: the uniform limit at the average budget holds no abuser back as far as adapting does.
      expect(abuser.adaptive.costServed, abuser.name).toBeLessThan(abuser.staticMatched.costServed);
    }
    const legit = result.staticMatched.actors.filter((a) => a.label === 'legit');
    expect(result.legitimate.staticMatched.requests).toBe(legit.reduce((sum, a) => sum + a.requests, 0));
    expect(result.legitimate.staticMatched.throttled).toBe(legit.reduce((sum, a) => sum + a.throttled, 0));
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
