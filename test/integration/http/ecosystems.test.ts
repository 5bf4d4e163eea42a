// Ecosystems and their server tokens over real HTTP: who may create, read and delete them, every way a
// credential is refused, and server-token rotation without downtime.
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';

const server = useTestServer();

const account = { bearer: TEST_ACCOUNT_TOKEN };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('POST /v1/ecosystems', () => {
  it('creates an ecosystem with its first server token, for the account token', async () => {
    const result = await server.call('POST', '/v1/ecosystems', { ...account, body: { name: 'chat' } });
    expect(result.status).toBe(201);
    expect(Object.keys(result.body).sort()).toEqual([
      'createdAt',
      'ecosystemId',
      'name',
      'serverToken',
      'serverTokenId',
    ]);
    expect(result.body.name).toBe('chat');
    expect(result.body.createdAt).toMatch(ISO);
    expect(result.body.serverToken).toBe(
      `tss.${result.body.ecosystemId}.${result.body.serverTokenId}.${result.body.serverToken.split('.')[3]}`,
    );
    const read = await server.call('GET', `/v1/ecosystems/${result.body.ecosystemId}`, {
      bearer: result.body.serverToken,
    });
    expect(read.status).toBe(200);
  });

  it('takes no body at all and then names the ecosystem null', async () => {
    const result = await server.call('POST', '/v1/ecosystems', account);
    expect(result.status).toBe(201);
    expect(result.body.name).toBeNull();
  });

  it('refuses a name that is not a string of 1 to 200 characters with BODY_INVALID', async () => {
    for (const name of ['', 'x'.repeat(201), 42]) {
      expectError(
        await server.call('POST', '/v1/ecosystems', { ...account, body: { name } }),
        400,
        'BODY_INVALID',
      );
    }
  });

  it('refuses a server token with 403 FORBIDDEN: only the account creates ecosystems', async () => {
    const { serverToken } = await seedThroughApi(server);
    const result = await server.call('POST', '/v1/ecosystems', { bearer: serverToken, body: { name: 'x' } });
    expectError(result, 403, 'FORBIDDEN', [serverToken]);
  });
});

