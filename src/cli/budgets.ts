/**
 * Reads and tunes client budgets through a running gateway's admin API:
 *
 *   npx tsx src/cli/budgets.ts list [--sort cost|clientId] [--limit N] [--json]
 *   npx tsx src/cli/budgets.ts show <clientId>
 *   npx tsx src/cli/budgets.ts set <clientId> --capacity N [--restore-rate N] [--multiplier M] [--ttl S] [--reason text]
 *   npx tsx src/cli/budgets.ts unset <clientId>
 *   npx tsx src/cli/budgets.ts reset <clientId>
 *
 * Options: --url (default http://127.0.0.1:$PORT, or :4000), --prefix (default /admin); the token comes
 * from env LOOPGATE_ADMIN_TOKEN. Prints JSON (a small table for `list`). Bad arguments: usage
 * on stderr, exit 2. HTTP errors: the error code on stderr, exit 1.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const usage = `usage: budgets <command> [options]
  list [--sort cost|clientId] [--limit N] [--json]
  show <clientId>
  set <clientId> [--capacity N] [--restore-rate N] [--multiplier M] [--ttl S] [--reason text]
  unset <clientId>
  reset <clientId>
options: --url <gateway> (default http://127.0.0.1:$PORT, PORT defaulting to 4000)  --prefix <path> (default /admin)
env: LOOPGATE_ADMIN_TOKEN (required)
`;

export type BudgetsCommand =
  | { command: 'list'; sort: 'cost' | 'clientId'; limit: number; json: boolean }
  | { command: 'show' | 'unset' | 'reset'; clientId: string }
  | { command: 'set'; clientId: string; body: Record<string, number | string> };

export interface BudgetsArgs {
  url: string;
  prefix: string;
  run: BudgetsCommand;
}

/** Parses argv; returns a message instead when the arguments are wrong. */
export function parseBudgetsArgs(argv: string[]): BudgetsArgs | string {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        prefix: { type: 'string' },
        sort: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        capacity: { type: 'string' },
        'restore-rate': { type: 'string' },
        multiplier: { type: 'string' },
        ttl: { type: 'string' },
        reason: { type: 'string' },
      },
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (error) {
    return (error as Error).message;
  }
  const url = (values.url as string | undefined) ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return '--url must be http(s)';
  } catch {
    return '--url is not a valid URL';
  }
  const prefix = (values.prefix as string | undefined) ?? '/admin';
  if (!/^\/[^?#]*[^/?#]$/.test(prefix)) return '--prefix must be a path like /admin';
  const [command, clientId, ...extra] = positionals;
  if (extra.length) return `unexpected argument: ${extra[0]}`;
  const base = { url: url.replace(/\/+$/, ''), prefix };
  const onlyFor = (allowed: string[]) => Object.keys(values).find((k) => !['url', 'prefix', ...allowed].includes(k));

  if (command === 'list') {
    if (clientId !== undefined) return 'list takes no client id';
    const stray = onlyFor(['sort', 'limit', 'json']);
    if (stray) return `--${stray} does not apply to list`;
    const sort = (values.sort as string | undefined) ?? 'cost';
    if (sort !== 'cost' && sort !== 'clientId') return '--sort must be cost or clientId';
    const limit = values.limit === undefined ? 50 : positiveNumber(values.limit as string, true);
    if (limit === undefined || limit > 1000) return '--limit must be a whole number from 1 to 1000';
    return { ...base, run: { command, sort, limit, json: values.json === true } };
  }
  if (command === 'show' || command === 'unset' || command === 'reset' || command === 'set') {
    if (!clientId) return `${command} needs a client id`;
    if (clientId.length > 256) return 'the client id is longer than 256 characters';
    if (command !== 'set') {
      const stray = onlyFor([]);
      if (stray) return `--${stray} does not apply to ${command}`;
      return { ...base, run: { command, clientId } };
    }
    const stray = onlyFor(['capacity', 'restore-rate', 'multiplier', 'ttl', 'reason']);
    if (stray) return `--${stray} does not apply to set`;
    const body: Record<string, number | string> = {};
    for (const [flag, key, integer] of [
      ['capacity', 'capacity', false],
      ['restore-rate', 'restoreRatePerSecond', false],
      ['multiplier', 'multiplier', false],
      ['ttl', 'ttlSeconds', true],
    ] as const) {
      if (values[flag] === undefined) continue;
      const n = positiveNumber(values[flag] as string, integer);
      if (n === undefined) return `--${flag} must be a ${integer ? 'whole ' : ''}number > 0`;
      body[key] = n;
    }
    if (body.capacity === undefined && body.restoreRatePerSecond === undefined && body.multiplier === undefined) {
      return 'set needs --capacity, --restore-rate or --multiplier';
    }
    if (values.reason !== undefined) body.reason = values.reason as string;
    return { ...base, run: { command, clientId, body } };
  }
  return command === undefined ? 'a command is required' : `unknown command: ${command}`;
}

function positiveNumber(text: string, integer: boolean): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  if (!(n > 0) || (integer && !Number.isInteger(n))) return undefined;
  return n;
}

