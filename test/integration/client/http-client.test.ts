// The typed HTTP client against the real local server on a loopback port: every route of API.md, the
// error codes it throws, the local pre-check that spares a call, and answers that are not Tessera's.
// It imports the client as a user of the package would, through the package export `tessera/client`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TesseraClient } from 'tessera/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { refusal } from './refusal.ts';

/** A fetch that counts the requests it passes on. */
function countingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: (input, init) => {
      calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
  };
}

/** A plain HTTP server on a loopback port answering every request the same way. */
async function fixedAnswer(status: number, headers: Record<string, string>, body: string): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('TesseraClient', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  let account: TesseraClient;

  const server = useTestServer({ clock });

  beforeAll(async () => {
    account = new TesseraClient({ baseUrl: `${server.url}/`, credential: TEST_ACCOUNT_TOKEN });
  });

  it('runs an ecosystem, its users and a token lifecycle end to end with a server token', async () => {
    const eco = await account.createEcosystem({ name: 'chat' });
    expect(eco).toMatchObject({ name: 'chat', ecosystemId: expect.any(String) });
    expect(eco.serverToken).toMatch(/^tss\./);
    expect(await account.getEcosystem(eco.ecosystemId)).toEqual({
      ecosystemId: eco.ecosystemId,
      name: 'chat',
      createdAt: eco.createdAt,
    });

    const tessera = new TesseraClient({ baseUrl: server.url, credential: eco.serverToken });
    const created = await tessera.putUser(eco.ecosystemId, 'alice@example.com', {
      metadata: { plan: 'pro' },
    });
    expect(created).toMatchObject({ userId: 'alice@example.com', metadata: { plan: 'pro' }, created: true });
    const replaced = await tessera.putUser(eco.ecosystemId, 'alice@example.com', {
      metadata: { plan: 'max' },
    });
    expect(replaced.created).toBe(false);
    expect((await tessera.getUser(eco.ecosystemId, 'alice@example.com')).metadata).toEqual({ plan: 'max' });
    const generated = await tessera.createUser(eco.ecosystemId, { metadata: { kind: 'bot' } });
    expect(generated.userId).toMatch(/^[0-9a-f]+$/);

    const issued = await tessera.issueToken(eco.ecosystemId, 'alice@example.com', {
      expiryType: 'SlidingTtl',
      ttl: 900,
      maxTtl: 3600,
      claims: { room: 'general' },
    });
    expect(issued).toMatchObject({ expiryType: 'SlidingTtl', ttl: 900, tokenId: expect.any(String) });
    expect(issued.absoluteExpiresAt).not.toBeNull();

    const verified = await tessera.verifyToken(issued.token);
    expect(verified).toMatchObject({
      valid: true,
      userId: 'alice@example.com',
      ecosystemId: eco.ecosystemId,
      claims: { room: 'general' },
      metadata: { plan: 'max' },
    });

    const successor = await tessera.refreshToken(issued.token);
    expect(successor.tokenId).not.toBe(issued.tokenId);
    const rotated = await refusal(() => tessera.verifyToken(issued.token));
    expect([rotated.code, rotated.status]).toEqual(['TOKEN_REVOKED', 401]);

    await tessera.revokeToken(successor.token);
    expect((await refusal(() => tessera.verifyToken(successor.token))).code).toBe('TOKEN_REVOKED');

    const byId = await tessera.issueToken(eco.ecosystemId, 'alice@example.com');
    await tessera.revokeTokenById(eco.ecosystemId, 'alice@example.com', byId.tokenId);
    expect((await refusal(() => tessera.verifyToken(byId.token))).code).toBe('TOKEN_REVOKED');

    const all = await tessera.issueToken(eco.ecosystemId, 'alice@example.com', { expiryType: 'Infinite' });
    expect(all.expiresAt).toBeNull();
    await tessera.revokeUserTokens(eco.ecosystemId, 'alice@example.com');
    expect((await refusal(() => tessera.verifyToken(all.token))).code).toBe('TOKEN_REVOKED');

    await tessera.deleteUser(eco.ecosystemId, 'alice@example.com');
    const gone = await refusal(() => tessera.getUser(eco.ecosystemId, 'alice@example.com'));
    expect([gone.code, gone.status]).toEqual(['USER_NOT_FOUND', 404]);

    await account.deleteEcosystem(eco.ecosystemId);
    expect((await refusal(() => account.getEcosystem(eco.ecosystemId))).code).toBe('ECOSYSTEM_NOT_FOUND');
  });

  it('rotates server tokens: a new one works, a deleted one is UNAUTHORIZED', async () => {
    const eco = await account.createEcosystem();
    clock.advance(1);
    const extra = await account.createServerToken(eco.ecosystemId);
    const listed = await account.listServerTokens(eco.ecosystemId);
    expect(listed.map((t) => t.serverTokenId)).toEqual([eco.serverTokenId, extra.serverTokenId]);

    await account.deleteServerToken(eco.ecosystemId, eco.serverTokenId);
    const old = new TesseraClient({ baseUrl: server.url, credential: eco.serverToken });
    const refused = await refusal(() => old.getEcosystem(eco.ecosystemId));
    expect([refused.code, refused.status]).toEqual(['UNAUTHORIZED', 401]);
    const current = new TesseraClient({ baseUrl: server.url, credential: extra.serverToken });
    expect((await current.getEcosystem(eco.ecosystemId)).ecosystemId).toBe(eco.ecosystemId);
  });

  it('throws the API.md code and status of each refusal', async () => {
    const eco = await account.createEcosystem();
    const other = await account.createEcosystem();
    const tessera = new TesseraClient({ baseUrl: server.url, credential: eco.serverToken });
    await tessera.putUser(eco.ecosystemId, 'bob');

    const forbidden = await refusal(() => tessera.getUser(other.ecosystemId, 'bob'));
    expect([forbidden.code, forbidden.status]).toEqual(['FORBIDDEN', 403]);
    const duration = await refusal(() => tessera.issueToken(eco.ecosystemId, 'bob', { ttl: 0 }));
    expect([duration.code, duration.status]).toEqual(['TOKEN_DURATION_INVALID', 400]);
    const claims = await refusal(() => tessera.issueToken(eco.ecosystemId, 'bob', { claims: { sub: 'x' } }));
    expect(claims.code).toBe('CLAIMS_INVALID');
    const badId = await refusal(() => tessera.putUser(eco.ecosystemId, '-bob'));
    expect(badId.code).toBe('USER_INVALID');
    const anonymous = new TesseraClient({ baseUrl: server.url });
    const unauthorized = await refusal(() => anonymous.createEcosystem());
    expect([unauthorized.code, unauthorized.status]).toEqual(['UNAUTHORIZED', 401]);
    expect(unauthorized.message).not.toContain(TEST_ACCOUNT_TOKEN);
  });

  it('refuses a malformed token and an expired FixedTtl token locally, without a call', async () => {
    const eco = await account.createEcosystem();
    const issuer = new TesseraClient({ baseUrl: server.url, credential: eco.serverToken });
    await issuer.putUser(eco.ecosystemId, 'carol');
    const { token } = await issuer.issueToken(eco.ecosystemId, 'carol', { expiryType: 'FixedTtl', ttl: 60 });

    const counted = countingFetch();
    const later = () => clock.now() + 61_000;
    const device = new TesseraClient({ baseUrl: server.url, fetch: counted.fetch, precheck: { now: later } });
    const malformed = await refusal(() => device.verifyToken('not.a-token'));
    expect([malformed.code, malformed.status]).toEqual(['TOKEN_STRUCTURE_INVALID', 401]);
    const expired = await refusal(() => device.refreshToken(token));
    expect([expired.code, expired.status]).toEqual(['TOKEN_EXPIRED', 401]);
    expect(counted.calls).toEqual([]);

    const unchecked = new TesseraClient({ baseUrl: server.url, fetch: counted.fetch, precheck: false });
    expect((await refusal(() => unchecked.verifyToken('not.a-token'))).code).toBe('TOKEN_STRUCTURE_INVALID');
    expect(counted.calls).toEqual(['POST /v1/tokens/verify']);
  });

  it('reads the JWKS', async () => {
    const { keys } = await account.getJwks();
    expect(keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
      kid: expect.any(String),
    });
  });
});

