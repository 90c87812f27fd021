/**
 * Soak run: steady mixed traffic at a fixed rate against one in-process gateway with every
 * feature on, for a bounded time. Prints throughput, errors by code and memory every 10 s, and
 * at the end whether memory stayed flat from the first minute to the last.
 *
 *   npx tsx bench/soak.ts --minutes 2 [--rate 200] [--redis [redis://host:port]]
 *
 * Memory is this process's (gateway, embedded demo backends and the load generator share it);
 * the load generator keeps no per-request state beyond a bounded latency sample.
 * Flat means: mean heap used over the last minute is within max(+15 %, +20 MB) of the mean over
 * the first minute (the first minute includes warm-up, so the baseline is the generous one).
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LoopgateConfig } from '../src/config';
import { startGateway } from '../src/server';
import { startRedisServer, type RedisServerHandle } from '../test/support/redis-server';

interface SoakArgs {
  minutes: number;
  rate: number;
  /** undefined: memory store; '' : start a local redis-server; else a Redis URL. */
  redis?: string;
}

function parseArgs(argv: string[]): SoakArgs {
  const args: SoakArgs = { minutes: NaN, rate: 200 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--minutes') args.minutes = Number(argv[++i]);
    else if (a === '--rate') args.rate = Number(argv[++i]);
    else if (a === '--redis') args.redis = argv[i + 1]?.startsWith('redis') ? argv[++i] : '';
    else throw new TypeError(`soak: unknown argument ${a} (use --minutes N [--rate R] [--redis [url]])`);
  }
  if (!(args.minutes > 0) || args.minutes > 24 * 60) throw new TypeError('soak: --minutes must be a number > 0 (at most 1440)');
  if (!(args.rate > 0) || args.rate > 10_000) throw new TypeError('soak: --rate must be requests per second, > 0 and <= 10000');
  return args;
}

const key = { issuer: 'https://soak.loopgate.test', audience: 'loopgate-soak', secret: randomBytes(32).toString('base64url') };

function mint(claims: Record<string, unknown>, ttlSeconds = 3_600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(key.issuer)
    .setAudience(key.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(key.secret));
}

function soakConfig(redisUrl: string | undefined): LoopgateConfig {
  return {
    server: { port: 0, host: '127.0.0.1' },
    auth: { keySources: [{ kind: 'hmac', ...key }] },
    budgets: {
      tiers: {
        anonymous: { capacity: 100, restoreRatePerSecond: 10 },
        steady: { capacity: 1e9, restoreRatePerSecond: 1e9 },
        // Small on purpose: this client is throttled part of the time.
        tight: { capacity: 50, restoreRatePerSecond: 5 },
      },
    },
    responses: { costExtension: true, rateLimitHeaders: true },
    feedback: { mode: 'enforce' },
    store: redisUrl ? { kind: 'redis', url: redisUrl, prefix: `soak-${Date.now()}:` } : { kind: 'memory' },
  };
}

interface Mix {
  name: string;
  weight: number;
  /** Returns the body and the token (if any) for one request. */
  make(): Promise<{ body: unknown; token?: string }>;
}

async function buildMix(): Promise<Mix[]> {
  const steady = await Promise.all(Array.from({ length: 20 }, (_, i) => mint({ sub: `steady-${i}`, tier: 'steady', scope: 'pet:read review:write adoption:read' })));
  const tight = await mint({ sub: 'tight-1', tier: 'tight', scope: 'pet:read' });
  const noScope = await mint({ sub: 'no-scope', tier: 'steady' });
  const expired = await mint({ sub: 'late', tier: 'steady' }, -3_600);
  let churn = 0;
  let n = 0;
  const pick = <T>(items: T[]): T => items[n++ % items.length]!;
  const deep = `{ getPetById(petId: 1) { ${'reviews { pet { '.repeat(12)}name${' } }'.repeat(12)} } }`;
  return [
    { name: 'cheap', weight: 35, make: async () => ({ body: { query: '{ getPetById(petId: 1) { name status } }' }, token: pick(steady) }) },
    { name: 'cross-source', weight: 15, make: async () => ({ body: { query: '{ getPetById(petId: 1) { name reviews(first: 5) { text author { name } } } }' }, token: pick(steady) }) },
    { name: 'variables', weight: 10, make: async () => ({ body: { query: 'query R($p: Int!) { reviewsForPet(petId: $p, first: 3) { text rating } }', variables: { p: 1 + (n % 4) } }, token: pick(steady) }) },
    { name: 'throttled-client', weight: 8, make: async () => ({ body: { query: '{ getPetById(petId: 2) { name reviews { text } } }' }, token: tight }) },
    { name: 'anonymous', weight: 6, make: async () => ({ body: { query: '{ reviewsForPet(petId: 1) { text } }' } }) },
    { name: 'scope-denied', weight: 5, make: async () => ({ body: { query: '{ getPetById(petId: 1) { name } }' }, token: noScope }) },
    { name: 'expired-token', weight: 4, make: async () => ({ body: { query: '{ getPetById(petId: 1) { name } }' }, token: expired }) },
    { name: 'too-deep', weight: 4, make: async () => ({ body: { query: deep }, token: pick(steady) }) },
    { name: 'invalid', weight: 4, make: async () => ({ body: { query: '{ getPetById(petId: 1) { nope } }' }, token: pick(steady) }) },
    { name: 'batch', weight: 4, make: async () => ({ body: [{ query: '{ getPetById(petId: 1) { name } }' }, { query: '{ review(id: "r2") { text } }' }], token: pick(steady) }) },
    // A new client id every time: budgets, signals and token caches must stay bounded.
    { name: 'client-churn', weight: 5, make: async () => ({ body: { query: '{ getPetById(petId: 3) { name } }' }, token: await mint({ sub: `churn-${churn++}`, tier: 'steady', scope: 'pet:read' }) }) },
  ];
}

