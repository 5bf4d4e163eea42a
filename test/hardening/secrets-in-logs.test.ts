// No credential ever reaches a log: every byte written to stdout/stderr during a full run of the API (with
// the Powertools logger at DEBUG) is searched for every user, server and account token handed out or sent.
// And what the data folder keeps of credentials is their SHA-256 hashes, never the secrets.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORE_FILE } from '../../functions/adapters/embedded-store.ts';
import { KEY_FILE } from '../../functions/adapters/local-signer.ts';
import { createHandler as createAuthorizer } from '../../functions/authorizer/handler.ts';
import { ACCOUNT_FILE } from '../../functions/runtime/dependencies.ts';
import { captureOutput } from '../helpers/capture-output.ts';
import { TEST_ACCOUNT_TOKEN } from '../helpers/deps.ts';
import { malleate } from '../helpers/forge.ts';
import { removeDataDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { httpApiAuthorizerEvent, restTokenAuthorizerEvent } from './authorizer-events.ts';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Every secret a run handed out or was sent, with its secret parts (the server token's last segment). */
class Secrets {
  readonly all = new Set<string>();
  add(secret: unknown): void {
    if (typeof secret !== 'string' || secret.length === 0) return;
    this.all.add(secret);
    const parts = secret.split('.');
    if (secret.startsWith('tss.')) this.all.add(parts[3] ?? '');
    if (parts.length === 3) this.all.add(parts[2] ?? ''); // a user token's signature
  }
}

describe('a full run of the API', () => {
  const secrets = new Secrets();
  let server: TestServer;
  let logs: string;
  let requests = 0;

  beforeAll(async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const output = captureOutput();
    try {
      server = await startTestServer();
      const call: TestServer['call'] = (method, path, options) => {
        requests++;
        return server.call(method, path, options);
      };
      secrets.add(TEST_ACCOUNT_TOKEN);
      const account = { bearer: TEST_ACCOUNT_TOKEN };

      const eco = (await call('POST', '/v1/ecosystems', { ...account, body: { name: 'logs' } })).body;
      secrets.add(eco.serverToken);
      const base = `/v1/ecosystems/${eco.ecosystemId}`;
      const st = { bearer: eco.serverToken };
      const second = (await call('POST', `${base}/server-tokens`, st)).body;
      secrets.add(second.serverToken);
      await call('GET', `${base}/server-tokens`, { bearer: second.serverToken });
      await call('GET', base, st);
      await call('PUT', `${base}/users/alice`, { ...st, body: { metadata: { plan: 'pro' } } });
      const bob = (await call('POST', `${base}/users`, { ...st, body: { metadata: {} } })).body;
      await call('GET', `${base}/users/alice`, st);

      const tokens: string[] = [];
      for (const query of [
        'expiryType=FixedTtl&ttl=60',
        'expiryType=SlidingTtl&ttl=60&maxTtl=600',
        'expiryType=Infinite',
      ]) {
        const issued = await call('POST', `${base}/users/alice/tokens?${query}`, {
          ...st,
          body: { claims: { role: 'a' } },
        });
        tokens.push(issued.body.token);
      }
      const compat = await call('POST', `/api/users/${eco.ecosystemId};${bob.userId}/tokens`, st);
      tokens.push(compat.body.token);
      for (const token of tokens) secrets.add(token);

      const [fixed = '', sliding = '', infinite = '', bobs = ''] = tokens;
      await call('POST', '/v1/tokens/verify', { body: { token: fixed } });
      await call('POST', '/v1/tokens/verify', { bearer: sliding });
      await call('GET', '/v1/me', { bearer: infinite });
      const refreshed = (await call('POST', '/v1/tokens/refresh', { body: { token: sliding } })).body;
      secrets.add(refreshed.token);
      const retried = (await call('POST', '/v1/tokens/refresh', { body: { token: sliding } })).body;
      secrets.add(retried.token);
      await call('POST', '/v1/tokens/verify', { body: { token: sliding } }); // rotated away: 401
      await call('POST', '/v1/tokens/verify', { body: { token: malleate(fixed) } });
      await call('POST', '/v1/tokens/verify', { body: { token: `${fixed}x` } }); // bad signature: 401
      await call('POST', '/v1/tokens/revoke', { body: { token: fixed } });
      await call('POST', '/v1/tokens/verify', { body: { token: fixed } }); // revoked: 401
      await call('DELETE', `${base}/users/${bob.userId}/tokens/${compat.body.tokenId}`, st);
      await call('POST', '/v1/tokens/refresh', { body: { token: bobs } }); // revoked: 401
      await call('DELETE', `${base}/users/alice/tokens`, st);
      await call('GET', '/v1/me', { bearer: infinite }); // revoked: 401
      await call('GET', '/.well-known/jwks.json');

      const authorizer = createAuthorizer(server.local.deps);
      await authorizer(httpApiAuthorizerEvent(infinite));
      await authorizer(restTokenAuthorizerEvent(infinite)).catch(() => undefined);

      // Credentials sent where they do not belong, or wrong by one character.
      await call('GET', base, { bearer: `${eco.serverToken.slice(0, -1)}A` });
      await call('GET', base, { bearer: `${TEST_ACCOUNT_TOKEN}0` });
      await call('POST', '/v1/ecosystems', { bearer: eco.serverToken });
      await call('POST', '/v1/tokens/verify', { body: { token: infinite, extra: TEST_ACCOUNT_TOKEN } });
      await call('GET', `${base}/users/${encodeURIComponent(eco.serverToken)}`, st);
      await call('PUT', `${base}/users/alice`, { ...st, body: `{"metadata":${JSON.stringify({ t: 1 })},` });

      await call('DELETE', `${base}/server-tokens/${second.serverTokenId}`, st);
      await call('DELETE', `${base}/users/alice`, st);
      await call('DELETE', base, account);
      await server.stop();
    } finally {
      output.restore();
      vi.unstubAllEnvs();
      logs = output.text();
    }
  });

  afterAll(async () => {
    await removeDataDir(server.dataDir);
  });

  it('logged one structured line per request, so the search below searched real logs', () => {
    // /v1/me refused by the authorizer never reaches a function: its line is the authorizer's.
    const lines = logs.split('\n').filter((line) => /"message":"(request|authorize)"/.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(requests);
    expect(logs).toContain('"message":"authorize"');
  });

  it('never logged a user, server or account token, nor a secret part of one', () => {
    expect(secrets.all.size).toBeGreaterThan(15);
    const leaked = [...secrets.all].filter((secret) => logs.includes(secret));
    expect(leaked).toEqual([]);
  });

  it('keeps only SHA-256 hashes of server tokens in the store file, and no user token at all', async () => {
    const stored = await readFile(join(server.dataDir, STORE_FILE), 'utf8');
    const leaked = [...secrets.all].filter((secret) => stored.includes(secret));
    expect(leaked).toEqual([]);
    expect((await stat(join(server.dataDir, STORE_FILE))).mode & 0o077).toBe(0);
    expect((await stat(join(server.dataDir, KEY_FILE))).mode & 0o077).toBe(0);
  });
});

describe('the account token made on first start', () => {
  it('is kept only as its SHA-256 hash, in a file only its owner reads', async () => {
    const server = await startTestServer({ env: { TESSERA_ACCOUNT_TOKEN: '' } });
    try {
      const token = server.local.newAccountToken ?? '';
      expect(token).toMatch(/^tsa_[A-Za-z0-9_-]{43}$/);
      const file = join(server.dataDir, ACCOUNT_FILE);
      const kept = await readFile(file, 'utf8');
      expect(kept).not.toContain(token);
      expect(JSON.parse(kept)).toEqual({ accountTokenHash: sha256(token) });
      expect((await stat(file)).mode & 0o077).toBe(0);
      const created = await server.call('POST', '/v1/ecosystems', { bearer: token });
      expect(created.status).toBe(201);
      const stored = await readFile(join(server.dataDir, STORE_FILE), 'utf8');
      expect(stored).not.toContain(created.body.serverToken.split('.')[3]);
      expect(stored).toContain(sha256(created.body.serverToken.split('.')[3]));
    } finally {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
  });
});
