// POST /v1/tokens/revoke-others over real HTTP: the holder signs out every other token of its user; the
// presented token and its refreshes keep working, also with refreshes of the others in flight at once.
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

const clock = frozenClock();
const { server, seed } = useSeededServer({ clock });
const calls = tokenCalls(server);
let alice: string;

beforeAll(() => {
  alice = `/v1/ecosystems/${seed.ecosystemId}/users/alice`;
});

const issue = (query = '?expiryType=SlidingTtl&ttl=600') => calls.issue(alice, seed.serverToken, query);
const revokeOthers = (token: unknown, asBearer = false) =>
  server.call(
    'POST',
    '/v1/tokens/revoke-others',
    asBearer ? { bearer: token as string } : { body: { token } },
  );

describe('POST /v1/tokens/revoke-others', () => {
  it("answers 200 {revoked: n}; the user's other tokens answer TOKEN_REVOKED, the presented one works", async () => {
    const presented = await issue();
    const others = [await issue('?expiryType=Infinite'), await issue('?expiryType=FixedTtl&ttl=600')];
    const result = await revokeOthers(presented.token);
    expect({ status: result.status, body: result.body }).toEqual({ status: 200, body: { revoked: 2 } });
    for (const other of others) await calls.expectRevoked(other.token);
    expect((await calls.verify(presented.token)).status).toBe(200);

    clock.advance(1);
    const successor = await calls.refresh(presented.token);
    expect(successor.status).toBe(200);
    expect((await calls.verify(successor.body.token)).status).toBe(200);
    const listed = await server.call('GET', `${alice}/tokens`, { bearer: seed.serverToken });
    expect(listed.body.tokens.map((t: { tokenId: string }) => t.tokenId)).toEqual([successor.body.tokenId]);
  });

  it('takes the token as a bearer too, and answers 0 when it is the only one', async () => {
    await server.call('DELETE', `${alice}/tokens`, { bearer: seed.serverToken });
    const only = await issue();
    const result = await revokeOthers(only.token, true);
    expect({ status: result.status, body: result.body }).toEqual({ status: 200, body: { revoked: 0 } });
  });

  it('leaves the others revoked whatever refreshes of them were in flight at the same moment', async () => {
    const presented = await issue();
    const others = await Promise.all(Array.from({ length: 6 }, () => issue()));
    clock.advance(1);
    const [signedOut, ...refreshed] = await Promise.all([
      revokeOthers(presented.token),
      ...others.map((other) => calls.refresh(other.token)),
    ]);
    expect(signedOut?.status).toBe(200);
    const ownRefresh = await calls.refresh(presented.token);
    expect(ownRefresh.status).toBe(200);
    // Each other refresh either lost (401) or won with a successor that is dead all the same.
    for (const answer of refreshed) {
      if (answer.status === 200) await calls.expectRevoked(answer.body.token);
      else expect(answer.status).toBe(401);
    }
    for (const other of others) expect((await calls.verify(other.token)).status).toBe(401);
    expect((await calls.verify(ownRefresh.body.token)).status).toBe(200);
  });

  it('answers 400 BODY_INVALID without a token, and verify’s 401 for one that does not verify', async () => {
    expectError(await server.call('POST', '/v1/tokens/revoke-others', { body: {} }), 400, 'BODY_INVALID');
    expectError(await revokeOthers(null), 400, 'BODY_INVALID');
    expectError(await revokeOthers('not-a-token'), 401, 'TOKEN_STRUCTURE_INVALID');
    const gone = await issue();
    await server.call('POST', '/v1/tokens/revoke', { body: { token: gone.token } });
    expectError(await revokeOthers(gone.token), 401, 'TOKEN_REVOKED', [gone.token]);
    const rotated = await issue();
    await calls.refresh(rotated.token);
    expectError(await revokeOthers(rotated.token), 401, 'TOKEN_REVOKED', [rotated.token]);
  });
});