interface Window {
  completed: number;
  byCode: Map<string, number>;
  latenciesMs: number[];
}
const newWindow = (): Window => ({ completed: 0, byCode: new Map(), latenciesMs: [] });

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let redis: RedisServerHandle | undefined;
  let redisUrl = args.redis;
  if (redisUrl === '') {
    redis = await startRedisServer();
    redisUrl = redis.url;
  }
  const gateway = await startGateway({ config: soakConfig(redisUrl) });
  const mix = await buildMix();
  const totalWeight = mix.reduce((s, m) => s + m.weight, 0);
  const durationMs = args.minutes * 60_000;
  const maxInFlight = Math.max(100, args.rate * 5);
  process.stdout.write(
    `soak: ${args.minutes} min at ${args.rate} req/s against ${gateway.graphqlUrl} (store: ${redisUrl ? `redis ${redisUrl}` : 'memory'}); ` +
      `mix: ${mix.map((m) => `${m.name} ${Math.round((100 * m.weight) / totalWeight)}%`).join(', ')}\n`,
  );

  let window = newWindow();
  const totals = { sent: 0, completed: 0, skipped: 0, byCode: new Map<string, number>() };
  const memory: Array<{ atMs: number; rss: number; heapUsed: number }> = [];
  let inFlight = 0;
  let picked = 0;
  const started = Date.now();

  function fire(): void {
    if (inFlight >= maxInFlight) {
      totals.skipped++; // the gateway fell behind: counted, not queued without bound
      return;
    }
    // Deterministic weighted round-robin over the mix.
    let slot = picked++ % totalWeight;
    const entry = mix.find((m) => (slot -= m.weight) < 0)!;
    inFlight++;
    totals.sent++;
    const sentAt = performance.now();
    void entry
      .make()
      .then(({ body, token }) =>
        fetch(gateway.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        }),
      )
      .then(async (response) => {
        const parsed = JSON.parse(await response.text()) as { errors?: Array<{ extensions?: { code?: string } }> } | Array<{ errors?: Array<{ extensions?: { code?: string } }> }>;
        const results = Array.isArray(parsed) ? parsed : [parsed];
        const codes = new Set(results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE')));
        return codes.size === 0 ? 'ok' : [...codes].sort().join('+');
      })
      .catch((error: unknown) => ((error as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'CLIENT_ERROR'))
      .then((label) => {
        inFlight--;
        window.completed++;
        totals.completed++;
        window.byCode.set(label, (window.byCode.get(label) ?? 0) + 1);
        totals.byCode.set(label, (totals.byCode.get(label) ?? 0) + 1);
        if (window.latenciesMs.length < 20_000) window.latenciesMs.push(performance.now() - sentAt);
      });
  }

  // A fixed-rate scheduler: every tick sends what the elapsed time owes, so slow ticks catch up.
  const tickMs = 20;
  const ticker = setInterval(() => {
    const owed = Math.floor(((Date.now() - started) / 1000) * args.rate) - totals.sent - totals.skipped;
    for (let i = 0; i < owed; i++) fire();
  }, tickMs);

  const reporter = setInterval(() => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const elapsedS = Math.round((Date.now() - started) / 1000);
    memory.push({ atMs: Date.now() - started, rss: m.rss, heapUsed: m.heapUsed });
    const codes = [...window.byCode].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${k}`).join(', ');
    process.stdout.write(
      `[${String(elapsedS).padStart(4)} s] ${(window.completed / 10).toFixed(1)} req/s, p50 ${percentile(window.latenciesMs, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(window.latenciesMs, 99).toFixed(0)} ms, in flight ${inFlight}, rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} MB | ${codes}\n`,
    );
    window = newWindow();
  }, 10_000);

  await new Promise((r) => setTimeout(r, durationMs));
  clearInterval(ticker);
  const drainUntil = Date.now() + 12_000;
  while (inFlight > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  clearInterval(reporter);
  await gateway.close();
  await redis?.stop();

  const elapsedS = (Date.now() - started) / 1000;
  const first = memory.filter((s) => s.atMs <= 60_000);
  const last = memory.filter((s) => s.atMs > durationMs - 60_000);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const heapFirst = mean(first.map((s) => s.heapUsed));
  const heapLast = mean(last.map((s) => s.heapUsed));
  const rssFirst = mean(first.map((s) => s.rss));
  const rssLast = mean(last.map((s) => s.rss));
  const bound = Math.max(heapFirst * 0.15, 20 * 1_048_576);
  const flat = heapLast - heapFirst <= bound;
  const errors = [...totals.byCode].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${k}`).join(', ');
  process.stdout.write(
    `\nsummary: ${totals.sent} sent, ${totals.completed} answered, ${totals.skipped} skipped (in-flight cap ${maxInFlight}), ` +
      `${(totals.completed / elapsedS).toFixed(1)} req/s over ${elapsedS.toFixed(0)} s\n` +
      `by code: ${errors}\n` +
      (memory.length >= 2 && args.minutes >= 2
        ? `memory: heap first minute ${mb(heapFirst)} MB -> last minute ${mb(heapLast)} MB (${heapLast >= heapFirst ? '+' : ''}${mb(heapLast - heapFirst)} MB; bound +${mb(bound)} MB); ` +
          `rss ${mb(rssFirst)} -> ${mb(rssLast)} MB: ${flat ? 'FLAT' : 'GROWING'}\n`
        : 'memory: run at least 2 minutes to compare the first minute with the last\n'),
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
