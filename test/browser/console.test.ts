// The console in a real browser (Debian's Chromium, headless, through playwright-core) against the local
// server on an ephemeral port: paste the account token, see charts drawn from the usage API's numbers, look
// a user up and revoke a token with its button, then check over the API that the token answers
// TOKEN_REVOKED. A missing Chromium fails this test with a message saying how to install it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../helpers/deps.ts';
import { seedThroughApi } from '../helpers/server.ts';
import { useTestServer } from '../helpers/use-test-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the console (Chromium)', () => {
  const server = useTestServer();
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let eco: { ecosystemId: string; serverToken: string };
  const tokens: { token: string; tokenId: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium).`,
      );
    }
    eco = await seedThroughApi(server, 'alice');
    for (let i = 0; i < 2; i++) {
      const path = `/v1/ecosystems/${eco.ecosystemId}/users/alice/tokens?expiryType=FixedTtl&ttl=3600`;
      tokens.push((await server.call('POST', path, { bearer: eco.serverToken })).body);
    }
    for (let i = 0; i < 3; i++)
      await server.call('POST', '/v1/tokens/verify', { body: { token: tokens[0]?.token } });
    const broken = `${tokens[0]?.token.slice(0, -4)}AAAA`;
    expect((await server.call('POST', '/v1/tokens/verify', { body: { token: broken } })).status).toBe(401);

    profile = await mkdtemp(join(tmpdir(), 'tessera-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  });

  it('serves the page with a policy that allows only its own files and origin', async () => {
    const response = await fetch(`${server.url}/console/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<title>Tessera console</title>');
    const missing = await fetch(`${server.url}/console/secrets.txt`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('draws the usage charts from the usage API, after the account token is pasted', async () => {
    const usage = await server.call('GET', `/v1/ecosystems/${eco.ecosystemId}/usage`, {
      bearer: TEST_ACCOUNT_TOKEN,
    });
    const today = usage.body.days.at(-1);
    expect(today).toMatchObject({ issued: 2, verified: 3, newActiveIdentities: 1, noIdentity: 1 });

    await page.goto(`${server.url}/console/`);
    await page.fill('#credential', TEST_ACCOUNT_TOKEN);
    await page.click('#connect button');
    const box = `[data-ecosystem="${eco.ecosystemId}"]`;
    await page.waitForSelector(`${box} svg[data-chart="refused"]`);

    const bars = (chart: string) =>
      page.$$eval(`${box} svg[data-chart="${chart}"] rect`, (rects) =>
        rects.map((r) => ({
          date: r.getAttribute('data-date'),
          series: r.getAttribute('data-series'),
          value: Number(r.getAttribute('data-value')),
          height: Number(r.getAttribute('height')),
        })),
      );
    const verified = await bars('verified');
    expect(verified).toHaveLength(usage.body.days.length);
    expect(verified.map((b) => b.value)).toEqual(
      usage.body.days.map((d: { verified: number }) => d.verified),
    );
    expect(verified.at(-1)).toMatchObject({ date: today.date, value: 3 });
    expect(verified.at(-1)?.height).toBeGreaterThan(0);
    expect(verified.at(0)?.height).toBe(0);
    expect((await bars('issued')).at(-1)?.value).toBe(2);

    const refusedToday = (await bars('refused')).filter((b) => b.date === today.date && b.value > 0);
    expect(refusedToday).toEqual([expect.objectContaining({ series: 'TOKEN_SIGNATURE_INVALID', value: 1 })]);
    const month = today.date.slice(0, 7);
    const months = await bars('activeIdentities');
    expect(months.map((b) => [b.date, b.value])).toEqual(
      usage.body.months.map((m: { month: string; activeIdentities: number }) => [
        m.month,
        m.activeIdentities,
      ]),
    );
    expect(months.at(-1)).toMatchObject({ date: month, value: 1 });
    expect(await page.textContent(`${box} [data-months]`)).toContain(`${month}: 1`);
    expect(pageErrors).toEqual([]);
  });

  it('looks a user up and revokes a token with its button; the API then refuses it as TOKEN_REVOKED', async () => {
    const [first, second] = tokens;
    await page.selectOption('#user-ecosystem', eco.ecosystemId);
    await page.fill('#user-id', 'alice');
    await page.click('#user-form button');
    await page.waitForSelector('#tokens tr[data-token]');
    expect(
      await page.$$eval('#tokens tr[data-token]', (rows) => rows.map((r) => r.getAttribute('data-token'))),
    ).toEqual(expect.arrayContaining([first?.tokenId, second?.tokenId])); // same second: order by id
    expect(await page.$$eval('#tokens tr[data-token]', (rows) => rows.length)).toBe(2);
    expect(JSON.parse((await page.textContent('#metadata')) ?? '')).toEqual({ plan: 'pro' });

    await page.click(`[data-revoke="${second?.tokenId}"]`);
    await page.waitForSelector(`#tokens tr[data-token="${second?.tokenId}"]`, { state: 'detached' });
    expect(await page.$$eval('#tokens tr[data-token]', (rows) => rows.length)).toBe(1);

    const verify = await server.call('POST', '/v1/tokens/verify', { body: { token: second?.token } });
    expect(verify.status).toBe(401);
    expect(verify.body.error.code).toBe('TOKEN_REVOKED');
    expect((await server.call('POST', '/v1/tokens/verify', { body: { token: first?.token } })).status).toBe(
      200,
    );
    expect(pageErrors).toEqual([]);
  });
});
