import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendsProcess, type BackendsProcess } from '../../bench/harness/backends';
import { normalizeBenchOptions, parseBenchArgs } from '../../bench/harness/options';
import { startPeerGateway } from '../../bench/harness/peer';
import { formatMarkdown } from '../../bench/harness/report';
import { repoRoot, runBenchmark } from '../../bench/harness/run-bench';
import { median, pairedRatios, rotated } from '../../bench/harness/stats';
import { createBenchKey, mintBenchToken } from '../../bench/harness/tokens';
import { readSupergraph } from '../../src/gateway/supergraph';

describe('bench options and statistics', () => {
  it.each([
    [['--rounds', '3', '--duration=4'], { rounds: 3, durationSeconds: 4 }],
    [['--only', 'bare,peer', '--query', 'cross'], { only: ['bare', 'peer'], query: 'cross' }],
    [['--connections', '8', '--no-markdown'], { connections: 8, markdownPath: null }],
  ])('parses %j', (argv, expected) => {
    expect(parseBenchArgs(argv)).toEqual(expected);
  });

  it.each([
    [{ rounds: 0 }],
    [{ rounds: 1.5 }],
    [{ durationSeconds: 3600 }],
    [{ connections: 0 }],
    [{ only: ['nope'] as never }],
    [{ query: 'other' as never }],
  ])('refuses %j', (input) => {
    expect(() => normalizeBenchOptions(input)).toThrow(TypeError);
  });

  it('refuses unknown flags', () => {
    expect(() => parseBenchArgs(['--round', '3'])).toThrow(TypeError);
  });

  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[], Number.NaN],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toEqual(expected);
  });

  it('rotates the order each round and pairs ratios by round', () => {
    expect([0, 1, 2, 3].map((r) => rotated(['a', 'b', 'c'], r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
    expect(pairedRatios([10, 20, 30], [5, 0, 10])).toEqual([2, 3]);
  });
});

describe('one very short benchmark round', () => {
  it('measures every selected scenario with correct answers and no failures', async () => {
    const lines: string[] = [];
    const report = await runBenchmark(
      { rounds: 1, durationSeconds: 0.3, warmupSeconds: 0, connections: 2, only: ['upstream', 'loopgate-full-memory'], markdownPath: null },
      { log: (line) => lines.push(line) },
    );
    expect(report.results.map((r) => r.name)).toEqual(['upstream', 'loopgate-full-memory']);
    for (const result of report.results) {
      expect(result.excluded, `${result.name}: ${result.excluded}\n${lines.join('\n')}`).toBeUndefined();
      expect(result.correct).toBe(true);
      expect(result.samples).toHaveLength(1);
      const [sample] = result.samples;
      expect(sample!.requestsPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(sample!.p50Ms) && Number.isFinite(sample!.p99Ms)).toBe(true);
      expect(sample!.failures, sample!.failureDetail).toBe(0);
    }
    expect(report.machine.node).toBe(process.version);
    expect(formatMarkdown(report)).toContain('| loopgate-full-memory |');
  }, 60_000);
});

describe('the peer stack protects what loopgate protects', () => {
  let backends: BackendsProcess;
  beforeAll(async () => {
    backends = await startBackendsProcess();
  });
  afterAll(async () => {
    await backends?.stop();
  });

  it('refuses missing tokens, deep queries and clients over their rate', async () => {
    const key = createBenchKey();
    const peer = await startPeerGateway(
      { supergraph: readSupergraph('mesh/supergraph.graphql', repoRoot), locations: { petstore: backends.petstoreUrl, reviews: backends.reviewsUrl } },
      key,
      { rateLimitPerSecond: 2 },
    );
    try {
      const token = await mintBenchToken(key);
      const post = async (query: string, withToken = true) => {
        const response = await fetch(peer.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query }),
        });
        return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
      };
      expect((await post('{ reviewsForPet(petId: 1) { text } }', false)).status).toBe(401);
      let deep = 'name';
      for (let i = 0; i < 6; i++) deep = `author { reviews { ${deep} } }`;
      const tooDeep = await post(`{ reviewsForPet(petId: 1) { ${deep} } }`);
      expect(tooDeep.body.data ?? undefined).toBeUndefined();
      expect(tooDeep.body.errors?.length).toBeGreaterThan(0);
      // The deep query was refused before execution, so it did not count against the rate.
      const first = await post('{ reviewsForPet(petId: 1) { text } }');
      const second = await post('{ reviewsForPet(petId: 1) { text } }');
      const third = await post('{ reviewsForPet(petId: 1) { text } }');
      expect([first, second].map((r) => r.body.errors)).toEqual([undefined, undefined]);
      expect(third.body.errors?.length).toBe(1);
    } finally {
      await peer.close();
    }
  }, 30_000);
});
