// Revocation over real HTTP, by the token itself, by tokenId and for every token of a user: each takes
// effect on the very next verify and refresh, for all three expiry models.
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

const clock = frozenClock();
let alice: string;

const { server, seed } = useSeededServer({ clock });

beforeAll(async () => {
  alice = `/v1/ecosystems/${seed.ecosystemId}/users/alice`;
});

const MODELS = ['?expiryType=Infinite', '?expiryType=FixedTtl&ttl=600', '?expiryType=SlidingTtl&ttl=600'];

const calls = tokenCalls(server);
const { verify, refresh, expectRevoked } = calls;
const issue = (query = '', userPath = alice) => calls.issue(userPath, seed.serverToken, query);

describe('POST /v1/tokens/revoke (logout)', () => {
  it('revokes the token itself, for every expiry model, on the next verify and refresh', async () => {
    for (const model of MODELS) {
      const { token } = await issue(model);
      expect((await verify(token)).status).toBe(200);
      const result = await server.call('POST', '/v1/tokens/revoke', { body: { token } });
      expect({ model, status: result.status }).toEqual({ model, status: 204 });
      expect(result.text).toBe('');
      await expectRevoked(token);
    }
  });

  it('takes the token as Authorization: Bearer and leaves the other tokens of the user working', async () => {
    const { token } = await issue();
    const other = await issue();
    expect((await server.call('POST', '/v1/tokens/revoke', { bearer: token })).status).toBe(204);
    await expectRevoked(token);
    expect((await verify(other.token)).status).toBe(200);
  });

  it('answers 204 again for a token already revoked, expired or rotated', async () => {
    const revoked = await issue();
    await server.call('POST', '/v1/tokens/revoke', { body: { token: revoked.token } });
    const expired = await issue('?expiryType=FixedTtl&ttl=5');
    clock.advance(5);
    for (const token of [revoked.token, expired.token]) {
      expect((await server.call('POST', '/v1/tokens/revoke', { body: { token } })).status).toBe(204);
    }
  });

  it('revoking a token already rotated by refresh ends the session: the newest token is revoked too', async () => {
    const old = await issue();
    const successor = (await refresh(old.token)).body;
    expect((await server.call('POST', '/v1/tokens/revoke', { body: { token: old.token } })).status).toBe(204);
    await expectRevoked(successor.token);
  });

  it('needs an authentic token: a forged one is 401 and revokes nothing', async () => {
    const { token } = await issue();
    const [h, p, s = ''] = token.split('.');
    const forged = `${h}.${p}.${s.slice(0, 20)}${s[20] === 'A' ? 'B' : 'A'}${s.slice(21)}`;
    expectError(
      await server.call('POST', '/v1/tokens/revoke', { body: { token: forged } }),
      401,
      'TOKEN_SIGNATURE_INVALID',
    );
    expectError(
      await server.call('POST', '/v1/tokens/revoke', { body: { token: 'x.y' } }),
      401,
      'TOKEN_STRUCTURE_INVALID',
    );
    expect((await verify(token)).status).toBe(200);
  });

  it('answers 400 BODY_INVALID without a token', async () => {
    expectError(await server.call('POST', '/v1/tokens/revoke'), 400, 'BODY_INVALID');
    expectError(
      await server.call('POST', '/v1/tokens/revoke', { body: { token: null } }),
      400,
      'BODY_INVALID',
    );
  });
});