describe('credentials', () => {
  it('answers 401 UNAUTHORIZED when the credential is missing, unknown, malformed or has a wrong secret', async () => {
    const { ecosystemId, serverToken, serverTokenId } = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}`;
    const wrongSecret = `tss.${ecosystemId}.${serverTokenId}.${'A'.repeat(43)}`;
    const cases: Record<string, Record<string, string>> = {
      missing: {},
      'unknown account token': { authorization: 'Bearer tsa_not-the-account-token' },
      'unknown bare string': { authorization: 'Bearer hunter2' },
      'server token with a wrong secret': { authorization: `Bearer ${wrongSecret}` },
      'server token of an unknown id': { authorization: `Bearer tss.${ecosystemId}.0000000000000000.secret` },
      'server token with too few parts': { authorization: `Bearer tss.${ecosystemId}.${serverTokenId}` },
      'another scheme': { authorization: `Basic ${Buffer.from(`x:${serverToken}`).toString('base64')}` },
      'empty bearer': { authorization: 'Bearer ' },
      'two credentials': { authorization: `Bearer ${serverToken} ${TEST_ACCOUNT_TOKEN}` },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const result = await server.call('GET', path, { headers });
      expect({ name, status: result.status }).toEqual({ name, status: 401 });
      expectError(result, 401, 'UNAUTHORIZED', [serverToken, TEST_ACCOUNT_TOKEN, wrongSecret]);
    }
  });

  it('accepts the account token on any ecosystem and a server token on its own', async () => {
    const { ecosystemId, serverToken } = await seedThroughApi(server);
    expect((await server.call('GET', `/v1/ecosystems/${ecosystemId}`, account)).status).toBe(200);
    expect((await server.call('GET', `/v1/ecosystems/${ecosystemId}`, { bearer: serverToken })).status).toBe(
      200,
    );
  });

  it('answers 403 FORBIDDEN to a server token used on another ecosystem, on every ecosystem route', async () => {
    const mine = await seedThroughApi(server);
    const other = await seedThroughApi(server);
    const eco = `/v1/ecosystems/${other.ecosystemId}`;
    const requests: [string, string][] = [
      ['GET', eco],
      ['POST', `${eco}/server-tokens`],
      ['GET', `${eco}/server-tokens`],
      ['DELETE', `${eco}/server-tokens/${other.serverTokenId}`],
      ['POST', `${eco}/users`],
      ['PUT', `${eco}/users/alice`],
      ['GET', `${eco}/users/alice`],
      ['DELETE', `${eco}/users/alice`],
      ['POST', `${eco}/users/alice/tokens`],
      ['POST', `/api/users/${other.ecosystemId};alice/tokens`],
      ['DELETE', `${eco}/users/alice/tokens`],
      ['DELETE', `${eco}/users/alice/tokens/0123456789abcdef0123456789abcdef`],
    ];
    for (const [method, path] of requests) {
      const result = await server.call(method, path, { bearer: mine.serverToken });
      expect({ method, path, status: result.status }).toEqual({ method, path, status: 403 });
      expectError(result, 403, 'FORBIDDEN', [mine.serverToken]);
    }
    // Nothing was touched: the other ecosystem's user and server token are still there.
    expect((await server.call('GET', `${eco}/users/alice`, { bearer: other.serverToken })).status).toBe(200);
  });
});

describe('GET /v1/ecosystems/{ecosystemId}', () => {
  it('answers the ecosystem without any server token', async () => {
    const created = await server.call('POST', '/v1/ecosystems', { ...account, body: { name: 'iot' } });
    const result = await server.call('GET', `/v1/ecosystems/${created.body.ecosystemId}`, account);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      ecosystemId: created.body.ecosystemId,
      name: 'iot',
      createdAt: created.body.createdAt,
    });
  });

  it('answers 404 ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    expectError(await server.call('GET', '/v1/ecosystems/no-such-eco', account), 404, 'ECOSYSTEM_NOT_FOUND');
  });

  it('answers 400 ECOSYSTEM_INVALID for a malformed ecosystem id', async () => {
    for (const id of ['-leading-dash', 'has%20space', 'semi%3Bcolon', 'x'.repeat(129)]) {
      const result = await server.call('GET', `/v1/ecosystems/${id}`, account);
      expect({ id, status: result.status }).toEqual({ id, status: 400 });
      expectError(result, 400, 'ECOSYSTEM_INVALID');
    }
  });
});

describe('DELETE /v1/ecosystems/{ecosystemId}', () => {
  it('deletes the ecosystem for the account token, and its server tokens stop working', async () => {
    const { ecosystemId, serverToken } = await seedThroughApi(server);
    const result = await server.call('DELETE', `/v1/ecosystems/${ecosystemId}`, account);
    expect(result.status).toBe(204);
    expect(result.text).toBe('');
    expectError(
      await server.call('GET', `/v1/ecosystems/${ecosystemId}`, account),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
    expectError(
      await server.call('GET', `/v1/ecosystems/${ecosystemId}/users/alice`, { bearer: serverToken }),
      401,
      'UNAUTHORIZED',
      [serverToken],
    );
  });

  it('refuses its own server token with 403 FORBIDDEN: only the account deletes ecosystems', async () => {
    const { ecosystemId, serverToken } = await seedThroughApi(server);
    const result = await server.call('DELETE', `/v1/ecosystems/${ecosystemId}`, { bearer: serverToken });
    expectError(result, 403, 'FORBIDDEN', [serverToken]);
    expect((await server.call('GET', `/v1/ecosystems/${ecosystemId}`, account)).status).toBe(200);
  });

  it('answers 404 ECOSYSTEM_NOT_FOUND for an unknown ecosystem', async () => {
    expectError(
      await server.call('DELETE', '/v1/ecosystems/no-such-eco', account),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });
});

describe('server-token rotation', () => {
  it('creates a new server token while the old one keeps working, with either credential', async () => {
    const { ecosystemId, serverToken } = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}/server-tokens`;
    const byServer = await server.call('POST', path, { bearer: serverToken });
    expect(byServer.status).toBe(201);
    expect(Object.keys(byServer.body).sort()).toEqual(['createdAt', 'serverToken', 'serverTokenId']);
    const byAccount = await server.call('POST', path, account);
    expect(byAccount.status).toBe(201);
    for (const bearer of [serverToken, byServer.body.serverToken, byAccount.body.serverToken]) {
      expect((await server.call('GET', `/v1/ecosystems/${ecosystemId}/users/alice`, { bearer })).status).toBe(
        200,
      );
    }
  });

  it('lists server token ids and creation times, oldest first, never the secrets', async () => {
    const { ecosystemId, serverToken, serverTokenId } = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}/server-tokens`;
    const second = await server.call('POST', path, { bearer: serverToken });
    const list = await server.call('GET', path, { bearer: second.body.serverToken });
    expect(list.status).toBe(200);
    expect(list.body.serverTokens.map((t: { serverTokenId: string }) => t.serverTokenId)).toEqual([
      serverTokenId,
      second.body.serverTokenId,
    ]);
    for (const entry of list.body.serverTokens)
      expect(Object.keys(entry).sort()).toEqual(['createdAt', 'serverTokenId']);
    expect(list.text).not.toContain(serverToken.split('.')[3]);
    expect(list.text).not.toContain(second.body.serverToken.split('.')[3]);
    expect((await server.call('GET', path, account)).status).toBe(200);
  });

  it('deletes one server token: it then answers 401 while the others keep working', async () => {
    const { ecosystemId, serverToken, serverTokenId } = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}/server-tokens`;
    const fresh = await server.call('POST', path, { bearer: serverToken });
    const deleted = await server.call('DELETE', `${path}/${serverTokenId}`, {
      bearer: fresh.body.serverToken,
    });
    expect(deleted.status).toBe(204);
    expectError(await server.call('GET', path, { bearer: serverToken }), 401, 'UNAUTHORIZED', [serverToken]);
    const list = await server.call('GET', path, { bearer: fresh.body.serverToken });
    expect(list.body.serverTokens.map((t: { serverTokenId: string }) => t.serverTokenId)).toEqual([
      fresh.body.serverTokenId,
    ]);
  });

  it('lets the account token delete a server token of any ecosystem', async () => {
    const { ecosystemId, serverToken, serverTokenId } = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}/server-tokens/${serverTokenId}`;
    expect((await server.call('DELETE', path, account)).status).toBe(204);
    expectError(
      await server.call('GET', `/v1/ecosystems/${ecosystemId}`, { bearer: serverToken }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('lets a server token delete itself, after which it is refused', async () => {
    const { ecosystemId, serverToken, serverTokenId } = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}/server-tokens/${serverTokenId}`;
    expect((await server.call('DELETE', path, { bearer: serverToken })).status).toBe(204);
    expectError(await server.call('DELETE', path, { bearer: serverToken }), 401, 'UNAUTHORIZED');
  });

  it('answers 404 SERVER_TOKEN_NOT_FOUND for a server token id the ecosystem does not have', async () => {
    const { ecosystemId } = await seedThroughApi(server);
    const other = await seedThroughApi(server);
    const path = `/v1/ecosystems/${ecosystemId}/server-tokens`;
    expectError(
      await server.call('DELETE', `${path}/0000000000000000`, account),
      404,
      'SERVER_TOKEN_NOT_FOUND',
    );
    // Another ecosystem's server token id is not this ecosystem's either.
    expectError(
      await server.call('DELETE', `${path}/${other.serverTokenId}`, account),
      404,
      'SERVER_TOKEN_NOT_FOUND',
    );
    expect(
      (await server.call('GET', `/v1/ecosystems/${other.ecosystemId}`, { bearer: other.serverToken })).status,
    ).toBe(200);
  });

  it('answers 404 ECOSYSTEM_NOT_FOUND on the server-token routes of an unknown ecosystem', async () => {
    const path = '/v1/ecosystems/no-such-eco/server-tokens';
    expectError(await server.call('POST', path, account), 404, 'ECOSYSTEM_NOT_FOUND');
    expectError(await server.call('GET', path, account), 404, 'ECOSYSTEM_NOT_FOUND');
    expectError(await server.call('DELETE', `${path}/0000000000000000`, account), 404, 'ECOSYSTEM_NOT_FOUND');
  });
});
