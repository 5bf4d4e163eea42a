// No provider secret is ever written in plain text: a full run of the provider routes and the exchange on
// the local server (the Powertools logger at DEBUG, refusals included), then every answer, every byte written
// to stdout/stderr, every file of the data folder (store, events, keys) and the OpenAPI document are searched
// for every secret sent, in each form it could take: as sent, base64, base64url, and hex-decoded bytes.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORE_FILE } from '../../../functions/adapters/embedded-store.ts';
import { SECRETS_KEY_FILE } from '../../../functions/adapters/local-secret-box.ts';
import { createHandler as createExchange } from '../../../functions/exchange/handler.ts';
import { captureOutput } from '../../helpers/capture-output.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { providerBodies, secretOf } from '../../helpers/providers.ts';
import { removeDataDir, startTestServer, type TestServer } from '../../helpers/server.ts';

/** The byte sequences a secret could be stored or printed as. */
function formsOf(secret: string): Buffer[] {
  const forms = [Buffer.from(secret), Buffer.from(Buffer.from(secret).toString('base64'))];
  forms.push(Buffer.from(Buffer.from(secret).toString('base64url')));
  if (/^(?:[0-9a-fA-F]{2})+$/.test(secret)) {
    const bytes = Buffer.from(secret, 'hex');
    forms.push(bytes, Buffer.from(bytes.toString('base64')), Buffer.from(bytes.toString('base64url')));
  }
  return forms;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested.flat();
}

/** Every file of a folder, by its path inside it. */
async function readFolder(dir: string): Promise<Map<string, Buffer>> {
  const files = await filesUnder(dir);
  return new Map(
    await Promise.all(files.map(async (f) => [f.slice(dir.length + 1), await readFile(f)] as const)),
  );
}

describe('provider secrets, after a full run of the provider routes and the exchange', () => {
  const secrets: string[] = [];
  const answers: string[] = [];
  /** The data folder's files as they were before anything was deleted, and at the end. */
  const folders: Map<string, Buffer>[] = [];
  let server: TestServer;
  let logs = '';

  beforeAll(async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const output = captureOutput();
    try {
      server = await startTestServer();
      const call: TestServer['call'] = async (method, path, options) => {
        const result = await server.call(method, path, options);
        answers.push(result.text);
        return result;
      };
      const eco = (await call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} })).body;
      const st = { bearer: eco.serverToken as string };
      const base = `/v1/ecosystems/${eco.ecosystemId}`;
      await call('PUT', `${base}/users/alice`, { ...st, body: {} });
      const first = providerBodies();
      const second = providerBodies();
      for (const bodies of [first, second]) {
        for (const [providerId, body] of Object.entries(bodies)) {
          secrets.push(secretOf(body));
          await call('PUT', `${base}/providers/${providerId}`, { ...st, body }); // then replaced
        }
      }
      // Refused bodies that carry a secret: a bad field beside it, an unknown member, a bad id.
      const refused = providerBodies();
      for (const body of Object.values(refused)) secrets.push(secretOf(body));
      await call('PUT', `${base}/providers/x`, { ...st, body: { ...refused.twilio, accountSid: 'AC1' } });
      await call('PUT', `${base}/providers/x`, { ...st, body: { ...refused.stream, extra: true } });
      await call('PUT', `${base}/providers/-x`, { ...st, body: refused.infobip });
      await call('PUT', `${base}/providers/x`, { ...st, body: { ...refused.infobip, secretKeyHex: 'ab' } });

      await call('GET', `${base}/providers`, st);
      for (const providerId of Object.keys(first)) await call('GET', `${base}/providers/${providerId}`, st);
      const { token } = (await call('POST', `${base}/users/alice/tokens`, st)).body;
      for (const provider of Object.keys(first)) {
        await call('POST', '/v1/tokens/exchange', { body: { token, provider } });
        await call('POST', '/v1/tokens/exchange', { bearer: token, body: { provider } });
      }
      await call('POST', '/v1/tokens/exchange', { body: { token, provider: 'none' } });
      const exchange = createExchange(server.local.deps);
      answers.push(JSON.stringify(await exchange({ token, provider: 'stream' })));
      await call('GET', '/openapi.json');
      await server.local.store.flush();
      folders.push(await readFolder(server.dataDir));
      await call('DELETE', `${base}/providers/infobip`, st);
      await call('DELETE', base, { bearer: TEST_ACCOUNT_TOKEN });
      await server.stop();
      folders.push(await readFolder(server.dataDir));
    } finally {
      output.restore();
      vi.unstubAllEnvs();
      logs = output.text();
    }
  });

  afterAll(async () => {
    await removeDataDir(server.dataDir);
  });

  it('sent nine secrets and logged every request, so the searches below searched something', () => {
    expect(new Set(secrets).size).toBe(9);
    expect(logs.split('\n').filter((line) => line.includes('"message":"request"')).length).toBeGreaterThan(
      20,
    );
    expect(answers.some((text) => text.includes('"openapi"'))).toBe(true);
  });

  it('answered no secret, in any form, the OpenAPI document included', () => {
    const text = Buffer.from(answers.join('\n'));
    const leaked = secrets.filter((secret) => formsOf(secret).some((form) => text.includes(form)));
    expect(leaked).toEqual([]);
  });

  it('logged no secret, in any form', () => {
    const text = Buffer.from(logs);
    expect(secrets.filter((secret) => formsOf(secret).some((form) => text.includes(form)))).toEqual([]);
  });

  it('left no secret in plain text in any file of the data folder, whose key file only its owner reads', async () => {
    const [during, after] = folders;
    expect([...(during?.keys() ?? [])]).toEqual(expect.arrayContaining([SECRETS_KEY_FILE, STORE_FILE]));
    // The store held the sealed secrets then (so the search below searched them), and none after.
    expect(during?.get(STORE_FILE)?.toString()).toContain('"sealedSecret":"local1.');
    expect(after?.get(STORE_FILE)?.toString()).not.toContain('sealedSecret');
    for (const [when, files] of [
      ['during', during],
      ['after', after],
    ] as const) {
      for (const [file, bytes] of files ?? []) {
        const leaked = secrets.filter((secret) => formsOf(secret).some((form) => bytes.includes(form)));
        expect({ when, file, leaked }).toEqual({ when, file, leaked: [] });
      }
    }
    expect((await stat(join(server.dataDir, SECRETS_KEY_FILE))).mode & 0o077).toBe(0);
  });
});