describe('DELETE /v1/ecosystems/{ecosystemId}/users/{userId}/tokens/{tokenId}', () => {
  it('revokes one token by id, with either credential, for every expiry model', async () => {
    for (const [model, bearer] of MODELS.flatMap((m) =>
      [TEST_ACCOUNT_TOKEN, seed.serverToken].map((b) => [m, b] as const),
    )) {
      const { token, tokenId } = await issue(model);
      const result = await server.call('DELETE', `${alice}/tokens/${tokenId}`, { bearer });
      expect({ model, status: result.status }).toEqual({ model, status: 204 });
      await expectRevoked(token);
    }
  });

  it('answers 204 again for a token already revoked', async () => {
    const { tokenId } = await issue();
    expect(
      (await server.call('DELETE', `${alice}/tokens/${tokenId}`, { bearer: seed.serverToken })).status,
    ).toBe(204);
    expect(
      (await server.call('DELETE', `${alice}/tokens/${tokenId}`, { bearer: seed.serverToken })).status,
    ).toBe(204);
  });

  it('answers 404 TOKEN_NOT_FOUND for an unknown id or a token of another user, and revokes nothing', async () => {
    await server.call('PUT', `/v1/ecosystems/${seed.ecosystemId}/users/bob`, { bearer: seed.serverToken });
    const bobs = await issue('', `/v1/ecosystems/${seed.ecosystemId}/users/bob`);
    expectError(
      await server.call('DELETE', `${alice}/tokens/0123456789abcdef0123456789abcdef`, {
        bearer: seed.serverToken,
      }),
      404,
      'TOKEN_NOT_FOUND',
    );
    expectError(
      await server.call('DELETE', `${alice}/tokens/${bobs.tokenId}`, { bearer: seed.serverToken }),
      404,
      'TOKEN_NOT_FOUND',
    );
    expect((await verify(bobs.token)).status).toBe(200);
  });

  it('answers USER_NOT_FOUND and ECOSYSTEM_NOT_FOUND when the user or ecosystem in the path is unknown', async () => {
    const { tokenId } = await issue();
    const eco = `/v1/ecosystems/${seed.ecosystemId}`;
    expectError(
      await server.call('DELETE', `${eco}/users/nobody/tokens/${tokenId}`, { bearer: seed.serverToken }),
      404,
      'USER_NOT_FOUND',
    );
    expectError(
      await server.call('DELETE', `/v1/ecosystems/no-such-eco/users/alice/tokens/${tokenId}`, {
        bearer: TEST_ACCOUNT_TOKEN,
      }),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });

  it('answers 401 without a credential and 403 to the server token of another ecosystem', async () => {
    const { token, tokenId } = await issue();
    const other = await seedThroughApi(server);
    expectError(await server.call('DELETE', `${alice}/tokens/${tokenId}`), 401, 'UNAUTHORIZED');
    expectError(
      await server.call('DELETE', `${alice}/tokens/${tokenId}`, { bearer: token }),
      401,
      'UNAUTHORIZED',
      [token],
    );
    expectError(
      await server.call('DELETE', `${alice}/tokens/${tokenId}`, { bearer: other.serverToken }),
      403,
      'FORBIDDEN',
    );
    expect((await verify(token)).status).toBe(200);
  });
});

describe('DELETE /v1/ecosystems/{ecosystemId}/users/{userId}/tokens', () => {
  it('revokes every token of the user issued so far, of every model; tokens issued afterwards work', async () => {
    for (const bearer of [TEST_ACCOUNT_TOKEN, seed.serverToken]) {
      const before = await Promise.all(MODELS.map((model) => issue(model)));
      const result = await server.call('DELETE', `${alice}/tokens`, { bearer });
      expect(result.status).toBe(204);
      for (const { token } of before) await expectRevoked(token);
      const after = await issue('?expiryType=SlidingTtl&ttl=600');
      expect((await verify(after.token)).status).toBe(200);
      expect((await refresh(after.token)).status).toBe(200);
    }
  });

  it('leaves the tokens of other users working', async () => {
    await server.call('PUT', `/v1/ecosystems/${seed.ecosystemId}/users/carol`, { bearer: seed.serverToken });
    const carols = await issue('', `/v1/ecosystems/${seed.ecosystemId}/users/carol`);
    await server.call('DELETE', `${alice}/tokens`, { bearer: seed.serverToken });
    expect((await verify(carols.token)).status).toBe(200);
  });

  it('answers USER_NOT_FOUND, ECOSYSTEM_NOT_FOUND, USER_INVALID, 401 and 403 as the user routes do', async () => {
    const eco = `/v1/ecosystems/${seed.ecosystemId}`;
    const other = await seedThroughApi(server);
    expectError(
      await server.call('DELETE', `${eco}/users/nobody/tokens`, { bearer: seed.serverToken }),
      404,
      'USER_NOT_FOUND',
    );
    expectError(
      await server.call('DELETE', '/v1/ecosystems/no-such-eco/users/alice/tokens', {
        bearer: TEST_ACCOUNT_TOKEN,
      }),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
    expectError(
      await server.call('DELETE', `${eco}/users/-x/tokens`, { bearer: seed.serverToken }),
      400,
      'USER_INVALID',
    );
    expectError(await server.call('DELETE', `${alice}/tokens`), 401, 'UNAUTHORIZED');
    expectError(
      await server.call('DELETE', `${alice}/tokens`, { bearer: other.serverToken }),
      403,
      'FORBIDDEN',
    );
  });
});
