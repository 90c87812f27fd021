/**
 * loopgate cost: prints the cost breakdown of one operation as JSON on stdout, nothing else.
 *   npx tsx src/cli/cost.ts --schema <file|url> --query <file> [--variables <json>]
 *                           [--operation-name <name>] [--model default|github|shopify]
 * Bad arguments: a message on stderr and exit code 2.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { buildClientSchema, buildSchema, getIntrospectionQuery, validate, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { compileCostPlan } from '../cost';
import { checkLimits, countTokens, parseWithLimits } from '../limits';

export class UsageError extends Error {}

export interface CostCliArgs {
  schema: string;
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  model: string;
}

const USAGE =
  'usage: cost --schema <file|url> --query <file> [--variables <json>] [--operation-name <name>] [--model default|github|shopify]';

export function parseCostArgs(argv: ReadonlyArray<string>): CostCliArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!['--schema', '--query', '--variables', '--operation-name', '--model'].includes(flag)) {
      throw new UsageError(`unknown argument ${flag}`);
    }
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    values.set(flag, value);
  }
  const schema = values.get('--schema');
  const query = values.get('--query');
  if (!schema || !query) throw new UsageError('--schema and --query are required');
  let variables: Record<string, unknown> = {};
  const rawVariables = values.get('--variables');
  if (rawVariables !== undefined) {
    try {
      variables = JSON.parse(rawVariables) as Record<string, unknown>;
    } catch {
      throw new UsageError('--variables must be a JSON object');
    }
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      throw new UsageError('--variables must be a JSON object');
    }
  }
  const model = values.get('--model') ?? 'default';
  if (!['default', 'github', 'shopify'].includes(model)) throw new UsageError('--model must be default, github or shopify');
  return { schema, query, variables, operationName: values.get('--operation-name'), model };
}

/** SDL or introspection JSON from a file, or introspection from a GraphQL endpoint URL. */
export async function loadSchema(location: string): Promise<GraphQLSchema> {
  let text: string;
  if (/^https?:\/\//.test(location)) {
    const response = await fetch(location, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    if (!response.ok) throw new UsageError(`--schema: ${location} answered ${response.status}`);
    text = await response.text();
  } else {
    try {
      text = await readFile(location, 'utf8');
    } catch {
      throw new UsageError(`--schema: cannot read ${location}`);
    }
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(text) as { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
    return buildClientSchema(json.data ?? (json as IntrospectionQuery));
  }
  // Published SDL dumps (GitHub's among them) repeat some fields; the schema is still usable.
  return buildSchema(text, { assumeValidSDL: true });
}

export async function runCostCli(argv: ReadonlyArray<string>): Promise<unknown> {
  const args = parseCostArgs(argv);
  const schema = await loadSchema(args.schema);
  let queryText: string;
  try {
    queryText = await readFile(args.query, 'utf8');
  } catch {
    throw new UsageError(`--query: cannot read ${args.query}`);
  }
  // The CLI measures everything and enforces nothing, so the report shows every limit hit.
  const limitsOptions = { mode: 'measure' as const };
  let parsed;
  try {
    parsed = parseWithLimits(queryText, limitsOptions);
  } catch (error) {
    throw new UsageError(`--query: ${(error as Error).message}`);
  }
  // A field the schema lacks would price at 0 and look cheap: an operation that cannot run has no cost.
  const invalid = validate(schema, parsed.document);
  if (invalid.length > 0) {
    throw new UsageError(`--query does not fit the schema: ${invalid.slice(0, 3).map((e) => e.message).join('; ')}`);
  }
  const plan = compileCostPlan(schema, parsed.document, args.operationName, { model: args.model });
  const estimate = plan.evaluate(args.variables, { perPath: true });
  const limits = checkLimits(parsed.document, args.operationName, limitsOptions, {
    tokens: countTokens(queryText),
    documentBytes: Buffer.byteLength(queryText, 'utf8'),
    cost: estimate.cost,
  });
  return {
    model: args.model,
    total: Number.isFinite(estimate.cost) ? estimate.cost : null,
    ...(estimate.details ? { details: estimate.details } : {}),
    perPath: estimate.perPath ?? {},
    limits: { measured: limits.measured, hit: parsed.violations.concat(limits.violations) },
    errors: estimate.errors.map((e) => ({ message: e.message, code: e.extensions.code })),
  };
}

async function main(): Promise<void> {
  try {
    const report = await runCostCli(process.argv.slice(2));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `error: ${(error as Error).message}`;
    process.stderr.write(`${message}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
