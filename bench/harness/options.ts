/**
 * Options of the gateway benchmark (`npm run bench`), their defaults and the command-line
 * parser. Every value is bounded so one invocation always ends in bounded time.
 */

export const scenarioNames = [
  'upstream',
  'bare',
  'loopgate-auth',
  'loopgate-auth-limits',
  'loopgate-auth-limits-authz',
  'loopgate-auth-limits-authz-cost',
  'loopgate-full-memory',
  'loopgate-full-redis',
  'peer',
] as const;

export type ScenarioName = (typeof scenarioNames)[number];

export type QueryName = 'reviews' | 'cross';

export interface BenchOptions {
  /** Interleaved rounds; each round runs every scenario once. Default 5. */
  rounds?: number;
  /** Length of one measured run, in seconds. Default 5. */
  durationSeconds?: number;
  /** Warm-up before each measured run (caches, JIT, keep-alive sockets), in seconds. Default 1. */
  warmupSeconds?: number;
  /** Concurrent keep-alive connections of the load generator. Default 16. */
  connections?: number;
  /** Scenarios to run, in this order for round 1. Default: all of `scenarioNames`. */
  only?: ScenarioName[];
  /** 'reviews' touches only the GraphQL backend; 'cross' spans both sources. Default 'reviews'. */
  query?: QueryName;
  /** Markdown table written here (folder created); null writes nothing. Default 'bench/results/latest.md'. */
  markdownPath?: string | null;
}

export const defaultBenchOptions = {
  rounds: 5,
  durationSeconds: 5,
  warmupSeconds: 1,
  connections: 16,
  only: [...scenarioNames],
  query: 'reviews',
  markdownPath: 'bench/results/latest.md',
} satisfies Required<BenchOptions>;

export type NormalizedBenchOptions = Readonly<Required<BenchOptions>>;

// Bounds that keep one invocation finite: at most 9 scenarios x 50 rounds x (60 + 10) s.
const bounds = {
  rounds: [1, 50],
  durationSeconds: [0.1, 60],
  warmupSeconds: [0, 10],
  connections: [1, 512],
} as const;

/** Fills defaults and refuses out-of-range values with a TypeError naming the option. */
export function normalizeBenchOptions(input: BenchOptions = {}): NormalizedBenchOptions {
  const merged = { ...defaultBenchOptions, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
  for (const key of Object.keys(input)) {
    if (!(key in defaultBenchOptions)) throw new TypeError(`bench option "${key}" is unknown`);
  }
  for (const [key, [min, max]] of Object.entries(bounds) as Array<[keyof typeof bounds, readonly [number, number]]>) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new TypeError(`bench option "${key}" must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
  }
  if (!Number.isInteger(merged.rounds) || !Number.isInteger(merged.connections)) {
    throw new TypeError('bench options "rounds" and "connections" must be integers');
  }
  const only = merged.only as string[];
  if (!Array.isArray(only) || only.length === 0) throw new TypeError('bench option "only" must name at least one scenario');
  for (const name of only) {
    if (!(scenarioNames as readonly string[]).includes(name)) {
      throw new TypeError(`bench option "only": unknown scenario "${name}" (known: ${scenarioNames.join(', ')})`);
    }
  }
  if (merged.query !== 'reviews' && merged.query !== 'cross') throw new TypeError('bench option "query" must be reviews or cross');
  if (merged.markdownPath !== null && typeof merged.markdownPath !== 'string') {
    throw new TypeError('bench option "markdownPath" must be a file path or null');
  }
  return Object.freeze({ ...merged, only: [...new Set(only)] as ScenarioName[] }) as NormalizedBenchOptions;
}

const usage = `usage: npm run bench -- [--rounds N] [--duration S] [--warmup S] [--connections C]
                          [--only a,b,...] [--query reviews|cross] [--markdown PATH|--no-markdown]
scenarios: ${scenarioNames.join(', ')}`;

/** Reads command-line flags (`--rounds 3` or `--rounds=3`); unknown flags are refused with the usage text. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new TypeError(usage);
    if (arg === '--no-markdown') {
      options.markdownPath = null;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new TypeError(`unexpected argument "${arg}"\n${usage}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new TypeError(`--${match[1]} needs a value\n${usage}`);
    switch (match[1]) {
      case 'rounds': options.rounds = Number(value); break;
      case 'duration': options.durationSeconds = Number(value); break;
      case 'warmup': options.warmupSeconds = Number(value); break;
      case 'connections': options.connections = Number(value); break;
      case 'only': options.only = value.split(',').map((s) => s.trim()).filter(Boolean) as ScenarioName[]; break;
      case 'query': options.query = value as QueryName; break;
      case 'markdown': options.markdownPath = value; break;
      default: throw new TypeError(`unknown option --${match[1]}\n${usage}`);
    }
  }
  return options;
}
