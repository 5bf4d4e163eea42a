// Restarting the local server on the same data folder loses nothing: ecosystems, users, server tokens and
// their rotations, token state (sliding last use, refresh rotation) and every kind of revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { removeDataDir, seedThroughApi, startTestServer, type TestServer } from '../../helpers/server.ts';
import { expectError } from './expect-error.ts';

const clock = frozenClock();
const start = clock.seconds();
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** What the first server made, to be found again by the second. */
interface Before {
  ecosystemId: string;
  ecosystem: unknown;
  kid: string;
  serverTokens: { kept: string; rotated: string; deleted: string; keptId: string; rotatedId: string };
  sliding: string;
  revokedById: string;
  loggedOut: string;
  revokedWithUser: string;
  ofDeletedUser: string;
  rotatedAway: string;
  successor: string;
}

let first: TestServer;
let second: TestServer;
let before: Before;

async function issue(server: TestServer, eco: string, bearer: string, user: string, query = '') {
  const result = await server.call('POST', `/v1/ecosystems/${eco}/users/${user}/tokens${query}`, { bearer });
  if (result.status !== 200) throw new Error(`issue failed: ${result.text}`);
  return result.body as { token: string; tokenId: string };
}

beforeAll(async () => {
  first = await startTestServer({ clock });
  const seed = await seedThroughApi(first);
  const eco = `/v1/ecosystems/${seed.ecosystemId}`;
  const bearer = seed.serverToken;
  for (const user of ['bob', 'carol']) await first.call('PUT', `${eco}/users/${user}`, { bearer });

  const rotated = (await first.call('POST', `${eco}/server-tokens`, { bearer })).body;
  const deleted = (await first.call('POST', `${eco}/server-tokens`, { bearer })).body;
  await first.call('DELETE', `${eco}/server-tokens/${deleted.serverTokenId}`, { bearer });

  const sliding = await issue(first, seed.ecosystemId, bearer, 'alice', '?expiryType=SlidingTtl&ttl=100');
  const revokedById = await issue(first, seed.ecosystemId, bearer, 'alice', '?expiryType=FixedTtl&ttl=3600');
  await first.call('DELETE', `${eco}/users/alice/tokens/${revokedById.tokenId}`, { bearer });
  const loggedOut = await issue(first, seed.ecosystemId, bearer, 'alice', '?expiryType=Infinite');
  await first.call('POST', '/v1/tokens/revoke', { body: { token: loggedOut.token } });
  const revokedWithUser = await issue(first, seed.ecosystemId, bearer, 'carol', '?expiryType=Infinite');
  await first.call('DELETE', `${eco}/users/carol/tokens`, { bearer });
  const ofDeletedUser = await issue(first, seed.ecosystemId, bearer, 'bob', '?expiryType=Infinite');
  await first.call('DELETE', `${eco}/users/bob`, { bearer });
  const rotatedAway = await issue(first, seed.ecosystemId, bearer, 'alice', '?expiryType=Infinite');
  const successor = (await first.call('POST', '/v1/tokens/refresh', { body: { token: rotatedAway.token } }))
    .body;

  clock.advance(50);
  const used = await first.call('POST', '/v1/tokens/verify', { body: { token: sliding.token } });
  if (used.body.lastUsedAt !== iso(start + 50)) throw new Error(`sliding use not recorded: ${used.text}`);

  before = {
    ecosystemId: seed.ecosystemId,
    ecosystem: (await first.call('GET', eco, { bearer })).body,
    kid: (await first.call('GET', '/.well-known/jwks.json')).body.keys[0].kid,
    serverTokens: {
      kept: seed.serverToken,
      keptId: seed.serverTokenId,
      rotated: rotated.serverToken,
      rotatedId: rotated.serverTokenId,
      deleted: deleted.serverToken,
    },
    sliding: sliding.token,
    revokedById: revokedById.token,
    loggedOut: loggedOut.token,
    revokedWithUser: revokedWithUser.token,
    ofDeletedUser: ofDeletedUser.token,
    rotatedAway: rotatedAway.token,
    successor: successor.token,
  };
  await first.stop();

  // 120 s after issue: past the sliding token's first idle deadline (100), within the one its use moved (150).
  clock.advance(70);
  second = await startTestServer({ clock, dataDir: first.dataDir });
});