export class BudgetsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(`HTTP ${status} ${code}${field ? ` (${field})` : ''}`);
    this.name = 'BudgetsHttpError';
  }
}

/** Calls the admin API for one command and returns the parsed JSON answer. */
export async function runBudgets(args: BudgetsArgs, token: string): Promise<unknown> {
  const { run } = args;
  const client = (suffix = '') => `/clients/${encodeURIComponent('clientId' in run ? run.clientId : '')}${suffix}`;
  const [method, path, body] =
    run.command === 'list'
      ? ['GET', `/clients?sort=${run.sort}&limit=${run.limit}`, undefined]
      : run.command === 'show'
        ? ['GET', client(), undefined]
        : run.command === 'set'
          ? ['PUT', client('/override'), run.body]
          : run.command === 'unset'
            ? ['DELETE', client('/override'), undefined]
            : ['POST', client('/reset'), undefined];
  const response = await fetch(`${args.url}${args.prefix}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  }).catch((error: unknown) => {
    throw new Error(`cannot reach the gateway at ${args.url} (${(error as Error).message}); set --url or PORT`);
  });
  const data = (await response.json().catch(() => undefined)) as
    | { errors?: Array<{ extensions?: { code?: string; field?: string } }> }
    | undefined;
  if (!response.ok) {
    const ext = data?.errors?.[0]?.extensions;
    throw new BudgetsHttpError(response.status, ext?.code ?? 'HTTP_ERROR', ext?.field);
  }
  return data;
}

interface ListedClient {
  clientId: string;
  tier: string | null;
  capacity: number;
  remaining: number;
  multiplier: number;
  override: unknown;
  totalCost: number;
  throttled: number;
}

/** A plain-text table of `list` output. */
export function formatClientTable(data: { total: number; clients: ListedClient[] }): string {
  const head = ['client', 'tier', 'capacity', 'remaining', 'multiplier', 'override', 'cost', 'throttled'];
  const rows = data.clients.map((c) => [
    c.clientId,
    c.tier ?? '-',
    String(c.capacity),
    String(Math.floor(c.remaining)),
    String(c.multiplier),
    c.override ? 'yes' : '-',
    String(c.totalCost),
    String(c.throttled),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i !== 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line), `${data.clients.length} of ${data.total} clients`].join('\n') + '\n';
}

async function main(): Promise<number> {
  const args = parseBudgetsArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${usage}`);
    return 2;
  }
  const token = process.env.LOOPGATE_ADMIN_TOKEN;
  if (!token) {
    process.stderr.write(`LOOPGATE_ADMIN_TOKEN is not set\n${usage}`);
    return 2;
  }
  try {
    const data = await runBudgets(args, token);
    if (args.run.command === 'list' && !args.run.json) {
      process.stdout.write(formatClientTable(data as { total: number; clients: ListedClient[] }));
    } else {
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof BudgetsHttpError) process.stderr.write(`budgets: ${error.message}\n`);
    else process.stderr.write(`budgets: ${(error as Error).message}\n`);
    return 1;
  }
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();
if (invokedDirectly) process.exitCode = await main();