describe('TesseraClient facing a service that is not answering normally', () => {
  it('throws NETWORK_ERROR, with no status, when nothing listens', async () => {
    const server = await fixedAnswer(200, {}, '{}');
    const url = urlOf(server);
    await close(server);
    const err = await refusal(() => new TesseraClient({ baseUrl: url }).getJwks());
    expect([err.code, err.status, err.retryable]).toEqual(['NETWORK_ERROR', undefined, true]);
  });

  it('throws NETWORK_ERROR when the answer does not come within the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const err = await refusal(() => new TesseraClient({ baseUrl: urlOf(silent), timeoutMs: 50 }).getJwks());
    expect(err.code).toBe('NETWORK_ERROR');
    expect(err.message).toContain('did not answer within 50 ms');
    silent.closeAllConnections();
    await close(silent);
  });

  it('carries Retry-After of a 503 SERVICE_UNAVAILABLE as retryAfterSeconds', async () => {
    const body = JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'KMS is unavailable.' } });
    const server = await fixedAnswer(503, { 'retry-after': '7', 'content-type': 'application/json' }, body);
    const err = await refusal(() => new TesseraClient({ baseUrl: urlOf(server) }).getJwks());
    expect([err.code, err.status, err.retryAfterSeconds, err.message]).toEqual([
      'SERVICE_UNAVAILABLE',
      503,
      7,
      'KMS is unavailable.',
    ]);
    await close(server);
  });

  it('names a gateway page by its status, and a 200 that is not JSON RESPONSE_INVALID', async () => {
    const gateway = await fixedAnswer(502, { 'content-type': 'text/html' }, '<h1>Bad Gateway</h1>');
    const err = await refusal(() => new TesseraClient({ baseUrl: urlOf(gateway) }).getJwks());
    expect([err.code, err.status]).toEqual(['SERVICE_UNAVAILABLE', 502]);
    await close(gateway);

    const page = await fixedAnswer(200, { 'content-type': 'text/html' }, '<html></html>');
    const odd = await refusal(() => new TesseraClient({ baseUrl: urlOf(page) }).getJwks());
    expect([odd.code, odd.status]).toEqual(['RESPONSE_INVALID', 200]);
    await close(page);
  });
});
