// Revocation and deletion: by the token itself, by tokenId, every token of a user, and by deleting the user or
// the ecosystem. Each takes effect on the very next verify and refresh, for every expiry model, and the
// revocation is kept exactly as long as its token could otherwise verify.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../functions/adapters/embedded-store.ts';
import { deleteEcosystem } from '../../../functions/core/ecosystems.ts';
import type { RawExpiry } from '../../../functions/core/expiry.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import {
  revokeAllUserTokens,
  revokePresentedToken,
  revokeTokenById,
} from '../../../functions/core/revoke-token.ts';
import { deleteUser, putUser } from '../../../functions/core/users.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { issueFor, seededDeps, seedUser, type TestDeps, testDeps } from '../../helpers/deps.ts';
import { malleate } from '../../helpers/forge.ts';

const MODELS: [string, RawExpiry][] = [
  ['Infinite', { expiryType: 'Infinite' }],
  ['FixedTtl', { expiryType: 'FixedTtl', ttl: '3600' }],
  ['SlidingTtl', { expiryType: 'SlidingTtl', ttl: '3600' }],
];

async function expectRevoked(deps: TestDeps, token: string): Promise<void> {
  await expect(verifyToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  await expect(refreshToken(deps, token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
}

describe('revokePresentedToken', () => {
  it.each(MODELS)('ends a %s token at once, for verify and refresh', async (_, raw) => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, raw);
    await verifyToken(deps, token);
    await revokePresentedToken(deps, token);
    await expectRevoked(deps, token);
  });

  it('leaves the user’s other tokens working', async () => {
    const deps = await seededDeps();
    const revoked = await issueFor(deps);
    const other = await issueFor(deps);
    await revokePresentedToken(deps, revoked.token);
    await expect(verifyToken(deps, other.token)).resolves.toMatchObject({ tokenId: other.tokenId });
  });

  it('accepts a second revocation of the same token', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps);
    await revokePresentedToken(deps, token);
    await expect(revokePresentedToken(deps, token)).resolves.toBeUndefined();
  });

  it('refuses a string that is not one of our tokens', async () => {
    const deps = await seededDeps();
    await expect(revokePresentedToken(deps, 'a.b.c')).rejects.toMatchObject({
      code: 'TOKEN_STRUCTURE_INVALID',
    });
  });

  it('ends the newest token of a refreshed session, whichever of its tokens logs out', async () => {
    const deps = await seededDeps();
    const first = await issueFor(deps, { expiryType: 'Infinite' });
    const second = await refreshToken(deps, first.token);
    await revokePresentedToken(deps, first.token);
    await expectRevoked(deps, second.token);
  });
});

describe('revokeTokenById', () => {
  it.each(MODELS)('ends a %s token at once, for verify and refresh', async (_, raw) => {
    const deps = await seededDeps();
    const { token, tokenId } = await issueFor(deps, raw);
    await revokeTokenById(deps, { ecosystemId: 'eco1', userId: 'alice', tokenId });
    await expectRevoked(deps, token);
  });

  it("answers TOKEN_NOT_FOUND for another user's token and leaves it working", async () => {
    const deps = await seededDeps();
    await seedUser(deps, 'eco1', 'bob');
    await seedUser(deps, 'eco2', 'alice');
    const alices = await issueFor(deps);
    for (const owner of [
      { ecosystemId: 'eco1', userId: 'bob' },
      { ecosystemId: 'eco2', userId: 'alice' },
    ]) {
      await expect(revokeTokenById(deps, { ...owner, tokenId: alices.tokenId })).rejects.toMatchObject({
        code: 'TOKEN_NOT_FOUND',
      });
    }
    await expect(verifyToken(deps, alices.token)).resolves.toMatchObject({ valid: true });
  });

  // A deleted user's token records stay on file until their purgeAt; the route names what is missing.
  it('answers USER_NOT_FOUND once the user is deleted, and ECOSYSTEM_NOT_FOUND once the ecosystem is', async () => {
    const deps = await seededDeps();
    await seedUser(deps, 'eco1', 'bob');
    const alices = await issueFor(deps);
    const bobs = await issueFor(deps, {}, { userId: 'bob' });
    await deleteUser(deps, { ecosystemId: 'eco1', userId: 'alice' });
    await expect(
      revokeTokenById(deps, { ecosystemId: 'eco1', userId: 'alice', tokenId: alices.tokenId }),
    ).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await deleteEcosystem(deps, 'eco1');
    await expect(
      revokeTokenById(deps, { ecosystemId: 'eco1', userId: 'bob', tokenId: bobs.tokenId }),
    ).rejects.toMatchObject({ code: 'ECOSYSTEM_NOT_FOUND' });
  });

  it('answers TOKEN_NOT_FOUND for a tokenId never issued', async () => {
    const deps = await seededDeps();
    await expect(
      revokeTokenById(deps, { ecosystemId: 'eco1', userId: 'alice', tokenId: 'nope' }),
    ).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  });
});

