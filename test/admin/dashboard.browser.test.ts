import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore, type BudgetStore } from '../../src/store';
import { adminToken, startAdminServer, type AdminServer } from './support';

const t0 = Date.parse('2030-01-01T12:00:00Z');
const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('dashboard in headless Chromium', () => {
  let store: BudgetStore;
  let server: AdminServer;
  let browser: Browser;

  beforeAll(async () => {
    store = createMemoryStore();
    server = await startAdminServer({ store, credentials: { token: adminToken }, now: () => t0 });
    const clients: Array<[string, string, number, number]> = [
      ['acme-mobile', 'pro', 10_000, 4200],
      ['partner-shop', 'free', 1000, 640],
      ['anon:203.0.113.9', 'anonymous', 100, 95],
    ];
    for (const [id, tier, capacity, cost] of clients) {
      await store.charge(id, { cost, tierLimits: { capacity, restoreRatePerSecond: capacity / 20 }, tier, nowMs: t0 });
      // An hour of cost samples with a recognisable shape for the chart.
      for (let minute = 0; minute < 60; minute++) {
        server.handler.recordCostSample(id, (cost / 60) * (1 + Math.sin(minute / 6)), t0 - (59 - minute) * 60_000);
      }
    }
    await store.setMultiplier('anon:203.0.113.9', 0.5, t0);
    await store.appendAudit({
      atMs: t0 - 30_000,
      clientId: 'anon:203.0.113.9',
      actor: 'feedback',
      rule: 'validation_errors',
      reason: 'validation errors 0.8 of 40 requests >= 0.5',
      oldMultiplier: 1,
      newMultiplier: 0.5,
      oldCapacity: 100,
      newCapacity: 50,
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('asks for the token, shows clients, and applies an override through its form', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const externalRequests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) externalRequests.push(request.url());
    });

    await page.goto(`${server.url}/admin/`);
    await page.locator('#token').fill(adminToken);
    await page.locator('#login-form button[type=submit]').click();

    const row = page.locator('#clients tbody tr[data-client="partner-shop"]');
    await row.waitFor();
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('free');
    expect(await row.locator('svg.spark polyline').count()).toBe(1);
    await expect.poll(() => page.locator('#events li[data-rule="validation_errors"]').count()).toBe(1);
    expect(await page.locator('#events').textContent()).toContain('validation errors 0.8 of 40 requests');

    await row.locator('button').click();
    expect(await page.locator('#ov-client').inputValue()).toBe('partner-shop');
    await page.locator('#ov-capacity').fill('2500');
    await page.locator('#ov-ttl').fill('3600');
    await page.locator('#ov-reason').fill('partner launch');
    await page.locator('#override-form button[type=submit]').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('override set for partner-shop');

    const state = await store.getClient('partner-shop', t0);
    expect(state?.override).toMatchObject({ capacity: 2500, expiresAtMs: t0 + 3_600_000, actor: 'token', reason: 'partner launch' });
    const [event] = await store.listAudit('partner-shop', 1);
    expect(event).toMatchObject({ rule: 'override', actor: 'token', newCapacity: 2500 });
    await expect.poll(() => row.locator('td').nth(5).textContent()).toContain('cap 2,500');
    await expect.poll(() => page.locator('#detail li[data-rule="override"]').count()).toBe(1);

    // The README's screenshot comes from the real gateway (bench/dashboard-screenshot.ts); this one proves the page renders.
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);

    // A reload keeps the session token (sessionStorage) and shows data again without asking.
    await page.reload();
    await page.locator('#clients tbody tr[data-client="acme-mobile"]').waitFor();

    expect(problems).toEqual([]);
    expect(externalRequests).toEqual([]);
    await page.close();
  });

  it('goes back to the token form on a wrong token', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/admin/dashboard`);
    await page.locator('#token').fill('definitely-not-the-admin-token');
    await page.locator('#login-form button[type=submit]').click();
    await expect.poll(() => page.locator('#login-error').textContent()).toBe('Refused: INVALID_TOKEN');
    expect(await page.locator('#login').isVisible()).toBe(true);
    await page.close();
  });
});