afterAll(async () => {
  await second?.stop();
  await removeDataDir(first.dataDir);
});

const verify = (token: string) => second.call('POST', '/v1/tokens/verify', { body: { token } });

describe('a restart on the same data folder', () => {
  it('keeps the ecosystem and its users, and the deletion of a user', async () => {
    const eco = `/v1/ecosystems/${before.ecosystemId}`;
    expect((await second.call('GET', eco, { bearer: TEST_ACCOUNT_TOKEN })).body).toEqual(before.ecosystem);
    const alice = await second.call('GET', `${eco}/users/alice`, { bearer: TEST_ACCOUNT_TOKEN });
    expect(alice.body).toMatchObject({ userId: 'alice', metadata: { plan: 'pro' } });
    expectError(
      await second.call('GET', `${eco}/users/bob`, { bearer: TEST_ACCOUNT_TOKEN }),
      404,
      'USER_NOT_FOUND',
    );
  });

  it('keeps server tokens and their rotation: old and new work, the deleted one is refused', async () => {
    const path = `/v1/ecosystems/${before.ecosystemId}/server-tokens`;
    const { kept, rotated, deleted, keptId, rotatedId } = before.serverTokens;
    for (const bearer of [kept, rotated])
      expect((await second.call('GET', path, { bearer })).status).toBe(200);
    expectError(await second.call('GET', path, { bearer: deleted }), 401, 'UNAUTHORIZED', [deleted]);
    const list = await second.call('GET', path, { bearer: kept });
    expect(list.body.serverTokens.map((t: { serverTokenId: string }) => t.serverTokenId).sort()).toEqual(
      [keptId, rotatedId].sort(),
    );
  });

  it('keeps the signing key, so tokens issued before still verify', async () => {
    expect((await second.call('GET', '/.well-known/jwks.json')).body.keys[0].kid).toBe(before.kid);
    expect((await verify(before.successor)).status).toBe(200);
  });

  it('keeps the last use of a SlidingTtl token', async () => {
    const result = await verify(before.sliding);
    expect(result.status).toBe(200);
    expect(result.body.lastUsedAt).toBe(iso(start + 120));
  });

  it('keeps every revocation: by id, by the holder, of all tokens of a user, and by deleting the user', async () => {
    for (const token of [
      before.revokedById,
      before.loggedOut,
      before.revokedWithUser,
      before.ofDeletedUser,
    ]) {
      expectError(await verify(token), 401, 'TOKEN_REVOKED', [token]);
    }
  });

  it('keeps refresh rotation: the replaced token is refused, and reusing it revokes the family', async () => {
    expectError(await verify(before.rotatedAway), 401, 'TOKEN_REVOKED');
    const reused = await second.call('POST', '/v1/tokens/refresh', { body: { token: before.rotatedAway } });
    expectError(reused, 401, 'TOKEN_REUSED');
    expectError(await verify(before.successor), 401, 'TOKEN_REVOKED');
  });
});

describe('a generated account token', () => {
  it('is shown on the first start only and keeps working after a restart', async () => {
    const env = { TESSERA_ACCOUNT_TOKEN: '' };
    const once = await startTestServer({ env });
    const accountToken = once.local.newAccountToken;
    expect(accountToken).toMatch(/^tsa_[A-Za-z0-9_-]{43}$/);
    await once.stop();
    const again = await startTestServer({ env, dataDir: once.dataDir });
    try {
      expect(again.local.newAccountToken).toBeUndefined();
      const created = await again.call('POST', '/v1/ecosystems', { bearer: accountToken });
      expect(created.status).toBe(201);
    } finally {
      await again.stop();
      await removeDataDir(once.dataDir);
    }
  });
});
