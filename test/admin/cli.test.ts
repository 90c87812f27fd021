import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBudgetsArgs } from '../../src/cli/budgets';
import { createMemoryStore, type BudgetStore } from '../../src/store';
import { adminToken, startAdminServer, type AdminServer } from './support';

const tierLimits = { capacity: 100, restoreRatePerSecond: 1 };
const t0 = Date.parse('2030-01-01T00:00:00Z');

function budgets(args: string[], token: string | null = adminToken): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  if (token === null) delete env.LOOPGATE_ADMIN_TOKEN;
  else env.LOOPGATE_ADMIN_TOKEN = token;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/budgets.ts', ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('budgets CLI against a running admin API', () => {
  let store: BudgetStore;
  let server: AdminServer;

  beforeAll(async () => {
    store = createMemoryStore();
    server = await startAdminServer({ store, credentials: { token: adminToken }, now: () => t0 });
    await store.charge('alice', { cost: 30, tierLimits, tier: 'free', nowMs: t0 });
    await store.charge('bob', { cost: 60, tierLimits, tier: 'pro', nowMs: t0 });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it('lists clients as a table, and as JSON with --json', async () => {
    const table = await budgets(['list', '--url', server.url]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^client\s+tier\s+capacity\s+remaining/);
    expect(lines[1]).toMatch(/^bob\s+pro\s+100\s+40\s/);
    expect(lines[2]).toMatch(/^alice\s+free\s+100\s+70\s/);
    const json = await budgets(['list', '--json', '--sort', 'clientId', '--url', server.url]);
    expect(JSON.parse(json.stdout).clients.map((c: { clientId: string }) => c.clientId)).toEqual(['alice', 'bob']);
  });

  it('sets, shows, unsets an override and resets a client; the store sees each change', async () => {
    const set = await budgets(['set', 'alice', '--capacity', '250', '--restore-rate', '5', '--ttl', '600', '--url', server.url]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).client.override).toMatchObject({ capacity: 250, restoreRatePerSecond: 5, actor: 'token' });
    expect((await store.getClient('alice', t0))?.override?.expiresAtMs).toBe(t0 + 600_000);

    const show = await budgets(['show', 'alice', '--url', server.url]);
    expect(JSON.parse(show.stdout).audit[0]).toMatchObject({ rule: 'override', actor: 'token' });

    expect((await budgets(['unset', 'alice', '--url', server.url])).code).toBe(0);
    expect((await store.getClient('alice', t0))?.override).toBeUndefined();

    expect((await budgets(['reset', 'bob', '--url', server.url])).code).toBe(0);
    expect((await store.getClient('bob', t0))?.tokens).toBe(100);
  });

  it('exits 1 with the code on HTTP errors', async () => {
    const missing = await budgets(['show', 'nobody', '--url', server.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND');
    const wrong = await budgets(['list', '--url', server.url], 'not-the-admin-token-at-all');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('INVALID_TOKEN');
    const bad = await budgets(['set', 'alice', '--multiplier', '99999999999999', '--url', server.url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('BAD_REQUEST (multiplier)');
  });

  it('exits 2 on bad arguments or a missing token', async () => {
    expect((await budgets(['frobnicate'])).code).toBe(2);
    expect((await budgets(['list', '--url', server.url], null)).code).toBe(2);
  });
});

describe('parseBudgetsArgs', () => {
  it.each([
    [[], 'a command is required'],
    [['list', 'extra'], 'list takes no client id'],
    [['list', '--capacity', '3'], '--capacity does not apply to list'],
    [['list', '--limit', '0'], '--limit must be a whole number from 1 to 1000'],
    [['show'], 'show needs a client id'],
    [['set', 'a'], 'set needs --capacity, --restore-rate or --multiplier'],
    [['set', 'a', '--capacity=-3'], '--capacity must be a number > 0'],
    [['set', 'a', '--capacity', '3', '--ttl', '1.5'], '--ttl must be a whole number > 0'],
    [['reset', 'a', '--capacity', '3'], '--capacity does not apply to reset'],
    [['list', '--url', 'ftp://x'], '--url must be http(s)'],
    [['list', '--bogus'], expect.stringContaining('bogus')],
  ])('%j -> %s', (argv, message) => {
    expect(parseBudgetsArgs(argv as string[])).toEqual(message);
  });

  it('parses set with every option', () => {
    expect(parseBudgetsArgs(['set', 'c 1', '--capacity', '10', '--multiplier', '0.5', '--ttl', '60', '--reason', 'why', '--url', 'http://h:1/'])).toEqual({
      url: 'http://h:1',
      prefix: '/admin',
      run: { command: 'set', clientId: 'c 1', body: { capacity: 10, multiplier: 0.5, ttlSeconds: 60, reason: 'why' } },
    });
  });
});
