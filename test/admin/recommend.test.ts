import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  createObservationLog,
  evidenceOf,
  fieldTypeFromSchema,
  percentile,
  recommend,
  recommendationsToConfig,
  recommendationsToPolicySdl,
  type Observation,
} from '../../src/admin';

const obs = (clientId: string, actualCost: number, atMs: number, listSizes: Record<string, number> = {}, tier?: string): Observation => ({
  clientId,
  estimatedCost: actualCost,
  actualCost,
  atMs,
  listSizes,
  ...(tier ? { tier } : {}),
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 99, 0],
    [[7], 50, 7],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [range(100), 99, 99],
    [range(100), 95, 95],
    [range(1000), 99, 990],
  ])('percentile(%j, %d) = %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('evidenceOf sorts its input', () => {
    expect(evidenceOf([5, 1, 3])).toEqual({ samples: 3, p50: 3, p95: 5, p99: 5, max: 5 });
  });
});

describe('recommend', () => {
  it.each([
    {
      name: 'list size = ceil(p99 x margin) per coordinate',
      observations: range(100).map((i) => obs('a', 1, i, { 'Query.findPetsByStatus': i % 10, 'Pet.tags': 3 })),
      options: {},
      listSizes: { 'Pet.tags': 4, 'Query.findPetsByStatus': 12 },
    },
    {
      name: 'margin 1 gives the p99 itself, at least 1',
      observations: range(100).map((i) => obs('a', 1, i, { 'Query.a': i, 'Query.none': 0 })),
      options: { margin: 1 },
      listSizes: { 'Query.a': 99, 'Query.none': 1 },
    },
  ])('$name', ({ observations, options, listSizes }) => {
    const recs = recommend(observations, options);
    expect(Object.fromEntries(recs.listSizes.map((r) => [r.coordinate, r.assumedSize]))).toEqual(listSizes);
  });

  it('recommends a maximum cost from the p99 of actual cost, with its evidence', () => {
    const recs = recommend(range(200).map((i) => obs('c', i, i)), { margin: 1.5 });
    expect(recs.maxCost).toEqual({
      maxCost: 297,
      evidence: { samples: 200, p50: 100, p95: 190, p99: 198, max: 200 },
      enoughEvidence: true,
    });
    expect(recs.margin).toBe(1.5);
    expect(recs.observations).toBe(200);
  });

  it('recommends tier capacities from per-client cost per window', () => {
    const windowMs = 60_000;
    const observations = [
      // free: client f1 spends 10+20 in window 0 and 5 in window 1; f2 spends 40 in window 0.
      obs('f1', 10, 1_000, {}, 'free'),
      obs('f1', 20, 59_000, {}, 'free'),
      obs('f1', 5, 61_000, {}, 'free'),
      obs('f2', 40, 2_000, {}, 'free'),
      obs('p1', 1000, 0, {}, 'pro'),
      obs('anon', 3, 0),
    ];
    const recs = recommend(observations, { windowMs, minSamples: 2 });
    expect(recs.tiers).toEqual([
      { tier: 'default', capacity: 4, restoreRatePerSecond: 0.067, clients: 1, evidence: { samples: 1, p50: 3, p95: 3, p99: 3, max: 3 }, enoughEvidence: false },
      { tier: 'free', capacity: 50, restoreRatePerSecond: 0.833, clients: 2, evidence: { samples: 3, p50: 30, p95: 40, p99: 40, max: 40 }, enoughEvidence: true },
      { tier: 'pro', capacity: 1250, restoreRatePerSecond: 20.833, clients: 1, evidence: { samples: 1, p50: 1000, p95: 1000, p99: 1000, max: 1000 }, enoughEvidence: false },
    ]);
  });

  it('returns empty proposals without observations', () => {
    expect(recommend([])).toEqual({ margin: 1.25, windowMs: 60_000, observations: 0, listSizes: [], maxCost: null, tiers: [] });
  });

  it.each([[{ margin: 0.5 }], [{ windowMs: 10 }], [{ minSamples: 0 }]])('refuses bad options %j', (options) => {
    expect(() => recommend([], options)).toThrow(TypeError);
  });
});

describe('exports', () => {
  const schema = buildSchema('type Query { findPetsByStatus(status: String): [Pet] } type Pet { name: String tags: [String!]! }');
  const recs = recommend(
    range(30).map((i) => obs('a', i, i * 1000, { 'Query.findPetsByStatus': 9, 'Pet.tags': 2, 'Bad coordinate': 1 }, 'free')),
  );

  it('writes a policy SDL snippet that parses and carries the recommended sizes', () => {
    const sdl = recommendationsToPolicySdl(recs, fieldTypeFromSchema(schema));
    expect(sdl).toContain('extend type Query {');
    expect(sdl).toContain('  findPetsByStatus: [Pet] @listSize(assumedSize: 12)');
    expect(sdl).toContain('  tags: [String!]! @listSize(assumedSize: 3)');
    expect(sdl).not.toContain('Bad coordinate');
    const doc = parse(sdl);
    expect(doc.definitions.map((d) => ('name' in d ? d.name?.value : undefined)).sort()).toEqual(['Pet', 'Query']);
  });

  it('uses a parseable placeholder type when the field type is unknown', () => {
    const sdl = recommendationsToPolicySdl(recs);
    expect(sdl).toContain('findPetsByStatus: [JSON] @listSize(assumedSize: 12)');
    expect(() => parse(sdl)).not.toThrow();
  });

  it('writes a config snippet with maxCost and tier budgets', () => {
    const text = recommendationsToConfig(recs);
    expect(text).toContain(`maxCost: ${recs.maxCost?.maxCost},`);
    expect(text).toMatch(/"free": \{ capacity: \d+, restoreRatePerSecond: [\d.]+ \},/);
  });
});

describe('createObservationLog', () => {
  it('keeps the newest maxSamples observations, oldest first, with the injected clock', () => {
    let nowMs = 1000;
    const log = createObservationLog({ maxSamples: 3, maxCoordinatesPerSample: 1, now: () => nowMs });
    for (let i = 1; i <= 5; i++) {
      nowMs = i * 1000;
      log.recordObservation({ clientId: `c${i}`, estimatedCost: i, actualCost: i, listSizes: { 'Query.a': i, 'Query.b': i } });
    }
    const kept = log.snapshot();
    expect(log.size).toBe(3);
    expect(kept.map((o) => [o.clientId, o.atMs])).toEqual([['c3', 3000], ['c4', 4000], ['c5', 5000]]);
    expect(kept[0].listSizes).toEqual({ 'Query.a': 3 });
  });

  it('refuses a bad maxSamples', () => {
    expect(() => createObservationLog({ maxSamples: 0 })).toThrow(TypeError);
  });
});
