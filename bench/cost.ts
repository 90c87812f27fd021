/**
 * Cost analysis speed, side by side in one run: loopgate (uncached: compile + evaluate; cached:
 * evaluate only) against graphql-query-complexity (directiveEstimator + simpleEstimator) and
 * @escape.tech/graphql-armor-cost-limit, on the same parsed operations over GitHub's schema.
 * Rounds are interleaved so drift hits every contender alike; medians are printed.
 *   npx tsx bench/cost.ts
 */
import { cpus } from 'node:os';
import { buildSchema, parse, validate, type DocumentNode } from 'graphql';
import { schema as published } from '@octokit/graphql-schema';
import { directiveEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { compileCostPlan } from '../src/cost';

const schema = buildSchema(published.idl, { assumeValidSDL: true });

const fields = (n: number) => `{ viewer { ${Array.from({ length: n }, (_, i) => `f${i}: login`).join(' ')} } }`;
const operations: Record<string, string> = {
  'github simple (550 nodes)': `query { viewer { repositories(first: 50) { edges { repository:node { name
    issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }`,
  'github complex (22,060 nodes)': `query { viewer { repositories(first: 50) { edges { repository:node { name
    pullRequests(first: 20) { edges { pullRequest:node { title comments(first: 10) { edges { comment:node { bodyHTML } } } } } }
    issues(first: 20) { totalCount edges { issue:node { title bodyHTML comments(first: 10) { edges { comment:node { bodyHTML } } } } } } } } }
    followers(first: 10) { edges { follower:node { login } } } } }`,
  'fragments + variables': `query($n: Int!) { viewer { repositories(first: $n) { nodes { ...Repo } } starredRepositories(first: $n) { nodes { ...Repo } } } }
    fragment Repo on Repository { name owner { login } issues(first: 10) { nodes { ...Issue } } pullRequests(first: 10) { nodes { title author { login } } } }
    fragment Issue on Issue { title author { login } labels(first: 5) { nodes { name color } } }`,
  '100 fields': fields(100),
  '1,000 fields': fields(1000),
};
const variables = { n: 20 };

type Contender = (document: DocumentNode) => number;
const costLimit = costLimitRule({ maxCost: Number.MAX_SAFE_INTEGER });

function contenders(document: DocumentNode): Record<string, () => number> {
  const plan = compileCostPlan(schema, document);
  return {
    'loopgate uncached': () => compileCostPlan(schema, document).evaluate(variables).cost,
    'loopgate cached': () => plan.evaluate(variables).cost,
    'graphql-query-complexity': () =>
      getComplexity({
        schema,
        query: document,
        variables,
        estimators: [directiveEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      }),
    'graphql-armor cost-limit': () => validate(schema, document, [costLimit]).length,
  };
}

function timePerOp(fn: () => number, budgetMs: number): number {
  let sink = 0;
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 20; i++) sink += fn();
    iterations += 20;
    elapsed = performance.now() - start;
  }
  if (sink === -1) console.error('unreachable');
  return (elapsed * 1000) / iterations;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (us: number) => (us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0));

const rounds = Number(process.env.ROUNDS ?? 7);
const budgetMs = Number(process.env.BUDGET_MS ?? 60);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}; ${rounds} interleaved rounds, medians in µs per operation`);
const header = ['operation', 'loopgate uncached', 'loopgate cached', 'graphql-query-complexity', 'graphql-armor cost-limit', 'gqc / uncached', 'armor / uncached'];
const rows: string[][] = [];
for (const [name, text] of Object.entries(operations)) {
  const document = parse(text, { maxTokens: 100_000 });
  const fns = contenders(document);
  for (const fn of Object.values(fns)) timePerOp(fn, 20); // warm-up
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [key, fn] of Object.entries(fns)) samples[key].push(timePerOp(fn, budgetMs));
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  rows.push([
    name,
    fmt(m['loopgate uncached']),
    fmt(m['loopgate cached']),
    fmt(m['graphql-query-complexity']),
    fmt(m['graphql-armor cost-limit']),
    `${(m['graphql-query-complexity'] / m['loopgate uncached']).toFixed(1)}x`,
    `${(m['graphql-armor cost-limit'] / m['loopgate uncached']).toFixed(1)}x`,
  ]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