describe('revokeAllUserTokens', () => {
  it('ends every token of the user issued so far, of every model, while later ones work', async () => {
    const deps = await seededDeps();
    await seedUser(deps, 'eco1', 'bob');
    const before = await Promise.all(MODELS.map(([, raw]) => issueFor(deps, raw)));
    const bobs = await issueFor(deps, {}, { userId: 'bob' });
    await revokeAllUserTokens(deps, { ecosystemId: 'eco1', userId: 'alice' });
    for (const { token } of before) await expectRevoked(deps, token);
    await expect(verifyToken(deps, bobs.token)).resolves.toMatchObject({ userId: 'bob' });
    const after = await issueFor(deps);
    await expect(verifyToken(deps, after.token)).resolves.toMatchObject({ tokenId: after.tokenId });
  });

  it('answers USER_NOT_FOUND for an unknown user', async () => {
    const deps = await seededDeps();
    await expect(revokeAllUserTokens(deps, { ecosystemId: 'eco1', userId: 'zed' })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
  });
});

describe('deletion', () => {
  it.each(MODELS)(
    'of a user makes its %s tokens answer TOKEN_REVOKED, and re-creating the user does not revive them',
    async (_, raw) => {
      const deps = await seededDeps();
      const { token } = await issueFor(deps, raw);
      await deleteUser(deps, { ecosystemId: 'eco1', userId: 'alice' });
      await expectRevoked(deps, token);
      await putUser(deps, { ecosystemId: 'eco1', userId: 'alice', metadata: { plan: 'pro' } });
      await expectRevoked(deps, token);
      const fresh = await issueFor(deps, raw);
      await expect(verifyToken(deps, fresh.token)).resolves.toMatchObject({ userId: 'alice' });
    },
  );

  it.each(MODELS)('of an ecosystem makes its %s tokens answer TOKEN_REVOKED', async (_, raw) => {
    const deps = await seededDeps();
    await seedUser(deps, 'eco2', 'alice');
    const { token } = await issueFor(deps, raw);
    const elsewhere = await issueFor(deps, raw, { ecosystemId: 'eco2' });
    await deleteEcosystem(deps, 'eco1');
    await expectRevoked(deps, token);
    await expect(verifyToken(deps, elsewhere.token)).resolves.toMatchObject({ ecosystemId: 'eco2' });
  });
});

describe('a revocation record', () => {
  it("may be forgotten at its token's own deadline, and is kept for an Infinite token", async () => {
    const deps = await seededDeps();
    const start = deps.clock.seconds();
    const fixed = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    const sliding = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600' });
    const capped = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600', maxTtl: '700' });
    const infinite = await issueFor(deps, { expiryType: 'Infinite' });
    deps.clock.advance(300);
    await verifyToken(deps, sliding.token);
    await verifyToken(deps, capped.token);
    for (const { token } of [fixed, sliding, capped, infinite]) await revokePresentedToken(deps, token);

    const stored = async (tokenId: string) => deps.tokens.getToken(tokenId);
    expect(await stored(fixed.tokenId)).toMatchObject({ status: 'revoked', purgeAt: start + 600 });
    expect(await stored(sliding.tokenId)).toMatchObject({ status: 'revoked', purgeAt: start + 900 });
    expect(await stored(capped.tokenId)).toMatchObject({ status: 'revoked', purgeAt: start + 700 });
    expect(await stored(infinite.tokenId)).toMatchObject({ status: 'revoked', purgeAt: null });
  });

  it('of an Infinite token outlives a restart of the store years later', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-revoke-'));
    try {
      const clock = frozenClock();
      const store = await EmbeddedStore.open({ dataDir, clock });
      const deps = await testDeps({ clock, store });
      await seedUser(deps);
      const { token } = await issueFor(deps, { expiryType: 'Infinite' });
      await revokePresentedToken(deps, token);
      await store.flush();
      clock.advance(10 * 365 * 86_400);
      const reopened = { clock, signer: deps.signer, store: await EmbeddedStore.open({ dataDir, clock }) };
      await expect(verifyToken(await testDeps(reopened), token)).rejects.toMatchObject({
        code: 'TOKEN_REVOKED',
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('ECDSA malleability', () => {
  it('keys revocation on the token id, so the twin signature (s -> n - s) of a revoked token is refused', async () => {
    const deps = await seededDeps();
    const { token, tokenId } = await issueFor(deps, { expiryType: 'Infinite' });
    const twin = malleate(token);
    expect(twin).not.toBe(token);
    await expect(verifyToken(deps, twin)).resolves.toMatchObject({ tokenId }); // still a valid signature
    await revokePresentedToken(deps, token);
    await expectRevoked(deps, twin);
  });

  it('lets the twin revoke the original just as well', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '600' });
    await revokePresentedToken(deps, malleate(token));
    await expectRevoked(deps, token);
  });

  it('gives the twin no second refresh: it meets the rotation of the original', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    const successor = await refreshToken(deps, token);
    deps.clock.advance(11);
    await expect(refreshToken(deps, malleate(token))).rejects.toMatchObject({ code: 'TOKEN_REUSED' });
    await expect(verifyToken(deps, successor.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
  });
});
