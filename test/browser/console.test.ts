// The console in a real browser (Debian's Chromium, headless, through playwright-core) against the local
// server on an ephemeral port: '/' leads to it; paste the account token, find the ecosystems collapsed
// below the user lookup, open one and see charts drawn from the usage API's numbers; look a user up and
// revoke a token with its button, after a confirmation (cancelled once), then check over the API that the
// token answers TOKEN_REVOKED; disconnect; and the same page on a 390 px wide phone without sideways
// scrolling. A missing Chromium fails this test with a message saying how to install it.
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
  let other: { ecosystemId: string };
  const tokens: { token: string; tokenId: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium).`,
      );
    }
    eco = await seedThroughApi(server, 'alice');
    other = await seedThroughApi(server, 'bob');
    for (let i = 0; i < 2; i++) {
      const path = `/v1/ecosystems/${eco.ecosystemId}/users/alice/tokens?expiryType=FixedTtl&ttl=3600`;
      const body = i === 0 ? { label: 'laptop' } : undefined; // the second has no label: shown as '-'
      tokens.push((await server.call('POST', path, { bearer: eco.serverToken, body })).body);
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

  it("redirects the local server's root to the console; other methods on '/' stay 404", async () => {
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
    const post = await server.call('POST', '/');
    expect([post.status, post.body.error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    await page.goto(server.url);
    expect(page.url()).toBe(`${server.url}/console/`);
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
    await page.waitForSelector(box);

    // Collapsed, below the user lookup: no usage is fetched until an ecosystem is opened.
    const top = (selector: string) => page.$eval(selector, (e) => e.getBoundingClientRect().top);
    expect(await top('#lookup')).toBeLessThan(await top('#ecosystems'));
    const open = () =>
      Promise.all(
        [eco, other].map(({ ecosystemId }) =>
          page.$eval(`[data-ecosystem="${ecosystemId}"]`, (d) => d.hasAttribute('open')),
        ),
      );
    expect(await open()).toEqual([false, false]);
    expect(await page.$$(`${box} svg`)).toHaveLength(0);
    expect(await page.textContent(`[data-ecosystem="${other.ecosystemId}"] summary`)).toContain('test');

    await page.click(`${box} summary`);
    await page.waitForSelector(`${box} svg[data-chart="refused"]`);
    expect(await open()).toEqual([true, false]);

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
    const labelOf = (token: { tokenId: string } | undefined) =>
      page.textContent(`#tokens tr[data-token="${token?.tokenId}"] td[data-label="label"]`);
    expect([await labelOf(first), await labelOf(second)]).toEqual(['laptop', '-']);
    expect(JSON.parse((await page.textContent('#metadata')) ?? '')).toEqual({ plan: 'pro' });

    // The first time the person cancels: nothing is revoked.
    await page.click(`[data-revoke="${second?.tokenId}"]`);
    await page.waitForSelector('#confirm[open]');
    expect(await page.textContent('#confirm-text')).toContain(
      `Revoke token ${second?.tokenId} of user alice?`,
    );
    await page.click('#confirm-cancel');
    await page.waitForSelector('#confirm', { state: 'hidden' });
    expect((await server.call('POST', '/v1/tokens/verify', { body: { token: second?.token } })).status).toBe(
      200,
    );
    expect(await page.$$eval('#tokens tr[data-token]', (rows) => rows.length)).toBe(2);

    await page.click(`[data-revoke="${second?.tokenId}"]`);
    await page.click('#confirm-ok');
    await page.waitForSelector(`#tokens tr[data-token="${second?.tokenId}"]`, { state: 'detached' });
    expect(await page.$$eval('#tokens tr[data-token]', (rows) => rows.length)).toBe(1);
    await page.waitForSelector('#status.ok');
    expect(await page.textContent('#status')).toBe(`Revoked token ${second?.tokenId} of user alice.`);

    const verify = await server.call('POST', '/v1/tokens/verify', { body: { token: second?.token } });
    expect(verify.status).toBe(401);
    expect(verify.body.error.code).toBe('TOKEN_REVOKED');
    expect((await server.call('POST', '/v1/tokens/verify', { body: { token: first?.token } })).status).toBe(
      200,
    );
    expect(pageErrors).toEqual([]);
  });

  it('revokes every token of the user with Revoke all, after a confirmation', async () => {
    await page.click('#revoke-all');
    await page.waitForSelector('#confirm[open]');
    expect(await page.textContent('#confirm-text')).toContain(
      'Revoke every token of user alice issued so far?',
    );
    await page.click('#confirm-ok');
    await page.waitForSelector('#tokens', { state: 'detached' });
    expect(await page.textContent('#user .count')).toBe('0 live token(s)');
    expect(await page.textContent('#status')).toBe('Revoked every token of user alice.');
    const verify = await server.call('POST', '/v1/tokens/verify', { body: { token: tokens[0]?.token } });
    expect([verify.status, verify.body.error.code]).toEqual([401, 'TOKEN_REVOKED']);
    expect(pageErrors).toEqual([]);
  });

  it('forgets the credential and everything read with it on Disconnect', async () => {
    await page.click('#disconnect');
    await page.waitForSelector('#main', { state: 'hidden' });
    expect(await page.isVisible('#connect')).toBe(true);
    expect(await page.textContent('#status')).toBe('Disconnected: the credential is forgotten.');
    expect(await page.$$('#tokens, details.ecosystem, #user-ecosystem option')).toHaveLength(0);
    // Evaluated as page source: this project's compiler has no DOM types.
    const kept = await page.evaluate(
      '[document.documentElement.outerHTML, localStorage.length, sessionStorage.length]',
    );
    expect(kept).toEqual([expect.not.stringContaining(TEST_ACCOUNT_TOKEN), 0, 0]);
    expect(pageErrors).toEqual([]);
  });

  it('fits a 390 px wide screen: connect, an opened ecosystem and a user with tokens, no sideways scroll', async () => {
    const issue = `/v1/ecosystems/${eco.ecosystemId}/users/alice/tokens?expiryType=SlidingTtl&ttl=900`;
    for (let i = 0; i < 2; i++) await server.call('POST', issue, { bearer: eco.serverToken });
    await page.setViewportSize({ width: 390, height: 844 });
    const scrollWidth = async () => Number(await page.evaluate('document.documentElement.scrollWidth'));
    await page.goto(`${server.url}/console/`);
    expect(await scrollWidth()).toBeLessThanOrEqual(390);

    await page.fill('#credential', TEST_ACCOUNT_TOKEN);
    await page.click('#connect button');
    await page.click(`[data-ecosystem="${eco.ecosystemId}"] summary`);
    await page.waitForSelector(`[data-ecosystem="${eco.ecosystemId}"] svg[data-chart="refused"]`);
    await page.selectOption('#user-ecosystem', eco.ecosystemId);
    await page.fill('#user-id', 'alice');
    await page.click('#user-form button');
    await page.waitForSelector('#tokens tr[data-token]');
    expect(await scrollWidth()).toBeLessThanOrEqual(390);

    await page.click('#tokens [data-revoke]');
    await page.waitForSelector('#confirm[open]');
    const dialog = await page.$eval('#confirm', (d) => d.getBoundingClientRect().right);
    expect(dialog).toBeLessThanOrEqual(390);
    await page.click('#confirm-cancel');
    expect(pageErrors).toEqual([]);
  });
});
