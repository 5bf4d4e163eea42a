// An ecosystem's revocations by issue time over real HTTP: create (201), list (200, newest first), undo
// (204), each with its codes; the effect on verify, refresh and the authorizer's /v1/me, at once on the
// local server (one process: the container that made the change), and its boundary second.
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

const clock = frozenClock();
const { server, seed } = useSeededServer({ clock });
const calls = tokenCalls(server);
let base: string;
let alice: string;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const asServer = (body?: unknown) => ({ bearer: seed.serverToken, body });

beforeAll(() => {
  base = `/v1/ecosystems/${seed.ecosystemId}`;
  alice = `${base}/users/alice`;
});

const issue = () => calls.issue(alice, seed.serverToken, '?expiryType=Infinite');
const revoke = (issuedBefore: unknown) =>
  server.call('POST', `${base}/revocations`, asServer({ issuedBefore }));

describe('POST /v1/ecosystems/{ecosystemId}/revocations', () => {
  it('answers 201 with the revocation, and revokes every token issued before, at once', async () => {
    const old = await issue();
    clock.advance(1);
    const atTheSecond = await issue(); // issued exactly at issuedBefore: "before" is strict
    const now = clock.seconds();
    const result = await revoke(iso(now));
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      revocationId: expect.stringMatching(/^[0-9a-f]{24}$/),
      issuedBefore: iso(now),
      createdAt: iso(now),
    });

    expectError(await calls.verify(old.token), 401, 'TOKEN_REVOKED', [old.token]);
    expectError(await calls.refresh(old.token), 401, 'TOKEN_REVOKED', [old.token]);
    const me = await server.call('GET', '/v1/me', { bearer: old.token });
    expect({ status: me.status, body: me.body }).toEqual({ status: 403, body: { message: 'Forbidden' } });
    expect((await calls.verify(atTheSecond.token)).status).toBe(200);
    expect((await server.call('GET', '/v1/me', { bearer: atTheSecond.token })).status).toBe(200);
    await server.call('DELETE', `${base}/revocations/${result.body.revocationId}`, asServer());
  });

  it('answers the instant applied: a fraction of a second rounded up', async () => {
    const result = await revoke('2027-01-01T00:00:00.250Z');
    expect(result.body.issuedBefore).toBe('2027-01-01T00:00:01.000Z');
    await server.call('DELETE', `${base}/revocations/${result.body.revocationId}`, asServer());
  });

  it.each([
    ['no issuedBefore', {}],
    ['an issuedBefore that is not a string', { issuedBefore: 1_800_000_000 }],
    ['a date without a time', { issuedBefore: '2027-01-01' }],
    ['an instant beyond now plus the clock skew', { issuedBefore: '2999-01-01T00:00:00Z' }],
    ['another member', { issuedBefore: '2027-01-01T00:00:00Z', reason: 'incident' }],
  ])('refuses %s with 400 BODY_INVALID', async (_, body) => {
    expectError(await server.call('POST', `${base}/revocations`, asServer(body)), 400, 'BODY_INVALID');
  });

  it('refuses an instant 31 s ahead (the skew is 30 s) and takes one 30 s ahead', async () => {
    expectError(await revoke(iso(clock.seconds() + 31)), 400, 'BODY_INVALID');
    const ahead = await revoke(iso(clock.seconds() + 30));
    expect(ahead.status).toBe(201);
    await server.call('DELETE', `${base}/revocations/${ahead.body.revocationId}`, asServer());
  });

  it('answers 404 ECOSYSTEM_NOT_FOUND, 403 for another ecosystem, 401 without a credential', async () => {
    const body = { issuedBefore: iso(clock.seconds()) };
    const missing = await server.call('POST', '/v1/ecosystems/no-such-one/revocations', {
      bearer: TEST_ACCOUNT_TOKEN,
      body,
    });
    expectError(missing, 404, 'ECOSYSTEM_NOT_FOUND');
    const other = await seedThroughApi(server);
    expectError(
      await server.call('POST', `${base}/revocations`, { bearer: other.serverToken, body }),
      403,
      'FORBIDDEN',
    );
    expectError(await server.call('POST', `${base}/revocations`, { body }), 401, 'UNAUTHORIZED');
  });
});

describe('GET and DELETE /v1/ecosystems/{ecosystemId}/revocations', () => {
  it('lists them newest first, and an undo brings the tokens they revoked back', async () => {
    const token = await issue();
    clock.advance(1);
    const first = (await revoke(iso(clock.seconds() - 100))).body;
    clock.advance(1);
    const second = (await revoke(iso(clock.seconds()))).body;
    const listed = await server.call('GET', `${base}/revocations`, asServer());
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ revocations: [second, first] });
    expect((await calls.verify(token.token)).status).toBe(401);

    const undone = await server.call('DELETE', `${base}/revocations/${second.revocationId}`, asServer());
    expect({ status: undone.status, text: undone.text }).toEqual({ status: 204, text: '' });
    expect((await calls.verify(token.token)).status).toBe(200);
    await server.call('DELETE', `${base}/revocations/${first.revocationId}`, asServer());
    expect((await server.call('GET', `${base}/revocations`, asServer())).body).toEqual({ revocations: [] });
  });

  it('leaves a token revoked by id revoked when the revocation is undone', async () => {
    const token = await issue();
    await server.call('DELETE', `${alice}/tokens/${token.tokenId}`, asServer());
    clock.advance(1);
    const made = (await revoke(iso(clock.seconds()))).body;
    await server.call('DELETE', `${base}/revocations/${made.revocationId}`, asServer());
    await calls.expectRevoked(token.token);
  });

  it('answers 404 REVOCATION_NOT_FOUND for an id the ecosystem does not hold, undone ones included', async () => {
    const made = (await revoke(iso(clock.seconds() - 1000))).body;
    await server.call('DELETE', `${base}/revocations/${made.revocationId}`, asServer());
    for (const id of [made.revocationId, 'none', 'a%20b']) {
      expectError(
        await server.call('DELETE', `${base}/revocations/${id}`, asServer()),
        404,
        'REVOCATION_NOT_FOUND',
      );
    }
    const other = await seedThroughApi(server);
    const theirs = (
      await server.call('POST', `/v1/ecosystems/${other.ecosystemId}/revocations`, {
        bearer: other.serverToken,
        body: { issuedBefore: iso(clock.seconds() - 1000) },
      })
    ).body;
    expectError(
      await server.call('DELETE', `${base}/revocations/${theirs.revocationId}`, asServer()),
      404,
      'REVOCATION_NOT_FOUND',
    );
  });

  it('answers 404 ECOSYSTEM_NOT_FOUND for an ecosystem that does not exist', async () => {
    const account = { bearer: TEST_ACCOUNT_TOKEN };
    expectError(
      await server.call('GET', '/v1/ecosystems/no-such-one/revocations', account),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
    expectError(
      await server.call('DELETE', '/v1/ecosystems/no-such-one/revocations/abc', account),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });
});
