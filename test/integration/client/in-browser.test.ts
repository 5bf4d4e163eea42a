// The client's browser entry (functions/client/browser.ts) bundled for the browser, as an app would ship it,
// and run in a real browser (Debian's Chromium, headless, through playwright-core) against the local server:
// the shared token reader on WebCrypto and jose and the HTTP client on the page's fetch, with no Node.js API
// at hand. The page is one of the server's own, so every call is same-origin.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingInputOf } from '../../helpers/forge.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ENTRY = join(import.meta.dirname, '..', '..', '..', 'functions', 'client', 'browser.ts');

describe('the browser client in Chromium', () => {
  const server = useTestServer();
  let profile: string;
  let browser: BrowserContext;
  let bundle: string;
  let issued: { token: string; tokenId: string };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium).`,
      );
    }
    // platform browser: a node: import anywhere in the graph fails this build.
    const built = await build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'TesseraBrowser',
      write: false,
      logLevel: 'silent',
    });
    bundle = built.outputFiles[0]?.text ?? '';
    const { ecosystemId, serverToken } = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}/users/alice/tokens?expiryType=FixedTtl&ttl=600`;
    issued = (await server.call('POST', path, { bearer: serverToken, body: { claims: { room: 'r1' } } }))
      .body;
    profile = await mkdtemp(join(tmpdir(), 'tessera-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  });

  it('verifies a token offline and over HTTP, and refuses a forged signature and a forged header', async () => {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${server.url}/openapi.json`);
    await page.addScriptTag({ content: bundle });

    const [header = '', payload = ''] = issued.token.split('.');
    const forgedSignature = `${header}.${payload}.${'A'.repeat(86)}`; // r = s = 0, the psychic signature
    const forgedHeader = `${signingInputOf({ alg: 'none', typ: 'JWT', kid: 'k' }, {})}.`;
    const verdicts = await page.evaluate(
      async ({ baseUrl, token, forgedSignature, forgedHeader }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the bundle's global, typed by the test's assertions
        const { OfflineVerifier, precheckToken, TesseraClient } = (globalThis as any).TesseraBrowser;
        const verifier = new OfflineVerifier({ jwksUrl: `${baseUrl}/.well-known/jwks.json` });
        const codeOf = (err: { code?: string }) => err.code ?? String(err);
        return {
          node: typeof (globalThis as { process?: unknown }).process,
          valid: await verifier.verify(token),
          overHttp: await new TesseraClient({ baseUrl }).verifyToken(token).catch(codeOf),
          signature: await verifier.verify(forgedSignature).catch(codeOf),
          header: await Promise.resolve()
            .then(() => precheckToken(forgedHeader))
            .catch(codeOf),
        };
      },
      { baseUrl: server.url, token: issued.token, forgedSignature, forgedHeader },
    );
    expect(verdicts).toMatchObject({
      node: 'undefined',
      valid: { valid: true, tokenId: issued.tokenId, userId: 'alice', claims: { room: 'r1' } },
      overHttp: { valid: true, tokenId: issued.tokenId, userId: 'alice', claims: { room: 'r1' } },
      signature: 'TOKEN_SIGNATURE_INVALID',
      header: 'TOKEN_STRUCTURE_INVALID',
    });
    expect(pageErrors).toEqual([]);
  });
});
