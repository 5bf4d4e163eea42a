// The revocation lag of docs/API.md, each bound on a frozen clock with the ecosystem's state already cached
// (a verify just before): a token's or a user's revocation refuses the very next verify, at the same
// instant; an ecosystem deletion is refused at once through its users, and at most the cache's bound later
// where only the ecosystem-level state says so.
import { describe, expect, it } from 'vitest';
import { deleteEcosystem } from '../../../functions/core/ecosystems.ts';
import { revokeAllUserTokens, revokeTokenById } from '../../../functions/core/revoke-token.ts';
import { deleteUser } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { issueFor, seededDeps, type TestDeps } from '../../helpers/deps.ts';

const alice = { ecosystemId: 'eco1', userId: 'alice' };

/** A verified token, so the ecosystem's state is in the cache from this very instant. */
async function warm(deps: TestDeps) {
  const issued = await issueFor(deps, { expiryType: 'Infinite' });
  await expect(verifyToken(deps, issued.token)).resolves.toMatchObject({ valid: true });
  return issued;
}

const refused = (deps: TestDeps, token: string, why: string) =>
  expect(verifyToken(deps, token)).rejects.toMatchObject({
    code: 'TOKEN_REVOKED',
    message: expect.stringContaining(why),
  });

describe('revocation lag, with the ecosystem state cached', () => {
  it('is 0 for a token: revoked by id, refused at the same instant', async () => {
    const deps = await seededDeps();
    const { token, tokenId } = await warm(deps);
    await revokeTokenById(deps, { ...alice, tokenId });
    await refused(deps, token, 'it was revoked');
  });

  it("is 0 for a user: all of a user's tokens revoked, refused at the same instant", async () => {
    const deps = await seededDeps();
    const { token } = await warm(deps);
    await revokeAllUserTokens(deps, alice);
    await refused(deps, token, "all of the user's tokens");
  });

  it('is 0 for a deleted user', async () => {
    const deps = await seededDeps();
    const { token } = await warm(deps);
    await deleteUser(deps, alice);
    await refused(deps, token, 'its user was deleted');
  });

  it('is 0 for a deleted ecosystem whose users went with it (every deletion that completed)', async () => {
    const deps = await seededDeps();
    const { token } = await warm(deps);
    await deleteEcosystem(deps, 'eco1');
    await refused(deps, token, 'its user was deleted');
  });

  it('is at most the bound when only the ecosystem-level state says the ecosystem is gone', async () => {
    const deps = await seededDeps({ config: { ecosystemCacheSeconds: 3 } });
    const { token } = await warm(deps);
    // The state a user write racing the deletion leaves (the deletion's Query had not seen it): the
    // ecosystem is gone, its user still on file with the token's generation.
    const user = await deps.directory.getUser('eco1', 'alice');
    await deleteEcosystem(deps, 'eco1');
    if (user === undefined) throw new Error('seeded user missing');
    await deps.directory.putUser(user);

    deps.clock.advance(2.999);
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ valid: true }); // within the bound
    deps.clock.advance(0.001);
    await refused(deps, token, 'its ecosystem was deleted'); // at the bound, never later
  });

  it('is 0 for the ecosystem too when the cache is off (TESSERA_ECOSYSTEM_CACHE_SECONDS=0)', async () => {
    const deps = await seededDeps({ config: { ecosystemCacheSeconds: 0 } });
    const { token } = await warm(deps);
    const user = await deps.directory.getUser('eco1', 'alice');
    await deleteEcosystem(deps, 'eco1');
    if (user === undefined) throw new Error('seeded user missing');
    await deps.directory.putUser(user);
    await refused(deps, token, 'its ecosystem was deleted');
  });
});
