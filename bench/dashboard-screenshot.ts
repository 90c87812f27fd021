/**
 * The README's dashboard screenshot, from the real gateway: embedded demo backends, real
 * tokens, a few clients' traffic (one of them probing the schema, so the feedback loop acts),
 * then the dashboard in headless Chromium with the admin token. Writes docs/dashboard.png.
 *
 *   npx tsx bench/dashboard-screenshot.ts
 */
import { chromium } from 'playwright-core';
import { startTestGateway, tokenFor, postGraphQL } from '../test/support/gateway';

const adminToken = 'screenshot-admin-token-0123456789';
const gateway = await startTestGateway({
  admin: { token: adminToken },
  feedback: { windowMs: 10_000, slotMs: 1_000, cooldownMs: 1_000, evaluateIntervalMs: 0, minRequests: 5 },
  budgets: { tiers: { anonymous: { capacity: 100, restoreRatePerSecond: 10 }, free: { capacity: 1000, restoreRatePerSecond: 50 }, pro: { capacity: 10_000, restoreRatePerSecond: 500 } } },
});
try {
  const reader = await tokenFor({ sub: 'mobile-app', scope: 'pet:read', tier: 'pro' });
  const shop = await tokenFor({ sub: 'partner-shop', scope: 'pet:read store:read', tier: 'free' });
  const prober = await tokenFor({ sub: 'curious-bot', scope: '', tier: 'free' });
  for (let i = 0; i < 12; i++) {
    await postGraphQL(gateway, { query: '{ getPetById(petId: 1) { name reviews { text author { name } } } }' }, { token: reader });
    await postGraphQL(gateway, { query: '{ getInventory findPetsByStatus(status: [available]) { name } }' }, { token: shop });
    await postGraphQL(gateway, { query: '{ owner(id: "o1") { name email phone } __schema { types { name } } }' }, { token: prober });
    await postGraphQL(gateway, { query: '{ reviewsForPet(petId: 2) { text } }' });
    await new Promise((r) => setTimeout(r, 150));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  await page.goto(`${gateway.url}/admin/`);
  await page.locator('#token').fill(adminToken);
  await page.locator('#login-form button[type=submit]').click();
  const row = page.locator('#clients tbody tr[data-client="partner-shop"]');
  await row.waitFor();
  await row.locator('button').click();
  await page.locator('#ov-capacity').fill('2500');
  await page.locator('#ov-ttl').fill('3600');
  await page.locator('#ov-reason').fill('partner launch');
  await page.locator('#override-form button[type=submit]').click();
  await page.locator('#status').filter({ hasText: 'override set' }).waitFor();
  await page.screenshot({ path: 'docs/dashboard.png', fullPage: true });
  await browser.close();
  process.stdout.write('wrote docs/dashboard.png\n');
} finally {
  await gateway.close();
}
